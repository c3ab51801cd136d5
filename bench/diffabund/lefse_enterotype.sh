#!/usr/bin/env bash
# LEfSe at the size of the enterotype table, side by side: Debian lefse 1.1.2 vs
# `orbiome diff --method lefse`, same data, same run, with the parity check.
# Case: phyloseq's `enterotype` (Arumugam et al. 2011; Debian r-bioc-phyloseq 1.42.0's
# enterotype.RData), 553 genera x 271 samples with an enterotype label (3 classes; the 9
# unlabelled samples dropped), written by enterotype_case.R. LEfSe: lefse_format_input.py -c 1 -u 2
# -o 1000000, then lefse_run.py with every default, under the first PYTHONHASHSEED whose set order
# of the classes is the sorted order orbiome uses (as tests/parity/lefse/rr5_genus_treatment).
# lefse_run.py is timed once (it takes tens of seconds); orbiome (reading the table, scaling,
# tests, 30-resample LDA, writing) is the best of 5 runs per thread count.
# Usage: bash lefse_enterotype.sh ORBIOME [WORKDIR]
set -eu
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=${2:-$(mktemp -d)}
mkdir -p "$tmp"
Rscript "$here/enterotype_case.R" "$tmp" 2>/dev/null
lefse_format_input.py "$tmp/case.txt" "$tmp/case.in" -c 1 -u 2 -o 1000000 > /dev/null
seed=0
until PYTHONHASHSEED=$seed /usr/bin/python3 - "$tmp/case.in" <<'PY'
import sys, pickle
cls = list(pickle.load(open(sys.argv[1], "rb"))["cls"]["class"])
sys.exit(0 if list(set(cls)) == sorted(set(cls)) else 1)
PY
do seed=$((seed + 1)); done
t0=$(date +%s%N)
PYTHONHASHSEED=$seed lefse_run.py "$tmp/case.in" "$tmp/lefse.res" > "$tmp/lefse.log"
t1=$(date +%s%N)
lefse_ns=$((t1 - t0))
best() {  # best-of-5 wall nanoseconds
  local b=-1 s e
  for _ in 1 2 3 4 5; do
    s=$(date +%s%N); "$@"; e=$(date +%s%N)
    if (( b < 0 || e - s < b )); then b=$((e - s)); fi
  done
  echo "$b"
}
orb=("$bin" diff --table "$tmp/table.tsv" --metadata "$tmp/meta.tsv" --formula Enterotype --subject subject
     --method lefse --out "$tmp/ours.tsv")
o1=$(best "${orb[@]}" --threads 1)
o2=$(best "${orb[@]}" --threads 2)
grep -o '[0-9]* features passed the tests' "$tmp/ours.tsv"
/usr/bin/python3 "$here/lefse_compare.py" "$tmp/ours.tsv" "$tmp/lefse.res"
awk -v l="$lefse_ns" -v a="$o1" -v b="$o2" 'BEGIN {
  printf "lefse_run.py %.2f s; orbiome %.3f s (1 thread), %.3f s (2 threads); ratio %.0fx (1 thread), %.0fx (2 threads)\n",
         l / 1e9, a / 1e9, b / 1e9, l / a, l / b }'
