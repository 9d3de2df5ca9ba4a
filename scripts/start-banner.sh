# Sourced by interactive shells in a workspace (~/.bashrc, added by scripts/workspace-start.ts):
# the start's verdict in the first terminal opened after each start; while the start is still
# under way, its log as it grows, until the verdict is written (Ctrl-C leaves it running).
__cruddur_start() {
  local dir verdict log stamp
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cruddur/start"
  verdict="$dir/verdict.txt"; log="$dir/start.log"
  [ -t 1 ] || return 0
  if [ -s "$verdict" ]; then
    stamp="$dir/.shown-$(stat -c %Y "$verdict" 2>/dev/null)"
    [ -f "$stamp" ] && return 0
    cat "$verdict"; : > "$stamp"
  elif [ -s "$log" ] && [ $(( $(date +%s) - $(stat -c %Y "$log") )) -lt 600 ]; then
    echo "The workspace is starting (its log, as it grows; Ctrl-C to use the terminal now):"
    tail -n +1 -f "$log" & local tailer=$!
    trap 'kill $tailer 2>/dev/null; trap - INT; return 0' INT
    while [ ! -s "$verdict" ] && kill -0 $tailer 2>/dev/null; do sleep 1; done
    kill $tailer 2>/dev/null; trap - INT
    [ -s "$verdict" ] && : > "$dir/.shown-$(stat -c %Y "$verdict")"
  fi
}
__cruddur_start
unset -f __cruddur_start
