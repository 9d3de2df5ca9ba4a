#!/usr/bin/env bash
# Every start of a Dev Container workspace: the stack and a report (scripts/workspace-start.ts,
# tested). One origin: the browser reaches only port 3000, so no port needs to be made public.
cd "$(dirname "$0")/.." && exec node_modules/.bin/node scripts/workspace-start.ts
