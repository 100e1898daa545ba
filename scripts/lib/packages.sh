# shellcheck shell=bash
# Debian packages: installed on first start where missing.
# Sourced by scripts/services.sh, whose settings and helpers are in scope; not run on its own.

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
  # The documented Python consumer (docs/events.md) is run by a test with Debian's python3 and pika.
  [[ -e /usr/lib/python3/dist-packages/pika/__init__.py ]] || missing+=(python3-pika)
  ((${#missing[@]})) || return 0
  say "installing ${missing[*]} (apt-get)..."
  # Wait for the dpkg lock rather than fail when another apt-get is running.
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update
  # The packages try to start their services (init scripts); where there is no init system
  # that part fails or is refused, which is fine: this script starts its own instances.
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" \
    >"$log_dir/apt-get.log" 2>&1 || say "note: apt-get reported errors (see $log_dir/apt-get.log); checking the binaries"
  [[ -x $pg_bin/postgres || ! " ${missing[*]} " =~ " postgresql-15 " ]] || die "postgresql-15 did not install"
  [[ -x $rmq_bin/rabbitmq-server || ! " ${missing[*]} " =~ " rabbitmq-server " ]] || die "rabbitmq-server did not install"
}
