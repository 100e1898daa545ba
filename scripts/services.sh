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

# The parts, each a group of functions (scripts/lib/<part>.sh).
for part in common packages postgres rabbitmq cluster smtp4dev docker; do
  # shellcheck source=/dev/null
  source "$repo/scripts/lib/$part.sh"
done

# ---------------------------------------------------------------------------------------------
# The commands.

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
