# shellcheck shell=bash
# Docker path: the same services from docker-compose.yml, published on the same host ports.
# Sourced by scripts/services.sh, whose settings and helpers are in scope; not run on its own.

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
