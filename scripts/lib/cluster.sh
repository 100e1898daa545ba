# shellcheck shell=bash
# A RabbitMQ cluster for the scale tests: nodes users-rabbit-<i>@localhost, i = 1..N, AMQP on 5690+i,
# management on 15690+i, Erlang distribution on 25690+i, data under .local/rabbitmq-cluster/<i>. It is
# separate from the single dev node (rabbitmq.sh, which stays the default broker); all nodes share the rabbitmq
# user's Erlang cookie, which is what lets them (and rabbitmqctl) talk to each other.
# Sourced by scripts/services.sh, whose settings and helpers are in scope; not run on its own.

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
