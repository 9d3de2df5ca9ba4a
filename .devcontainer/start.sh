#!/usr/bin/env bash
# Every start of a Dev Container workspace (postStartCommand): the stack and its verdict
# (scripts/workspace-start.ts). On Ona the automations file does that instead (.ona/).
cd "$(dirname "$0")/.." || exit 1
if [ -n "${GITPOD_ENVIRONMENT_ID:-}" ]; then
  echo "Ona: the stack starts as the service 'stack' of .ona/automations.yaml"
  exit 0
fi
exec node_modules/.bin/node scripts/workspace-start.ts
