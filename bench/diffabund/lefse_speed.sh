#!/usr/bin/env bash
# LEfSe speed, side by side: Debian lefse 1.1.2 (lefse_run.py on LEfSe's formatted .in) vs
# `orbiome diff --method lefse` on the same data (LEfSe .txt split by convert.py).
# Usage: bash lefse_speed.sh ORBIOME [SHARED_DATA]
set -eu
bin=$1
d=${2:-/work/shared/data}/tables/lefse_hmp_aerobiosis
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/../../tests/parity/lefse/hmp_aerobiosis/convert.py" "$d/hmp_small_aerobiosis.txt" "$tmp/t.tsv" "$tmp/m.tsv"
t0=$(date +%s.%N); lefse_run.py "$d/hmp_small_aerobiosis.in" "$tmp/ref.res" > /dev/null; t1=$(date +%s.%N)
for i in 1 2 3 4 5; do
  "$bin" diff --table "$tmp/t.tsv" --metadata "$tmp/m.tsv" --formula oxygen_availability --subclass body_site \
      --subject subject_id --method lefse --out "$tmp/ours.tsv"
done
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {l = b - a; o = (c - b) / 5; printf "lefse_run.py %.2f s, orbiome %.3f s (mean of 5, incl. reading the table), ratio %.0fx\n", l, o, l / o}'
