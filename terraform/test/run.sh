#!/usr/bin/env bash
# Offline check of terraform/ (terraform/README.md, "Checked offline"): installs the pinned checker from
# package-lock.json (npm ci; skipped while node_modules matches the lockfile), then runs the node:test suite.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.installed-from
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
node --test terraform.test.js
