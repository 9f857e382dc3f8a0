#!/usr/bin/env bash
# Builds test/kube-testenv (kube-apiserver v1.36.3 + embedded etcd 3.6.8) once into a cache
# outside the repository, keyed by go.sum + main.go + the Go version, and prints the binary's path.
# Cold: ~6 min of two idle cores and ~1.9 GB of memory; warm (same key): nothing to do.
# --cached: never build; print the path if the binary is cached, else say so on stderr and exit 4 (the bench).
set -euo pipefail
src="$(cd "$(dirname "$0")/../kube-testenv" && pwd)"
command -v go >/dev/null || { echo "build-testenv: go is not installed" >&2; exit 3; }
export GOTOOLCHAIN=local CGO_ENABLED=0
cache="${CRASHTOP_TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crashtop/kube-testenv}"
key=$( { cat "$src/go.sum" "$src/main.go" "$src/go.mod"; go version; } | sha256sum | cut -c1-16)
bin="$cache/$key/kube-testenv"
if [ ! -x "$bin" ] && [ "${1:-}" = "--cached" ]; then
  echo "not built: bash test/real/build-testenv.sh builds it (about 6 minutes of both cores)" >&2
  exit 4
fi
if [ ! -x "$bin" ]; then
  mkdir -p "$cache/$key"
  v=v1.36.3
  start=$(date +%s)
  echo "build-testenv: building kube-apiserver $v into $bin (cold: about 6 minutes)" >&2
  ( cd "$src" && go build -trimpath -o "$bin.tmp" -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$v -X k8s.io/component-base/version.gitMajor=1 \
      -X k8s.io/component-base/version.gitMinor=36 -X k8s.io/component-base/version.gitTreeState=clean \
      -X k8s.io/client-go/pkg/version.gitVersion=$v -X k8s.io/client-go/pkg/version.gitMajor=1 \
      -X k8s.io/client-go/pkg/version.gitMinor=36 -X k8s.io/client-go/pkg/version.gitTreeState=clean" . )
  mv "$bin.tmp" "$bin"
  echo "build-testenv: built in $(( $(date +%s) - start )) s" >&2
fi
echo "$bin"
