#!/usr/bin/env bash
# The infrastructure the Users service needs on a developer machine or in CI:
# PostgreSQL 15, RabbitMQ and smtp4dev (an SMTP server whose mails a person can read).
#
#   scripts/services.sh start [SERVICE...]   start (installing what is missing); idempotent
#   scripts/services.sh stop  [SERVICE...]   stop
#   scripts/services.sh status               one line per service; exit 0 only if all three run
#   scripts/services.sh running              names of the services that run, one per line
#   scripts/services.sh env                  `export` lines for the API, the worker and the tests
#   scripts/services.sh stop-rabbit [--kill] stop the broker only (fault tests); --kill: SIGKILL,
#                                            a crash in ~0.1 s instead of a clean stop in ~8 s
#   scripts/services.sh start-rabbit         start it again
#   scripts/services.sh start --rabbit-cluster [N]  a separate N-node RabbitMQ cluster (default 3) for the
#                                            scale tests, beside the single dev node; restarts a stopped node
#   scripts/services.sh stop  --rabbit-cluster      stop every node of that cluster
#   scripts/services.sh stop-rabbit-node I [--kill] stop node I (1..N) of the cluster (a node failure)
#   scripts/services.sh env   --rabbit-cluster      the `export` lines with the cluster as the broker
#
# SERVICE is postgres, rabbitmq or smtp4dev (default: all three).
#
# Where no Docker engine answers, the services run as local processes with their data under
# .local/ in the repository (needs root: PostgreSQL and RabbitMQ run as their own users).
# Where one answers, they come from docker-compose.yml on the same host ports.
# USERS_SERVICES_MODE=local|docker forces one or the other.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
local_dir=$repo/.local
log_dir=$local_dir/logs

pg_port=5433
rmq_port=5673
rmq_dist_port=25673
rmq_mgmt_port=15673
rmq_node=users-rabbit@localhost
smtp_port=2526
smtp_ui_port=5081

all_services=(postgres rabbitmq smtp4dev)

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

# ---------------------------------------------------------------------------------------------
# Packages

pg_bin=/usr/lib/postgresql/15/bin
rmq_bin=/usr/lib/rabbitmq/bin

# Installs the Debian packages the requested services need; apt-get update runs once.
ensure_packages() {
  local missing=() svc
  for svc in "$@"; do
    case $svc in
      postgres) [[ -x $pg_bin/postgres ]] || missing+=(postgresql-15) ;;
      rabbitmq) [[ -x $rmq_bin/rabbitmq-server ]] || missing+=(rabbitmq-server) ;;
    esac
  done
  ((${#missing[@]})) || return 0
  say "installing ${missing[*]} (apt-get)..."
  # Wait for the dpkg lock rather than fail when another apt-get is running.
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update
  # The packages try to start their services (init scripts); where there is no init system
  # that part fails or is refused, which is fine: this script starts its own instances.
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" python3-pika \
    >"$log_dir/apt-get.log" 2>&1 || say "note: apt-get reported errors (see $log_dir/apt-get.log); checking the binaries"
  [[ -x $pg_bin/postgres || ! " ${missing[*]} " =~ " postgresql-15 " ]] || die "postgresql-15 did not install"
  [[ -x $rmq_bin/rabbitmq-server || ! " ${missing[*]} " =~ " rabbitmq-server " ]] || die "rabbitmq-server did not install"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: a private cluster in .local/postgres/data on 127.0.0.1:5433, TCP only.

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

# ---------------------------------------------------------------------------------------------
# RabbitMQ: a private node users-rabbit@localhost, AMQP on 5673, management on 15673.
# Debian's wrappers in /usr/sbin run the broker and rabbitmqctl as the rabbitmq user (with
# HOME=/var/lib/rabbitmq, so both use the cookie the package created there); the broker reads
# the RABBITMQ_* variables below, which su passes through.

rmq_dir=$local_dir/rabbitmq
rmq_pidfile=$rmq_dir/rabbit.pid

rmq_env() {
  export RABBITMQ_NODENAME=$rmq_node
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$rmq_port
  export RABBITMQ_DIST_PORT=$rmq_dist_port
  export RABBITMQ_MNESIA_BASE=$rmq_dir/mnesia
  export RABBITMQ_LOG_BASE=$log_dir/rabbitmq
  export RABBITMQ_PID_FILE=$rmq_pidfile
  export RABBITMQ_FEATURE_FLAGS_FILE=$rmq_dir/feature_flags
  export RABBITMQ_ENABLED_PLUGINS_FILE=$rmq_dir/enabled_plugins
  export RABBITMQ_CONFIG_FILE=$rmq_dir/rabbitmq # the broker adds .conf
  export RABBITMQ_ADVANCED_CONFIG_FILE=$rmq_dir/advanced.config
  # Our own (empty) env file, so a system-wide /etc/rabbitmq/rabbitmq-env.conf cannot interfere.
  export RABBITMQ_CONF_ENV_FILE=$rmq_dir/rabbitmq-env.conf
  # Keep Erlang distribution (and the epmd the broker starts) on loopback too.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

rmqctl() { rmq_env; /usr/sbin/rabbitmqctl -n "$rmq_node" "$@"; }
rmq_pid() { cat "$rmq_pidfile" 2>/dev/null || true; }
rmq_running() { pid_is "$(rmq_pid)" beam; }

# rabbitmqctl run as root through /usr/sbin already switches to the rabbitmq user; the copy
# lets Erlang tools started as root directly (e.g. /usr/lib/rabbitmq/bin/rabbitmqctl) in too.
rmq_share_cookie() {
  local cookie=/var/lib/rabbitmq/.erlang.cookie
  [[ -f $cookie ]] || return 0
  if ! cmp -s "$cookie" "$HOME/.erlang.cookie" 2>/dev/null; then
    install -m 400 "$cookie" "$HOME/.erlang.cookie"
  fi
}

rmq_start() {
  install -d -o rabbitmq -g rabbitmq -m 750 "$rmq_dir" "$rmq_dir/mnesia"
  install -d -o rabbitmq -g rabbitmq -m 755 "$log_dir/rabbitmq"
  cat >"$rmq_dir/rabbitmq.conf" <<EOF
# Written by scripts/services.sh on each start.
listeners.tcp.default = 127.0.0.1:$rmq_port
management.tcp.port = $rmq_mgmt_port
management.tcp.ip = 127.0.0.1
EOF
  echo '[rabbitmq_management].' >"$rmq_dir/enabled_plugins"
  echo '# Intentionally empty: see scripts/services.sh' >"$rmq_dir/rabbitmq-env.conf"
  chown rabbitmq:rabbitmq "$rmq_dir/rabbitmq.conf" "$rmq_dir/enabled_plugins" "$rmq_dir/rabbitmq-env.conf"
  rmq_share_cookie

  local state=started
  if rmq_running; then
    state="already running"
  else
    rm -f "$rmq_pidfile" # stale
    local port
    for port in "$rmq_port" "$rmq_mgmt_port" "$rmq_dist_port"; do
      port_open "$port" && die "port $port is in use by something else than this repository's RabbitMQ node"
    done
    rmq_env
    /usr/sbin/rabbitmq-server -detached >"$log_dir/rabbitmq/startup.log" 2>&1 9>&-
  fi
  # await_startup fails at once while the node is not yet reachable, and each call boots an
  # Erlang VM (~1 s): wait for the AMQP listener (opened last) first, then confirm once.
  wait_for 60 port_open "$rmq_port" || true
  if ! wait_for 30 rmqctl await_startup; then
    die "rabbitmq did not start; see $log_dir/rabbitmq/ (last lines of $rmq_node.log:)"$'\n'"$(tail -n 20 "$log_dir/rabbitmq/$rmq_node.log" 2>/dev/null)"
  fi
  wait_for 30 port_open "$rmq_mgmt_port" || die "rabbitmq management did not open port $rmq_mgmt_port"
  say "rabbitmq: $state (pid $(rmq_pid)), node $rmq_node, AMQP 127.0.0.1:$rmq_port, management http://127.0.0.1:$rmq_mgmt_port"
}

rmq_kill=0 # stop-rabbit --kill

rmq_stop() {
  if rmq_running; then
    local pid; pid=$(rmq_pid)
    if ((rmq_kill)); then
      kill -9 "$pid"
      wait_for 10 bash -c "! ps -o stat= -p $pid | grep -qv ^Z" || true
    # `stop <pidfile>` returns once the OS process has exited.
    elif ! rmqctl stop "$rmq_pidfile" >/dev/null 2>&1; then
      kill "$pid" 2>/dev/null || true
      wait_for 20 bash -c "! ps -o stat= -p $pid | grep -qv ^Z" || kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$rmq_pidfile"
    say "rabbitmq: stopped"
  else
    say "rabbitmq: not running"
  fi
  # The broker starts epmd (port 4369), which outlives it: end it when no node is left.
  if [[ -x /usr/bin/epmd ]] && /usr/bin/epmd -names 2>/dev/null | grep -q '^epmd: up and running' &&
     ! /usr/bin/epmd -names 2>/dev/null | grep -q '^name '; then
    /usr/bin/epmd -kill >/dev/null 2>&1 || true
  fi
}

rmq_status() {
  if rmq_running && port_open "$rmq_port"; then
    say "rabbitmq  running  amqp://127.0.0.1:$rmq_port, management http://127.0.0.1:$rmq_mgmt_port (node $rmq_node, pid $(rmq_pid))"
  else
    say "rabbitmq  stopped"; return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# A RabbitMQ cluster for the scale tests: nodes users-rabbit-<i>@localhost, i = 1..N, AMQP on 5690+i,
# management on 15690+i, Erlang distribution on 25690+i, data under .local/rabbitmq-cluster/<i>. It is
# separate from the single dev node above (which stays the default broker); all nodes share the rabbitmq
# user's Erlang cookie, which is what lets them (and rabbitmqctl) talk to each other.

cluster_dir=$local_dir/rabbitmq-cluster
cluster_size=3 # start --rabbit-cluster N; stop and env use the nodes that have a folder

cnode() { echo "users-rabbit-$1@localhost"; }
cport() { echo $((5690 + $1)); }
cmgmt_port() { echo $((15690 + $1)); }
cdist_port() { echo $((25690 + $1)); }
cpidfile() { echo "$cluster_dir/$1/rabbit.pid"; }
cnode_running() { pid_is "$(cat "$(cpidfile "$1")" 2>/dev/null || true)" beam; }
# The cluster's nodes that have been created, in order.
cluster_nodes() { local d; for d in "$cluster_dir"/[0-9]*; do [[ -d $d ]] && basename "$d"; done | sort -n; }

cnode_env() {
  local i=$1 dir=$cluster_dir/$1
  export RABBITMQ_NODENAME; RABBITMQ_NODENAME=$(cnode "$i")
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT; RABBITMQ_NODE_PORT=$(cport "$i")
  export RABBITMQ_DIST_PORT; RABBITMQ_DIST_PORT=$(cdist_port "$i")
  export RABBITMQ_MNESIA_BASE=$dir/mnesia
  export RABBITMQ_LOG_BASE=$log_dir/rabbitmq-cluster
  export RABBITMQ_PID_FILE=$dir/rabbit.pid
  export RABBITMQ_FEATURE_FLAGS_FILE=$dir/feature_flags
  export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  export RABBITMQ_CONFIG_FILE=$dir/rabbitmq
  export RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
  export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

cctl() { local i=$1; shift; (cnode_env "$i"; /usr/sbin/rabbitmqctl -n "$(cnode "$i")" "$@"); }

cnode_launch() {
  local i=$1 dir=$cluster_dir/$1
  [[ -n $dir && -n $i ]] || die "cnode_launch needs a node number"
  install -d -o rabbitmq -g rabbitmq -m 750 "$dir" "$dir/mnesia"
  printf '%s\n' "# Written by scripts/services.sh on each start." \
    "listeners.tcp.default = 127.0.0.1:$(cport "$i")" \
    "management.tcp.port = $(cmgmt_port "$i")" \
    "management.tcp.ip = 127.0.0.1" >"$dir/rabbitmq.conf"
  echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  echo '# Intentionally empty: see scripts/services.sh' >"$dir/rabbitmq-env.conf"
  chown rabbitmq:rabbitmq "$dir/rabbitmq.conf" "$dir/enabled_plugins" "$dir/rabbitmq-env.conf"
  cnode_running "$i" && return 0
  rm -f "$(cpidfile "$i")"
  local port
  for port in "$(cport "$i")" "$(cmgmt_port "$i")" "$(cdist_port "$i")"; do
    port_open "$port" && die "port $port is in use by something else than node $(cnode "$i") of this repository's cluster"
  done
  (cnode_env "$i"; /usr/sbin/rabbitmq-server -detached >"$log_dir/rabbitmq-cluster/startup-$i.log" 2>&1 9>&-)
}

cnode_await() {
  local i=$1
  wait_for 90 port_open "$(cport "$i")" || true
  wait_for 30 cctl "$i" await_startup ||
    die "cluster node $(cnode "$i") did not start; see $log_dir/rabbitmq-cluster/ (last lines:)"$'\n'"$(tail -n 20 "$log_dir/rabbitmq-cluster/$(cnode "$i").log" 2>/dev/null)"
  wait_for 30 port_open "$(cmgmt_port "$i")" || die "cluster node $(cnode "$i") did not open management port $(cmgmt_port "$i")"
}

cluster_start() {
  install -d -o rabbitmq -g rabbitmq -m 755 "$log_dir/rabbitmq-cluster"
  install -d -m 755 "$cluster_dir"
  rmq_share_cookie
  local i running=0
  for ((i = 1; i <= cluster_size; i++)); do cnode_running "$i" && running=1; done
  # The cluster is for the scale tests, which leave nodes stopped or killed: a cold start begins from empty data,
  # so no node waits for peers or carries feature flags or membership from an earlier run.
  if ((!running)); then
    for ((i = 1; i <= cluster_size; i++)); do rm -rf "${cluster_dir:?}/$i/mnesia"; done
  fi
  # Every node first, then wait: a clustered node that was not the last to stop waits at boot for its peers.
  for ((i = 1; i <= cluster_size; i++)); do cnode_launch "$i"; done
  for ((i = 1; i <= cluster_size; i++)); do cnode_await "$i"; done
  for ((i = 2; i <= cluster_size; i++)); do
    if ! cctl "$i" cluster_status 2>/dev/null | grep -q "$(cnode 1)"; then
      say "rabbitmq cluster: joining $(cnode "$i") to $(cnode 1)"
      cctl "$i" stop_app >/dev/null 2>&1
      cctl "$i" reset >/dev/null 2>&1
      cctl "$i" join_cluster "$(cnode 1)" >/dev/null 2>&1
      cctl "$i" start_app >/dev/null 2>&1
    fi
  done
  cluster_status
}

cnode_stop() {
  local i=$1 kill_it=${2:-0} pidfile pid
  pidfile=$(cpidfile "$i")
  if ! cnode_running "$i"; then
    say "rabbitmq cluster: $(cnode "$i") not running"; return 0
  fi
  pid=$(cat "$pidfile")
  if ((kill_it)); then
    kill -9 "$pid"
  elif ! cctl "$i" stop "$pidfile" >/dev/null 2>&1; then
    kill "$pid" 2>/dev/null || true
  fi
  wait_for 30 bash -c "! ps -o stat= -p $pid | grep -qv ^Z" || kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  say "rabbitmq cluster: $(cnode "$i") stopped"
}

cluster_stop() {
  local i
  for i in $(cluster_nodes); do cnode_stop "$i"; done
}

cluster_status() {
  local i rc=0 line=()
  for i in $(cluster_nodes); do
    if cnode_running "$i" && port_open "$(cport "$i")"; then
      line+=("$(cnode "$i") amqp://127.0.0.1:$(cport "$i") (management $(cmgmt_port "$i"));")
    else
      line+=("$(cnode "$i") stopped;"); rc=1
    fi
  done
  ((${#line[@]})) || { say "rabbitmq cluster: no nodes"; return 1; }
  say "rabbitmq cluster: ${line[*]}"
  return $rc
}

# The amqp:// URIs of the cluster's nodes, comma-separated: the API and the worker connect to any of them.
cluster_env() {
  local n=$cluster_size i amqp=() mgmt=()
  use_docker || n=$(cluster_nodes | wc -l)
  ((n > 0)) || n=$cluster_size
  for ((i = 1; i <= n; i++)); do
    amqp+=("amqp://guest:guest@127.0.0.1:$(cport "$i")")
    mgmt+=("http://127.0.0.1:$(cmgmt_port "$i")")
  done
  local IFS=,
  printf "export ConnectionStrings__RabbitMq='%s'\n" "${amqp[*]}"
  printf "export RABBITMQ_MANAGEMENT_URL='%s'\n" "${mgmt[0]}"
  printf "export RABBITMQ_CLUSTER_MANAGEMENT_URLS='%s'\n" "${mgmt[*]}"
  printf "export RabbitMq__QueueType='quorum'\n"
}

# Docker: the same nodes from the compose file's "cluster" profile (rabbit-1..3, same host ports).
cluster_compose() { docker compose -f "$repo/docker-compose.yml" --profile cluster "$@"; }

# start|stop|status|env --rabbit-cluster [N], stop-node I [--kill]: the cluster of the scale tests.
cluster_main() {
  local cmd=$1; shift
  if [[ $cmd == start && ${1:-} =~ ^[0-9]+$ ]]; then
    cluster_size=$1
    ((cluster_size >= 1 && cluster_size <= 9)) || die "--rabbit-cluster takes 1 to 9 nodes"
  fi
  [[ $cmd == env ]] && { print_env; cluster_env; return; }
  if use_docker; then
    case $cmd in
      start) cluster_compose up -d --wait $(seq -f 'rabbit-%g' 1 "$cluster_size") ;;
      stop) cluster_compose stop rabbit-1 rabbit-2 rabbit-3 ;;
      stop-node) if [[ ${2:-} == --kill ]]; then cluster_compose kill "rabbit-$1"; else cluster_compose stop "rabbit-$1"; fi ;;
      status) cluster_compose ps rabbit-1 rabbit-2 rabbit-3 ;;
    esac
    return
  fi
  [[ $cmd == status ]] && { cluster_status; return; }
  [[ $(id -u) == 0 ]] || die "$cmd needs root (RabbitMQ runs as its own user); try sudo"
  mkdir -p "$log_dir"
  chmod 755 "$local_dir"
  exec 9>"$local_dir/services.lock"
  flock 9
  case $cmd in
    start) make_reachable "$local_dir"; ensure_packages rabbitmq; cluster_start ;;
    stop) cluster_stop ;;
    stop-node)
      [[ ${1:-} =~ ^[0-9]+$ ]] || die "stop-rabbit-node needs the node's number (1..N)"
      cnode_stop "$1" "$([[ ${2:-} == --kill ]] && echo 1 || echo 0)" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# smtp4dev: the local dotnet tool from .config/dotnet-tools.json, mails kept in .local/smtp4dev.

smtp_dir=$local_dir/smtp4dev
smtp_pidfile=$smtp_dir/smtp4dev.pid
smtp_log=$log_dir/smtp4dev.log

smtp_pid() { cat "$smtp_pidfile" 2>/dev/null || true; }
smtp_running() { pid_is "$(smtp_pid)" smtp4dev; }
smtp_answers() { curl -sf -o /dev/null "http://127.0.0.1:$smtp_ui_port/api/messages"; }

smtp_start() {
  mkdir -p "$smtp_dir"
  local state=started
  if smtp_running; then
    state="already running"
  else
    rm -f "$smtp_pidfile" # stale
    local port
    for port in "$smtp_port" "$smtp_ui_port" 1143 1110; do
      port_open "$port" && die "port $port is in use by something else than this repository's smtp4dev"
    done
    (cd "$repo" && dotnet tool restore >/dev/null) || die "dotnet tool restore failed"
    # setsid: a Ctrl-C in the terminal that ran this script must not reach the server.
    # (Without job control `$!` is not a group leader, so setsid execs in place and $! is its pid.)
    # IMAP and POP3 move to 1143/1110 (their defaults need root-only ports 143/110);
    # --baseappdatapath keeps its settings out of ~/.config.
    (cd "$repo" && exec setsid dotnet tool run smtp4dev -- \
      --urls="http://127.0.0.1:$smtp_ui_port" --smtpport="$smtp_port" --imapport=1143 --pop3port=1110 \
      --allowremoteconnections- --hostname=localhost \
      --baseappdatapath="$smtp_dir" --db="$smtp_dir/db.sqlite" \
      </dev/null >"$smtp_log" 2>&1 9>&-) &
    echo $! >"$smtp_pidfile"
  fi
  if ! wait_for 60 smtp_answers; then
    die "smtp4dev did not answer on http://127.0.0.1:$smtp_ui_port; last lines of $smtp_log:"$'\n'"$(tail -n 20 "$smtp_log")"
  fi
  wait_for 10 port_open "$smtp_port" || die "smtp4dev did not open SMTP port $smtp_port"
  say "smtp4dev: $state (pid $(smtp_pid)), SMTP 127.0.0.1:$smtp_port, UI http://127.0.0.1:$smtp_ui_port"
}

smtp_stop() {
  if smtp_running; then
    # `dotnet tool run` runs the server as a child: signal the whole process group (setsid above).
    local pid; pid=$(smtp_pid)
    kill -- "-$pid"
    # setsid made $pid a session id too; ps -s lists that session's processes (zombies aside).
    wait_for 15 bash -c "! ps -o stat= -s $pid | grep -qv '^Z'" || kill -9 -- "-$pid" 2>/dev/null || true
    say "smtp4dev: stopped"
  else
    say "smtp4dev: not running"
  fi
  rm -f "$smtp_pidfile"
}

smtp_status() {
  if smtp_running && smtp_answers; then
    say "smtp4dev  running  smtp://127.0.0.1:$smtp_port, UI http://127.0.0.1:$smtp_ui_port (pid $(smtp_pid))"
  else
    say "smtp4dev  stopped"; return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Docker path: the same services from docker-compose.yml, published on the same host ports.

# Only Compose v2 (`docker compose`) has `up --wait`; without it the local processes are used.
use_docker() {
  case ${USERS_SERVICES_MODE:-auto} in
    local) return 1 ;;
    docker) docker compose version >/dev/null 2>&1 || die "USERS_SERVICES_MODE=docker needs docker compose (v2)" ;;
    auto) timeout 10 docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1 ;;
    *) die "USERS_SERVICES_MODE must be local, docker or auto" ;;
  esac
}

# Compose reads the whole file, and the API's secrets have no defaults there; the infrastructure this script
# starts does not use them.
compose() {
  AUTH_SIGNING_KEY=${AUTH_SIGNING_KEY:-unused-by-the-infrastructure} \
    AUTH_BOOTSTRAP_ADMIN_API_KEY=${AUTH_BOOTSTRAP_ADMIN_API_KEY:-unused-by-the-infrastructure} \
    docker compose -f "$repo/docker-compose.yml" "$@"
}
# smtp4dev is called mailcatcher in docker-compose.yml.
compose_name() { [[ $1 == smtp4dev ]] && echo mailcatcher || echo "$1"; }
compose_services() { local s; for s in "$@"; do compose_name "$s"; done; }

docker_running() {
  compose ps --services --status running 2>/dev/null | sed 's/^mailcatcher$/smtp4dev/' | grep -xE 'postgres|rabbitmq|smtp4dev' || true
}

# ---------------------------------------------------------------------------------------------

print_env() {
  # Values already in the environment win, so a user can point the service elsewhere.
  local pairs=(
    "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$pg_port;Database=users;Username=postgres;Password=postgres"
    "ConnectionStrings__RabbitMq=amqp://guest:guest@127.0.0.1:$rmq_port"
    # The single dev node keeps the classic queues it always had (RabbitMQ refuses to redeclare a queue with
    # another type); the service's default, and the cluster's (env --rabbit-cluster), is quorum.
    "RabbitMq__QueueType=classic"
    "Smtp__Host=127.0.0.1"
    "Smtp__Port=$smtp_port"
    "Smtp__From=no-reply@users.local"
    "Users__PublicBaseUrl=http://127.0.0.1:5080"
    "Auth__SigningKey=dev-signing-key-0123456789-abcdefghijklmnop"
    "Auth__BootstrapAdminApiKey=in-dev-bootstrap-admin-key-change-me"
    "RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:$rmq_mgmt_port"
    "SMTP4DEV_URL=http://127.0.0.1:$smtp_ui_port"
    "USERS_SERVICES_SCRIPT=$repo/scripts/services.sh"
  )
  local pair name value
  for pair in "${pairs[@]}"; do
    name=${pair%%=*}
    value=${!name:-${pair#*=}}
    printf "export %s='%s'\n" "$name" "${value//\'/\'\\\'\'}"
  done
}

check_services() {
  local s
  for s in "$@"; do
    [[ " ${all_services[*]} " == *" $s "* ]] || die "unknown service '$s' (expected: ${all_services[*]})"
  done
}

main() {
  local cmd=${1:-}; shift || true
  case $cmd in
    start | stop | status | env)
      if [[ ${1:-} == --rabbit-cluster ]]; then shift; cluster_main "$cmd" "$@"; return; fi ;;
    stop-rabbit-node) cluster_main stop-node "$@"; return ;;
  esac
  case $cmd in
    env) print_env; return ;;
    start-rabbit) cmd=start; set -- rabbitmq ;;
    stop-rabbit)
      cmd=stop
      [[ ${1:-} == --kill ]] && rmq_kill=1
      set -- rabbitmq ;;
    start | stop | status | running) ;;
    *) sed -n '2,25s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 2 ;;
  esac
  local services=("$@")
  ((${#services[@]})) || services=("${all_services[@]}")
  check_services "${services[@]}"

  if use_docker; then
    local names
    mapfile -t names < <(compose_services "${services[@]}")
    case $cmd in
      start) compose up -d --wait "${names[@]}" ;;
      stop) if ((rmq_kill)); then compose kill rabbitmq; else compose stop "${names[@]}"; fi ;;
      status) compose ps; [[ $(docker_running | wc -l) -eq 3 ]] ;;
      running) docker_running ;;
    esac
    return
  fi

  local s rc=0
  case $cmd in
    status)
      for s in "${all_services[@]}"; do "$(short "$s")_status" || rc=1; done
      return $rc ;;
    running)
      for s in "${all_services[@]}"; do "$(short "$s")_status" >/dev/null && echo "$s"; done
      return 0 ;;
  esac

  [[ $(id -u) == 0 ]] || die "$cmd needs root (PostgreSQL and RabbitMQ run as their own users); try sudo"
  mkdir -p "$log_dir"
  chmod 755 "$local_dir"
  # One start/stop at a time (run.sh and test.sh may overlap); daemons close fd 9 (see as_user).
  exec 9>"$local_dir/services.lock"
  flock 9
  case $cmd in
    start)
      make_reachable "$local_dir"
      ensure_packages "${services[@]}"
      for s in "${services[@]}"; do "$(short "$s")_start"; done ;;
    stop)
      for s in "${services[@]}"; do "$(short "$s")_stop"; done ;;
  esac
}

# Function prefix of a service.
short() { case $1 in postgres) echo pg ;; rabbitmq) echo rmq ;; smtp4dev) echo smtp ;; esac; }

main "$@"
