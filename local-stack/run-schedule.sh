#!/usr/bin/env bash
# Runs a scheduled function now, as Cloud Scheduler would (POST with its headers), through the running stack.
#   local-stack/run-schedule.sh <function-name>
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: $0 <scheduled-function-name>" >&2; exit 2; }
front=$(grep -o '"frontUrl": *"[^"]*"' .local-stack/stack.json 2>/dev/null | sed 's/.*: *"//; s/"$//') \
  || { echo "no running stack (start ./run-local.sh)" >&2; exit 1; }
curl -sS --fail-with-body -X POST "$front/_schedules/$1:run"
echo
