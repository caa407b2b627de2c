#!/usr/bin/env bash
# The whole Atelier system on this machine, on 127.0.0.1 only: Firestore, Auth and Storage emulators, the
# catalog seed, every function of functions/manifest.json on the Functions Framework invoker behind one front
# port (http://127.0.0.1:5001/<function-name>), Firestore triggers as CloudEvents, schedules. Ctrl-C stops it.
#   ./run-local.sh            normal
#   ./run-local.sh --chaos    every Firestore event delivered twice, shuffled (or ATELIER_CHAOS=1)
# Builds first when a jar is missing or a source is newer than the oldest jar.
set -euo pipefail
cd "$(dirname "$0")"
export RUN_LOCAL_START_MS=$(($(date +%s%N) / 1000000))

launcher=local-stack/target/atelier-local-stack-0.1.0-SNAPSHOT.jar
jars=("$launcher")
for name in $(grep -o '"name": *"[^"]*"' functions/manifest.json | sed 's/.*"\([^"]*\)"$/\1/'); do
  jars+=("functions/$name/target/function/$name.jar")
done
need_build=0
for jar in "${jars[@]}" local-stack/target/launcher.classpath; do
  [ -f "$jar" ] || need_build=1
done
if [ "$need_build" = 0 ]; then
  oldest=$(ls -t "${jars[@]}" | tail -1)
  if [ -n "$(find . -path ./local-stack/node_modules -prune -o -path '*/target' -prune -o -path ./.git -prune \
       -o -path ./.local-stack -prune -o -path ./terraform -prune \
       -o \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$oldest" -print -quit)" ]; then
    need_build=1
  fi
fi

# firebase-tools for the Auth emulator installs (npm ci, 40-120 s) while Maven builds and the stack starts.
npm_pid=""
if [ ! -x local-stack/node_modules/.bin/firebase ] || [ local-stack/package-lock.json -nt local-stack/node_modules/.package-lock.json ]; then
  echo "[run-local] installing firebase-tools (npm ci --ignore-scripts) in the background"
  (cd local-stack && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) &
  npm_pid=$!
fi
if [ "$need_build" = 1 ]; then
  echo "[run-local] building (mvn -B -q -T 1C install -Dmaven.test.skip=true)"
  mvn -B -q -T 1C install -Dmaven.test.skip=true
fi
# The launcher starts the Auth emulator once npm is done; the functions do not wait for it.
export ATELIER_NPM_PID="$npm_pid"

exec java -XX:TieredStopAtLevel=1 -cp "$launcher:$(cat local-stack/target/launcher.classpath)" dev.atelier.local.LocalStack "$@"
