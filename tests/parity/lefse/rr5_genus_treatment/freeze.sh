#!/usr/bin/env bash
# Debian lefse 1.1.2 on the RR-5 fecal genus table (Time=final, class Treatment, 5 classes):
#   lefse_format_input.py case.txt case.in -c 1 -u 2 -o 1000000
#   PYTHONHASHSEED=S lefse_run.py case.in lefse_run.res        (all lefse_run defaults)
# lefse_run draws its jitter class by class in Python set order, which depends on the string
# hash seed; S is the first seed >= 0 for which that order is the sorted order (orbiome's).
# Run from this folder.
set -eu
src=../../r_stats/rr5_genus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 make_case.py "$src/genus_counts.tsv" "$src/rr5_fecal_meta.tsv" "$tmp/case.txt"
lefse_format_input.py "$tmp/case.txt" "$tmp/case.in" -c 1 -u 2 -o 1000000 > /dev/null
seed=0
until PYTHONHASHSEED=$seed /usr/bin/python3 - "$tmp/case.in" <<'PY'
import sys, pickle
cls = list(pickle.load(open(sys.argv[1], "rb"))["cls"]["class"])
sys.exit(0 if list(set(cls)) == sorted(set(cls)) else 1)
PY
do seed=$((seed + 1)); done
echo "PYTHONHASHSEED=$seed" > hash_seed.txt
PYTHONHASHSEED=$seed lefse_run.py "$tmp/case.in" lefse_run.res > "$tmp/log"
cat "$tmp/log"
