#!/usr/bin/env bash
# Ona's task "Start verdict": waits for the verdict of this container's start (written by
# .devcontainer/workspace.sh start, postStartCommand), prints it, and fails when it failed, so Ona's
# environment view marks the task. It only reads: the start is the stack's one owner.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
dir=.cruddur/start
verdict=$dir/verdict.txt
# When this container started: PID 1's start, in clock ticks since boot, plus the boot time.
ticks=$(awk '{print $22}' /proc/1/stat)
booted=$(awk '/^btime/ {print $2}' /proc/stat)
since=$((booted + ticks / $(getconf CLK_TCK)))
limit=${CRUDDUR_VERDICT_WAIT_S:-1200}
waited=0
until [ -s "$verdict" ] && [ "$(stat -c %Y "$verdict")" -ge "$since" ] && flock -n .cruddur/workspace.lock true 2>/dev/null; do
  if [ "$waited" -ge "$limit" ]; then
    echo "✘ no verdict after ${limit} s: the start's log is .cruddur/start/start.log (bash .devcontainer/workspace.sh start runs it again)"
    exit 1
  fi
  [ $((waited % 30)) -eq 0 ] && echo "waiting for the start's verdict (${waited} s; its log: .cruddur/start/start.log)"
  sleep 1
  waited=$((waited + 1))
done
cat "$verdict"
head -n 1 "$verdict" | grep -q ': ✔ '
