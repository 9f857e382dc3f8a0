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
exec npx vitest run --config vitest.real.config.ts "$@"
