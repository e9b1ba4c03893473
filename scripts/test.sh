#!/usr/bin/env bash
# Runs every chainhub test on this machine: installs what is missing, builds, then runs the unit,
# integration and fault suites (real redis-server, real SQLite, real gRPC on loopback), the
# libFuzzer targets briefly, and the main job end to end (scripts/run.sh --once).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

"$ROOT/scripts/deps.sh"

start=$(date +%s)
echo "== build" >&2
"$ROOT/scripts/build.sh" -DCHAINHUB_BUILD_TESTS=ON

echo "== unit, integration and fault tests" >&2
ctest --test-dir "$ROOT/build" --output-on-failure -j 2 --timeout 300

echo "== fuzz (${FUZZ_SECONDS:-20}s per target)" >&2
FUZZ_SECONDS="${FUZZ_SECONDS:-20}" "$ROOT/tests/fuzz/run.sh"

echo "== main job, end to end" >&2
"$ROOT/scripts/run.sh" --once

echo "all tests passed in $(( $(date +%s) - start ))s" >&2
