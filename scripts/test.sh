#!/usr/bin/env bash
# Runs every test of the solution against real PostgreSQL, RabbitMQ and smtp4dev, as CI does.
#
#   scripts/test.sh [dotnet test arguments...]      e.g. scripts/test.sh --filter "FullyQualifiedName~Registering"
#
# The last line printed is "N passed, N failed" (", N skipped" when some were), summed over all
# test projects; the exit code is non-zero when a test failed, the run broke, or no test ran.
# Services that were running before are left running; those this script started are stopped.
# TRX files land in TestResults/, the full console output in .local/logs/test.log.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
services=$repo/scripts/services.sh
cd "$repo"

was_running=$("$services" running)
# The scale tests (tests/Users.Api.Tests/Cluster) start a three-node RabbitMQ cluster through services.sh when
# none runs; like the other services, it is stopped afterwards unless it was running before.
cluster_was_running=0
"$services" status --rabbit-cluster >/dev/null 2>&1 && cluster_was_running=1

# Stops what this run started. Runs once: before the summary line, or on an early exit.
stop_started_services() {
  trap - EXIT INT TERM
  local s to_stop=()
  for s in postgres rabbitmq smtp4dev; do
    grep -qx "$s" <<<"$was_running" || to_stop+=("$s")
  done
  ((${#to_stop[@]} == 0)) || "$services" stop "${to_stop[@]}"
  ((cluster_was_running)) || "$services" stop --rabbit-cluster >/dev/null || true
}
trap stop_started_services EXIT
trap 'exit 130' INT TERM

"$services" start
# The audit page's end-to-end test drives Debian's Chromium (Playwright never downloads a browser here).
if [[ ! -x /usr/bin/chromium ]]; then
  echo "installing chromium (apt-get) for the browser test..."
  apt-get -qq -o DPkg::Lock::Timeout=300 update
  DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium \
    >"$repo/.local/logs/apt-chromium.log" 2>&1 || { echo "chromium did not install (see .local/logs/apt-chromium.log)"; exit 1; }
fi
eval "$("$services" env)"
# Fault tests stop and start the broker through this script.
export USERS_SERVICES_SCRIPT=$services CI_SERVICES_SCRIPT=$services

results=$repo/TestResults
console_log=$repo/.local/logs/test.log
rm -rf "$results"

set +e
dotnet test Users.sln -c Release --results-directory "$results" --logger trx "$@" 2>&1 | tee "$console_log"
status=${PIPESTATUS[0]}
set -e

# VSTest prints one summary per test assembly:
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 1 s - Users.Domain.Tests.dll (net10.0)
read -r passed failed skipped < <(
  sed 's/\x1b\[[0-9;]*m//g' "$console_log" |
    awk '/^ *[A-Za-z]+! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+, Total:/ {
           gsub(/,/, ""); f += $4; p += $6; s += $8
         }
         END { print p + 0, f + 0, s + 0 }')

stop_started_services

((status == 0)) || echo "dotnet test exited with code $status (see $console_log)"
((passed + failed + skipped > 0)) || echo "no test ran"
summary="$passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
echo "$summary"
((status == 0 && failed == 0 && passed + failed > 0))
