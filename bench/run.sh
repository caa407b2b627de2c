#!/usr/bin/env bash
# Performance benchmark (not a test; prints figures): cold start of every HTTP function beside the runtime's
# floor (an empty HttpFunction, same invoker and JVM flags) and a Node peer of redeem-code, warm latency,
# peak RSS, one instance's throughput at request concurrency 1/8/32/80. Starts its own emulators; see bench/README.md.
#   bench/run.sh [--rounds 8] [--warm 200] [--concurrency 1,8,32,80] [--per-level 800] [--only redeem-code,...] [--one-cpu] [--keep-logs]
#                [--java JDK] [--vs-flags 'JVM flags'] [--vs-env NAME=value,...] [--vs-packages DIR] [--vs-java JDK]
# (--concurrency '' skips the load run; --keep-logs keeps every process's log (the folder is printed first); --only limits the functions, the floor and the Node peer always run;
# --one-cpu pins every measured process to CPU 0, as an instance with available_cpu 1; --vs-flags/--vs-env run each
# function a second time in every round with those flags added to its JAVA_TOOL_OPTIONS and those variables to its
# environment, and count the rounds each wins; --vs-packages runs that second time from DIR/<function>/<function>.jar, a
# deploy folder packaged another way and copied aside, --vs-java on the JDK in that folder; --java runs the floor and
# every function on the JDK in that folder instead of the one running the benchmark: the deployed runtime's major version)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -T 1C install -Dmaven.test.skip=true
(cd bench/node-peer && { [ -d node_modules ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; })
exec java -cp "local-stack/target/atelier-local-stack-0.1.0-SNAPSHOT.jar:$(cat local-stack/target/launcher.classpath)" \
  dev.atelier.local.bench.Benchmark "$@"
