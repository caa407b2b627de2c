#!/usr/bin/env bash
# Starts the Firebase Auth emulator (firebase-tools pinned by package-lock.json) on 127.0.0.1:9099, offline.
#   local-stack/auth-emulator.sh [project-id]      default: $AUTH_EMULATOR_PROJECT or atelier-local
# Installs firebase-tools first when node_modules is missing or older than the lockfile (npm ci, no install
# scripts: the auth emulator needs none of the native builds). Ready when GET http://127.0.0.1:9099/ is 200.
# SIGINT/SIGTERM stops it (exec: the emulator is this process). Ports: 9099 auth, 4400 hub, 4500 logging.
set -euo pipefail
cd "$(dirname "$0")"
project="${1:-${AUTH_EMULATOR_PROJECT:-atelier-local}}"

if [ ! -x node_modules/.bin/firebase ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "auth-emulator: installing firebase-tools (npm ci --ignore-scripts)" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi

export NO_UPDATE_NOTIFIER=1
exec node_modules/.bin/firebase emulators:start --only auth --project "$project"
