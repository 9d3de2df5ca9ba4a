#!/usr/bin/env bash
# Every start of a Dev Container workspace: the stack and a report.
# Not interactive: when the key or credentials are missing it says how to add them.
# One origin: the browser reaches only port 3000, so no port needs to be made public.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -z "${HONEYCOMB_API_KEY:-}" ] && ! grep -q '^HONEYCOMB_API_KEY=.' .env 2>/dev/null; then
  echo "No HONEYCOMB_API_KEY yet: run  npm run setup  (it asks, checks and saves it to .env), then  docker compose up -d"
fi

docker compose up -d
npm run doctor || true
