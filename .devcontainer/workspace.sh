#!/usr/bin/env bash
# The Dev Container lifecycle, on every host that reads devcontainer.json (Codespaces, VS Code,
# Ona), under one lock (.cruddur/workspace.lock): however a host orders or overlaps its commands,
# one runs at a time. So one npm ci, and the stack never starts before node_modules and the images
# are there, and never twice at once.
#   bash .devcontainer/workspace.sh install   updateContentCommand (prebuilds run it): npm ci when stale, the images
#   bash .devcontainer/workspace.sh start     postStartCommand: npm ci when stale, the stack, its verdict
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mkdir -p .cruddur/start
exec 9>.cruddur/workspace.lock
if ! flock -n 9; then
  echo "waiting for the workspace's other lifecycle command to finish (.cruddur/workspace.lock)"
  flock 9
fi

# npm ci only when node_modules is missing or older than the lockfile: a second start reuses it.
deps() {
  if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "node_modules is current: no npm ci"
  else
    echo "== npm ci (node_modules is missing or older than package-lock.json)"
    npm ci --no-audit --no-fund
  fi
}

case "${1:-}" in
  install)
    deps && docker compose build
    ;;
  start)
    if ! deps; then
      # Without node_modules there is no start to run: the verdict says so, where the student looks.
      printf '%s\n' "Cruddur workspace start, $(date -u +%Y-%m-%dT%H:%M:%SZ): ✘ the stack did not start" \
        "  ✘ npm ci failed (its output is in the workspace's creation log): once the network is back, run  bash .devcontainer/workspace.sh start" \
        >.cruddur/start/verdict.txt
      cat .cruddur/start/verdict.txt
      exit 0
    fi
    # The lock stays held by the start (it inherits fd 9) until the verdict is written.
    exec node_modules/.bin/node scripts/workspace-start.ts
    ;;
  *)
    echo "usage: bash .devcontainer/workspace.sh install|start" >&2
    exit 2
    ;;
esac
