#!/usr/bin/env bash
# Configures and builds orbiome (release-type build with debug info) in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)" --target orbiome
