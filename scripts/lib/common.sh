# shellcheck shell=bash
# Helpers every part uses: messages, waiting, processes, users, folders.
# Sourced by scripts/services.sh, whose settings and helpers are in scope; not run on its own.

say() { printf '%s\n' "$*"; }
die() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Wait until "$@" succeeds, at most $1 seconds.
wait_for() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# True when pid $1 is alive and its executable or command line matches $2.
pid_is() {
  local pid=$1 pattern=$2
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null) $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *$pattern* ]]
}

# Run a command as another user. The command is quoted for bash, hence -s /bin/bash.
# `9>&-`: daemons started this way must not inherit the lock taken in main().
as_user() {
  local user=$1; shift
  su "$user" -s /bin/bash -c "$(printf '%q ' "$@")" 9>&-
}

# PostgreSQL and RabbitMQ run as their own users: every folder above their data must be
# traversable by them (o+x), or initdb / the broker fail with "permission denied".
make_reachable() {
  local dir=$1
  until [[ $dir == / ]]; do
    if [[ $(stat -c %A "$dir") != ?????????[xt]* ]]; then
      say "note: adding o+x to $dir so the postgres and rabbitmq users can reach $1"
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}
