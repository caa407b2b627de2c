#!/usr/bin/env bash
# Builds every function of functions/manifest.json and zips its deploy folder for Terraform:
# functions/<name>/target/function.zip (one jar at the root, reproducible bytes).
# Terraform uploads each zip under a name carrying its SHA-256, so only changed functions redeploy.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -DfunctionZip package "$@"
status=0
for name in $(node -e 'for (const f of require("./functions/manifest.json").functions) console.log(f.name)'); do
  zip="functions/$name/target/function.zip"
  if [[ -f "$zip" ]]; then
    printf '%s  %s\n' "$(sha256sum "$zip" | cut -c1-16)" "$zip"
  else
    echo "missing: $zip (is functions/$name a module of functions/pom.xml?)" >&2
    status=1
  fi
done
exit $status
