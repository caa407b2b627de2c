#!/usr/bin/env bash
# The scripted demo (see dev.atelier.local.demo.Demo) against the local stack; exit 0 only if every step is right.
#   local-stack/demo.sh            uses the running stack, or starts ./run-local.sh for the demo and stops it after
#   local-stack/demo.sh --chaos    the same with every Firestore event delivered twice, shuffled
set -euo pipefail
cd "$(dirname "$0")/.."
chaos=false
for arg in "$@"; do [ "$arg" = --chaos ] && chaos=true; done
[ "${ATELIER_CHAOS:-}" = 1 ] && chaos=true
info=.local-stack/stack.json
field() { grep -o "\"$1\": *[^,}]*" "$info" | head -1 | sed 's/.*: *//; s/"//g'; }
running() { [ -f "$info" ] && kill -0 "$(field pid)" 2>/dev/null; }

if running; then
  if [ "$(field chaos)" != "$chaos" ]; then
    echo "demo: a stack is running with chaos=$(field chaos); stop it (Ctrl-C) or match the --chaos flag" >&2
    exit 2
  fi
else
  mkdir -p .local-stack
  if $chaos; then ./run-local.sh --chaos > .local-stack/demo-stack.log 2>&1 & else ./run-local.sh > .local-stack/demo-stack.log 2>&1 & fi
  stack=$!
  trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT
  start=$SECONDS
  until running; do
    if ! kill -0 $stack 2>/dev/null || [ $((SECONDS - start)) -gt 300 ]; then
      echo "demo: the stack did not come up; last lines of .local-stack/demo-stack.log:" >&2
      tail -30 .local-stack/demo-stack.log >&2
      exit 1
    fi
    sleep 1
  done
  grep -E "ready in|cold start" .local-stack/demo-stack.log || true
fi

java -XX:TieredStopAtLevel=1 -cp "local-stack/target/atelier-local-stack-0.1.0-SNAPSHOT.jar:$(cat local-stack/target/launcher.classpath)" \
  dev.atelier.local.demo.Demo
