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
# With file filters (`npm run test:real -- test/e2e/suspend`) each run happens only if a filter is meant for it.
quiet=test/real/quiet-watch.real.test.ts
quiet_args=()
run_quiet=1
run_rest=1
filtered=
after_flag=
for arg in "$@"; do
  if [ -n "$after_flag" ]; then
    after_flag=
    quiet_args+=("$arg")
  elif [ "$arg" = "-t" ] || [ "$arg" = "--testNamePattern" ]; then
    after_flag=1
    quiet_args+=("$arg")
  elif [ "${arg#-}" != "$arg" ]; then
    case "$arg" in
      --outputFile.json=*) quiet_args+=("${arg%.json}.quiet.json") ;;
      *) quiet_args+=("$arg") ;;
    esac
  else
    # A positional argument is a file filter, matched against each file's path.
    if [ -z "$filtered" ]; then filtered=1; run_quiet=; run_rest=; fi
    case "$quiet" in
      *"$arg"*) run_quiet=1; case "$arg" in *quiet*) ;; *) run_rest=1 ;; esac ;;
      *) run_rest=1 ;;
    esac
  fi
done
quiet_pid=
if [ -n "$run_quiet" ]; then
  npx vitest run --config vitest.real.config.ts "${quiet_args[@]}" "$quiet" &
  quiet_pid=$!
fi
status=0
if [ -n "$run_rest" ]; then
  npx vitest run --config vitest.real.config.ts --exclude "$quiet" "$@" || status=$?
fi
if [ -n "$quiet_pid" ]; then wait "$quiet_pid" || status=1; fi
exit "$status"
