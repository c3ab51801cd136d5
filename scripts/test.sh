#!/usr/bin/env bash
# Builds orbiome and runs every test suite: unit (no outside files), shared-data parity (skips
# when ../shared/data is absent) and whole-process CLI tests.
#   scripts/test.sh                 release-type build in build/
#   ORBIOME_BUILD=build-asan ORBIOME_CMAKE_ARGS=-DORBIOME_SANITIZE=address scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ORBIOME_BUILD:-build}
jobs=$(nproc)
# shellcheck disable=SC2086
cmake -S . -B "$build" -G Ninja -DORBIOME_WERROR=ON ${ORBIOME_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" ${ORBIOME_CTEST_ARGS:-}
