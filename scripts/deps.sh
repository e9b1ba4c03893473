#!/usr/bin/env bash
# Installs the Debian 12 packages chainhub builds, runs and tests with (sudo when not root).
# Idempotent: installs only what is missing.
# python3-yaml and python3-jsonschema: tests/deploy/check_deploy.py (its schema check validates the
# rendered Kubernetes overlays against tests/deploy/k8s-schemas.json, offline).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libprotoc-dev
  libabsl-dev libhiredis-dev libjwt-dev libsqlite3-dev sqlite3 prometheus-cpp-dev libcpp-httplib-dev
  nlohmann-json3-dev libssl-dev libmimalloc-dev libjemalloc-dev libyaml-cpp-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev python3-aiosmtpd python3-yaml python3-jsonschema
  prometheus
  redis-server
  postgresql libpq-dev
  clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
