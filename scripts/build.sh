#!/usr/bin/env bash
# Configures and builds chainhub into build/ (Ninja, ccache, -j2). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
BUILD_DIR="${CHAINHUB_BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${CHAINHUB_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
targets=()
if [ -n "${CHAINHUB_TARGETS:-}" ]; then
  read -r -a names <<<"$CHAINHUB_TARGETS"
  targets=(--target "${names[@]}")
fi
cmake --build "$BUILD_DIR" -j "${CHAINHUB_JOBS:-2}" "${targets[@]}"
