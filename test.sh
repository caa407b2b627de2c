#!/usr/bin/env bash
# Every test: the Maven build with all unit, conformance and concurrency tests against our Firestore
# emulator (mvn -B verify), then the scripted demo against the whole local stack, once normally and
# once with chaos delivery (every Firestore event twice, out of order).
set -euo pipefail
cd "$(dirname "$0")"
terraform/test/run.sh
mvn -B verify
local-stack/demo.sh
local-stack/demo.sh --chaos
