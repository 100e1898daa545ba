#!/usr/bin/env bash
# Benchmarks the Users service on this machine and prints a table; writes bench-results/<timestamp>.json.
#
#   scripts/bench.sh [--duration S] [--warmup S] [--clients 1,16,32,64] [--rebuild-events N]
#                    [--stream-lengths 10,1000,10000] [--sustained-seconds 60] [--sustained-clients 32]
#                    [--only growth,updates,sustained,reads,ceiling,rebuild,verify,webhooks] [--verify-events N]
#                    [--webhook-endpoints 0,1,10] [--webhook-clients 16] [--label TEXT] [--api-nodes N]
#
# It starts the services if they are not running (scripts/services.sh), builds Release, starts the
# notifications worker (127.0.0.1:5092) and the API (127.0.0.1:5090) as separate processes on their
# own Marten schema `bench` (dropped first) and their own RabbitMQ virtual host `users-bench`
# (recreated), runs tests/Users.Benchmarks against them (HTTP updates and reads, commit → consumer
# latency, sustained delivery, cost growth by stream length, pgbench ceiling, projection rebuild), then
# stops the API and the worker. Services that were already running stay up. Everything targets 127.0.0.1.
#
# --api-nodes N (default 1): N API processes (127.0.0.1:5090, 5091, then 5093...) on the same schema and vhost,
# Wolverine's leader election sharing their durability work; the benchmark sends each request to the next node
# in turn. Compare a run with --api-nodes 2 against one with --api-nodes 1 on a quiet machine (docs/scaling.md).
#
# verify: `audit verify` (the hash chain and signed checkpoints, docs/auditing.md) over --verify-events (default
# 200,000) events on a schema of its own (bench_verify, kept between runs), in events/s.
#
# Sustained delivery: --sustained-clients users updated without pause for --sustained-seconds (no
# warm-up), every acknowledged update followed to an independent consumer, then the drain of the outbox.
#
# Webhooks: a receiver on loopback in the benchmark, N endpoints registered on it for each N of --webhook-endpoints
# (0 is the baseline), --webhook-clients users updated; update throughput and commit → receipt latency per delivery.
#   scripts/bench.sh --only webhooks --webhook-endpoints 0,1,10 --duration 10
#
# Defaults: 10 s per measurement after a 2 s warm-up, sustained 60 s (≈ 7 minutes plus its drain). Smoke runs:
#   scripts/bench.sh --duration 1 --warmup 0.5 --rebuild-events 5000 --stream-lengths 10,200 \
#                    --sustained-seconds 5 --sustained-clients 4
#   scripts/bench.sh --only sustained --sustained-seconds 5 --sustained-clients 4 --warmup 0.5
#
# Environment: BENCH_API_ENV / BENCH_WORKER_ENV add `NAME=value` settings to one process (space-separated),
# e.g. BENCH_API_ENV='DOTNET_gcServer=0' to compare a tuning option without a code change;
# BENCH_API_DLL / BENCH_WORKER_DLL run other builds (e.g. a copy of an earlier bin/Release) for before/after;
# BENCH_SKIP_BUILD=1 skips the build.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
services=$repo/scripts/services.sh
log_dir=$repo/.local/logs/bench
results_dir=$repo/bench-results
worker_url=http://127.0.0.1:5092
schema=bench
vhost=users-bench
cd "$repo"
mkdir -p "$log_dir" "$results_dir"

# --api-nodes is this script's; every other argument goes to the benchmark.
api_nodes=1
args=()
while (($#)); do
  if [[ $1 == --api-nodes ]]; then
    [[ ${2:-} =~ ^[1-8]$ ]] || { printf 'bench.sh: --api-nodes takes 1 to 8\n' >&2; exit 2; }
    api_nodes=$2; shift 2
  else
    args+=("$1"); shift
  fi
done
set -- "${args[@]}"
# Node i's port: 5090, 5091, then past the worker's 5092.
api_port() { if (($1 < 2)); then echo $((5090 + $1)); else echo $((5091 + $1)); fi; }
api_urls=()
for ((i = 0; i < api_nodes; i++)); do api_urls+=("http://127.0.0.1:$(api_port "$i")"); done

say() { printf '%s\n' "$*"; }
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
alive() { [[ -r /proc/$1/stat ]] && [[ $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# The services may be shared (started from another checkout): use them when they answer.
if port_open 5433 && port_open 5673 && port_open 15673 && port_open 2526; then
  say "services: PostgreSQL, RabbitMQ and smtp4dev answer; using them"
else
  "$services" start
fi
eval "$("$services" env)"
# The API runs as Production, which refuses the development secrets `services.sh env` prints: secrets of this
# run only (the benchmark client signs its admin token with the same Auth__SigningKey).
Auth__SigningKey=bench-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
Auth__BootstrapAdminApiKey=in-bench-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
Encryption__MasterKey=$(head -c 32 /dev/urandom | base64)
export Auth__SigningKey Auth__BootstrapAdminApiKey Encryption__MasterKey
mgmt=${RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15673}
amqp_base=${ConnectionStrings__RabbitMq%/}
amqp=$amqp_base/$vhost

for port in 5092 $(for ((i = 0; i < api_nodes; i++)); do api_port "$i"; done); do
  if port_open "$port"; then
    say "port $port is in use: $(ss -Hltnp "sport = :$port" | grep -o 'users:[^ ]*' || true)" >&2
    exit 1
  fi
done

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  say "building (Release)..."
  dotnet build -c Release --nologo -v quiet src/Users.Api/Users.Api.csproj
  dotnet build -c Release --nologo -v quiet src/Users.Notifications/Users.Notifications.csproj
  dotnet build -c Release --nologo -v quiet tests/Users.Benchmarks/Users.Benchmarks.csproj
fi

# A clean slate: the bench schema and virtual host belong to this script only.
PGPASSWORD=postgres /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 5433 -U postgres -d users -qtA \
  -v ON_ERROR_STOP=1 -c "drop schema if exists $schema cascade" >/dev/null
curl -sf -u guest:guest -X DELETE "$mgmt/api/vhosts/$vhost" -o /dev/null || true
curl -sf -u guest:guest -X PUT "$mgmt/api/vhosts/$vhost" -o /dev/null
curl -sf -u guest:guest -X PUT -H 'content-type: application/json' \
  -d '{"configure":".*","write":".*","read":".*"}' "$mgmt/api/permissions/$vhost/guest" -o /dev/null

pids=()
# shellcheck disable=SC2317 # called through the trap
cleanup() {
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  curl -sf -u guest:guest -X DELETE "$mgmt/api/vhosts/$vhost" -o /dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Both processes: production settings, logs at Warning (per-request Information logging would be measured too).
start_app() {
  local name=$1 dll=$2 url=$3 extra=$4
  # shellcheck disable=SC2086 # extra is a list of NAME=value words
  env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
    ConnectionStrings__RabbitMq="$amqp" Marten__Schema=$schema $extra \
    dotnet "$dll" --urls "$url" </dev/null >"$log_dir/$name.log" 2>&1 &
  pids+=($!)
  local pid=$! deadline=$((SECONDS + 120))
  until curl -sf -o /dev/null "$url/health/live"; do
    if ! alive "$pid" || ((SECONDS >= deadline)); then
      say "the $name did not start; last lines of $log_dir/$name.log:" >&2
      tail -n 40 "$log_dir/$name.log" >&2
      exit 1
    fi
    sleep 0.3
  done
  say "$name: running on $url (pid $pid)"
}

# The worker first: its queues must be bound before the API publishes.
start_app worker "${BENCH_WORKER_DLL:-src/Users.Notifications/bin/Release/net10.0/Users.Notifications.dll}" "$worker_url" "${BENCH_WORKER_ENV:-}"
# The load comes from one caller: lift the per-caller rate limit (RateLimits:General) for the benchmark.
# The webhook phase's receiver listens on http://127.0.0.1: allowed for the benchmark only.
# One node first (it creates the schema), then the others.
for ((i = 0; i < api_nodes; i++)); do
  name=api; ((i == 0)) || name=api-$((i + 1))
  start_app "$name" "${BENCH_API_DLL:-src/Users.Api/bin/Release/net10.0/Users.Api.dll}" "${api_urls[$i]}" \
    "RateLimits__General__PermitLimit=1000000000 RateLimits__General__WindowSeconds=1 Webhooks__AllowHttp=true Webhooks__AllowedHosts__0=127.0.0.1 ${BENCH_API_ENV:-}"
done

out=$results_dir/$(date -u +%Y%m%dT%H%M%SZ).json
BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || true) \
  dotnet tests/Users.Benchmarks/bin/Release/net10.0/Users.Benchmarks.dll \
  --api "$(IFS=,; echo "${api_urls[*]}")" --rabbitmq "$amqp" --schema "$schema" --out "$out" "$@"
