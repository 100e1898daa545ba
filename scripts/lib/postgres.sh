# shellcheck shell=bash
# PostgreSQL: a private cluster in .local/postgres/data on 127.0.0.1:5433, TCP only.
# Sourced by scripts/services.sh, whose settings and helpers are in scope; not run on its own.

pg_dir=$local_dir/postgres
pg_data=$pg_dir/data
pg_log=$log_dir/postgres/postgres.log

pg_pid() { head -n 1 "$pg_data/postmaster.pid" 2>/dev/null || true; }
pg_running() { pid_is "$(pg_pid)" "$pg_bin/postgres"; }
pg_psql() { PGPASSWORD=postgres "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_init() {
  say "postgres: creating the cluster in ${pg_data#"$repo"/}"
  install -d -o postgres -g postgres -m 700 "$pg_dir" "$pg_data"
  local pwfile=$pg_dir/pwfile
  install -o postgres -g postgres -m 600 /dev/null "$pwfile"
  echo postgres >"$pwfile"
  # The socket is trusted (there is none: see users-local.conf), TCP wants the password.
  as_user postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >"$log_dir/postgres/initdb.log"
  rm -f "$pwfile"
  echo "include_if_exists = 'users-local.conf'" >>"$pg_data/postgresql.conf"
}

pg_start() {
  install -d -o postgres -g postgres -m 755 "$log_dir/postgres"
  [[ -s $pg_data/PG_VERSION ]] || pg_init
  # Rewritten on each start so a change here reaches existing clusters too.
  cat >"$pg_data/users-local.conf" <<EOF
# Written by scripts/services.sh on each start.
listen_addresses = '127.0.0.1'
port = $pg_port
# TCP only: a socket path under the repository could exceed the 107-byte limit.
unix_socket_directories = ''
max_connections = 300
EOF
  chown postgres:postgres "$pg_data/users-local.conf"

  if pg_running; then
    # A package upgrade replaces the binaries under a running server, which then fails to
    # load plpgsql.so and friends: restart it from the installed binaries.
    if [[ $(readlink "/proc/$(pg_pid)/exe") == *"(deleted)" ]]; then
      say "postgres: binaries were upgraded under the running server, restarting"
      as_user postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_log" -w -t 60 -m fast restart >/dev/null
    else
      say "postgres: already running (pid $(pg_pid)) on 127.0.0.1:$pg_port"
    fi
  else
    rm -f "$pg_data/postmaster.pid" # stale: its process is gone or is not a postgres
    port_open "$pg_port" && die "port $pg_port is in use by something else than this repository's PostgreSQL"
    as_user postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_log" -w -t 60 start >/dev/null ||
      die "postgres did not start; last lines of $pg_log:"$'\n'"$(tail -n 20 "$pg_log")"
    say "postgres: started (pid $(pg_pid)) on 127.0.0.1:$pg_port"
  fi
  if [[ -z $(pg_psql -d postgres -c "select 1 from pg_database where datname = 'users'") ]]; then
    pg_psql -d postgres -c 'create database users'
    say "postgres: database users created"
  fi
}

pg_stop() {
  if pg_running; then
    as_user postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t 60 stop >/dev/null
    say "postgres: stopped"
  else
    say "postgres: not running"
  fi
}

pg_status() {
  if pg_running && port_open "$pg_port"; then
    say "postgres  running  127.0.0.1:$pg_port, database users (pid $(pg_pid))"
  else
    say "postgres  stopped"; return 1
  fi
}
