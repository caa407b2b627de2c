#!/usr/bin/env bash
# Cold start of each function as the local stack launches it, one at a time, against the running stack.
#   local-stack/cold-start.sh [runs-per-function, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
java -XX:TieredStopAtLevel=1 -cp "local-stack/target/atelier-local-stack-0.1.0-SNAPSHOT.jar:$(cat local-stack/target/launcher.classpath)" \
  dev.atelier.local.ColdStartProbe "$@"
