#!/usr/bin/env bash
# Builds the suites that exercise threads (parallel_for over samples/pairs/permutations, the read
# pipeline, QC, functional profiling, amplicon denoising) with ThreadSanitizer and runs them.
# oneTBB itself is not instrumented, so its known-benign internal reports are suppressed in
# tests/tsan.supp; our code is not.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ORBIOME_TSAN_BUILD:-build-tsan}
cmake -S . -B "$build" -G Ninja -DORBIOME_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for d in table ecology diffabund classify index qc function amplicon; do
  [[ -d tests/unit/$d ]] && targets+=("unit_$d")
done
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
regex=$(IFS='|'; echo "^unit\\.(${targets[*]/#unit_/})\\.")
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -R "$regex"
