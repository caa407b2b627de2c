#!/usr/bin/env bash
# reconcile at scale: 100,000 ledger entries over 1,000 users and 20,000 history items in the in-process
# emulator, drift injected, then reconcile until finished and once more on repaired data. Prints time, runs,
# pages and Firestore operations per document. Not part of ./test.sh (a few minutes on 2 cores).
#   bench/reconcile-scale.sh [-Dscale.users=200] [-Dscale.budgetSeconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
log=functions/reconcile/target/reconcile-scale.log
mkdir -p "$(dirname "$log")"
status=0
mvn -B -pl functions/reconcile -am verify -Dtest=ReconcileScaleTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfmt.skip "$@" > "$log" 2>&1 || status=$?
grep -E '^\[scale\]|Tests run: [1-9].*ReconcileScale|BUILD' "$log" || true
[ "$status" = 0 ] || { tail -40 "$log"; echo "failed: full log in $log" >&2; }
exit "$status"
