#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in their own build dir and runs each for a while on a
# scratch copy of its seed corpus. Exits non-zero when any target crashes; crash inputs are kept
# under <build dir>/fuzz-crashes/<target>/ (reproduce with: <build dir>/tests/fuzz/<target> FILE).
#
#   tests/fuzz/run.sh [BUILD_DIR]        default BUILD_DIR: build-fuzz in the source tree
#   FUZZ_SECONDS=300 tests/fuzz/run.sh   run each target for 300 s (default 30)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-${root}/build-fuzz}"
seconds="${FUZZ_SECONDS:-30}"
jobs="${FUZZ_BUILD_JOBS:-2}"

# name of the target, corpus dir, longest input worth trying.
targets=(
  "filter_fuzz filter 2100"
  "credit_code_fuzz credit_code 64"
  "project_row_fuzz project_row 4096"
  "scheme_file_fuzz scheme_file 4096"
  "eligibility_fuzz eligibility 2100"
)

generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
export CCACHE_BASEDIR="${root}"

echo "== configuring ${build}"
cmake -S "${root}" -B "${build}" "${generator[@]}" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCHAINHUB_BUILD_FUZZ=ON -DCHAINHUB_BUILD_TESTS=ON >/dev/null
echo "== building"
names=()
for t in "${targets[@]}"; do names+=("${t%% *}"); done
cmake --build "${build}" -j "${jobs}" --target "${names[@]}"

scratch="$(mktemp -d)"
trap 'rm -rf "${scratch}"' EXIT

failed=()
for t in "${targets[@]}"; do
  read -r name corpus max_len <<<"${t}"
  work="${scratch}/${name}"
  mkdir -p "${work}/corpus" "${work}/artifacts"
  cp -R "${root}/tests/fuzz/corpus/${corpus}/." "${work}/corpus/"
  echo "== ${name}: ${seconds}s"
  set +e
  "${build}/tests/fuzz/${name}" -max_total_time="${seconds}" -max_len="${max_len}" -timeout=10 \
    -artifact_prefix="${work}/artifacts/" -print_final_stats=1 "${work}/corpus" \
    >"${work}/log" 2>&1
  rc=$?
  set -e
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added)' "${work}/log" || true
  if [[ ${rc} -ne 0 ]]; then
    failed+=("${name}")
    keep="${build}/fuzz-crashes/${name}"
    mkdir -p "${keep}"
    cp -R "${work}/artifacts/." "${keep}/" 2>/dev/null || true
    cp "${work}/log" "${keep}/log"
    echo "!! ${name} failed (exit ${rc}); inputs and log in ${keep}"
    tail -n 40 "${work}/log"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all fuzz targets ran ${seconds}s without a crash"
