#!/usr/bin/env bash
# `npm run test:real`: build the real kube-apiserver if needed, then run the two-backend and real-only test files
# against it. Without Go the suite is skipped with the reason, except in CI, where skipping would hide it.
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! command -v go >/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "test:real: Go is not installed, and CI never skips the real API server suite" >&2
    exit 1
  fi
  echo "test:real: skipped: Go is not installed (it builds the kube-apiserver these tests run against)"
  exit 0
fi
start=$(date +%s)
bash test/real/build-testenv.sh >/dev/null || exit 1
echo "test:real: kube-apiserver ready to run after $(( $(date +%s) - start )) s (build or cache hit)"
# The ten-minute quiet watch has a server of its own: run it beside the rest instead of after it. A JSON report
# asked for with --outputFile.json=F is written to F for the rest and to F minus .json plus .quiet.json for it.
quiet=test/real/quiet-watch.real.test.ts
quiet_args=()
for arg in "$@"; do
  case "$arg" in
    --outputFile.json=*) quiet_args+=("${arg%.json}.quiet.json") ;;
    *) quiet_args+=("$arg") ;;
  esac
done
npx vitest run --config vitest.real.config.ts "${quiet_args[@]}" "$quiet" &
quiet_pid=$!
npx vitest run --config vitest.real.config.ts --exclude "$quiet" "$@"
status=$?
wait "$quiet_pid" || status=1
exit "$status"
