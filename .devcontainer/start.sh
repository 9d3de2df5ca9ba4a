#!/usr/bin/env bash
# Every start of a Dev Container workspace: the URLs of this workspace, the stack, a report.
# Not interactive: when the key or credentials are missing it says how to add them.
set -uo pipefail
cd "$(dirname "$0")/.."

# This workspace's public URLs (a new workspace has new ones; they are never saved).
eval "$(node scripts/workspace-urls.ts)"
for name in FRONTEND_URL BACKEND_URL OTEL_COLLECTOR_PUBLIC_URL; do
  grep -q "^export $name=" ~/.bashrc 2>/dev/null && sed -i "/^export $name=/d" ~/.bashrc
  echo "export $name=\"${!name}\"" >> ~/.bashrc
done

# In Codespaces the browser can only reach ports that are public.
if [ -n "${CODESPACE_NAME:-}" ] && command -v gh >/dev/null; then
  gh codespace ports visibility 3000:public 4567:public 4318:public -c "$CODESPACE_NAME" >/dev/null 2>&1 \
    || echo "Make ports 3000, 4567 and 4318 public (Ports tab, right-click, Port visibility) so the browser can reach them."
fi

if [ -z "${HONEYCOMB_API_KEY:-}" ] && ! grep -q '^HONEYCOMB_API_KEY=.' .env 2>/dev/null; then
  echo "No HONEYCOMB_API_KEY yet: run  npm run setup  (it asks, checks and saves it), then  docker compose up -d"
fi

docker compose up -d
npm run doctor || true
