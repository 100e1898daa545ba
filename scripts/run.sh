#!/usr/bin/env bash
# Starts everything on this machine: PostgreSQL, RabbitMQ and smtp4dev (scripts/services.sh),
# then the notifications worker and the API, built once in Release. Ctrl-C stops the API and the
# worker, and the services this run started (services that were already running stay up).
#
#   scripts/run.sh
#
# Logs: .local/logs/api.log and .local/logs/worker.log.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
services=$repo/scripts/services.sh
run_dir=$repo/.local/run
log_dir=$repo/.local/logs
api_url=http://127.0.0.1:5080
worker_url=http://127.0.0.1:5082
cd "$repo"
mkdir -p "$run_dir" "$log_dir"

say() { printf '%s\n' "$*"; }

# True when pid $1 is alive and its command line mentions $2.
pid_is() {
  [[ $1 =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null &&
    [[ $(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) == *"$2"* ]]
}

# True while process $1 runs (an exited child stays a zombie until waited for, and kill -0 still succeeds).
alive() { [[ -r /proc/$1/stat ]] && [[ $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# Stops an app started by this script (now or by an earlier run): each runs in its own process
# group (setsid below), which holds `dotnet run` and the app it launched.
stop_app() {
  local name=$1 project=$2 pid
  pid=$(cat "$run_dir/$name.pid" 2>/dev/null || true)
  if pid_is "$pid" "$project"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    # setsid made $pid a session id too; ps -s lists that session's processes (zombies aside).
    # shellcheck disable=SC2009 # pgrep would count the zombies too
    while ps -o stat= -s "$pid" | grep -qv '^Z' && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true # reap it when it is this script's child
  fi
  rm -f "$run_dir/$name.pid"
}

# The port must be free; an app of this repository left behind without a pid file is ended.
free_port() {
  local port=$1 project=$2 pid
  for pid in $(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    if pid_is "$pid" "$project"; then
      say "ending $project left running on port $port (pid $pid)"
      kill -TERM "$pid"
    else
      say "port $port is in use by another program: $(tr '\0' ' ' <"/proc/$pid/cmdline")" >&2
      exit 1
    fi
  done
  local deadline=$((SECONDS + 20))
  while ss -Hltn "sport = :$port" | grep -q . && ((SECONDS < deadline)); do sleep 0.2; done
}

# Starts `dotnet run` for a project in its own session: Ctrl-C in this terminal reaches only this
# script, whose trap then stops the apps in order. (Without job control `$!` is not a group leader,
# so setsid execs in place and $! is the new group's id.)
start_app() {
  local name=$1 project=$2 url=$3
  setsid dotnet run --no-build --no-launch-profile -c Release --project "src/$project" -- --urls "$url" \
    </dev/null >"$log_dir/$name.log" 2>&1 &
  echo $! >"$run_dir/$name.pid"
}

services_before=$("$services" running)

# shellcheck disable=SC2317 # called through the traps
shutdown() {
  trap - EXIT INT TERM
  say ""
  say "stopping the API and the worker..."
  stop_app api Users.Api
  stop_app worker Users.Notifications
  local s to_stop=()
  for s in postgres rabbitmq smtp4dev; do
    grep -qx "$s" <<<"$services_before" || to_stop+=("$s")
  done
  ((${#to_stop[@]} == 0)) || "$services" stop "${to_stop[@]}"
}
trap shutdown EXIT
trap 'exit 130' INT TERM

# Leftovers of an earlier run.
stop_app api Users.Api
stop_app worker Users.Notifications
free_port 5080 Users.Api
free_port 5082 Users.Notifications

"$services" start
eval "$("$services" env)"
export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development

dotnet build Users.sln -c Release --nologo -v quiet

start_app worker Users.Notifications "$worker_url"
start_app api Users.Api "$api_url"
api_pid=$(cat "$run_dir/api.pid")
worker_pid=$(cat "$run_dir/worker.pid")

say "waiting for $api_url/health/live ..."
deadline=$((SECONDS + 90))
until curl -sf -o /dev/null "$api_url/health/live"; do
  if ! alive "$api_pid"; then
    say "the API exited; last lines of $log_dir/api.log:"
    tail -n 40 "$log_dir/api.log"
    exit 1
  elif ((SECONDS >= deadline)); then
    say "the API did not answer within 90 s; last lines of $log_dir/api.log:"
    tail -n 40 "$log_dir/api.log"
    exit 1
  fi
  sleep 0.5
done
curl -sf -o /dev/null "$worker_url/health/live" ||
  say "note: the worker does not answer on $worker_url/health/live yet (log: $log_dir/worker.log)"

cat <<EOF

Users is running.
  API            $api_url
  OpenAPI        $api_url/openapi/v1.json
  Scalar         $api_url/scalar
  Audit page     $api_url/audit/
  Mail UI        $SMTP4DEV_URL  (smtp4dev: every mail the worker sends)
  RabbitMQ UI    $RABBITMQ_MANAGEMENT_URL  (guest / guest)
  Worker health  $worker_url/health/live
  Logs           $log_dir/api.log, $log_dir/worker.log
Ctrl-C stops it.
EOF

# Returns when either app exits (or on Ctrl-C, through the traps).
set +e
wait -n "$api_pid" "$worker_pid"
set -e
for name in api worker; do
  if ! alive "$(cat "$run_dir/$name.pid")"; then
    say "the $name exited; last lines of $log_dir/$name.log:"
    tail -n 40 "$log_dir/$name.log"
  fi
done
exit 1
