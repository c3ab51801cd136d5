#!/usr/bin/env bash
# Installs every Debian package orbiome's build, tests and report need. Safe to run again.
# Needs root (apt-get). The list is the one the README names.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config git   # toolchain
  zlib1g-dev libhdf5-dev                                     # gzip, BIOM 2.1 (HDF5)
  libeigen3-dev libboost-dev libtbb-dev                      # linear algebra, distributions, threads
  libcli11-dev nlohmann-json3-dev libtoml11-dev              # command line, BIOM 1.0 JSON, study files
  libgtest-dev libbenchmark-dev                              # tests and micro-benchmarks
  clang libclang-rt-14-dev                                   # libFuzzer and sanitizers
  chromium                                                   # the report's real-browser test
  libglpk-dev libbz2-dev                                     # MinPath's integer program, .bz2 reaction maps
  libdeflate-dev                                             # fast gzip output (orbiome qc)
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The report's charting libraries (embedded at build time) and its browser-test driver, pinned
# by report/package-lock.json.
if ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm
fi
report_dir="$(dirname "$0")/../report"
# package.json pins exact versions, so a tree that `npm ls` accepts is the pinned one; `npm ci`
# would otherwise delete and reinstall it on every run.
npm ls --prefix "$report_dir" --depth=0 >/dev/null 2>&1 ||
  npm ci --prefix "$report_dir" --no-audit --no-fund --loglevel=error
echo "orbiome build dependencies are installed"
