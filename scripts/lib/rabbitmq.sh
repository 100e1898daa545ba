# shellcheck shell=bash
# RabbitMQ: a private node users-rabbit@localhost, AMQP on 5673, management on 15673.
# Debian's wrappers in /usr/sbin run the broker and rabbitmqctl as the rabbitmq user (with
# HOME=/var/lib/rabbitmq, so both use the cookie the package created there); the broker reads
# the RABBITMQ_* variables below, which su passes through.
# Sourced by scripts/services.sh, whose settings and helpers are in scope; not run on its own.

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
