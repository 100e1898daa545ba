# shellcheck shell=bash
# smtp4dev: the local dotnet tool from .config/dotnet-tools.json, mails kept in .local/smtp4dev.
# Sourced by scripts/services.sh, whose settings and helpers are in scope; not run on its own.

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
