#!/bin/bash
# Study-design benchmarks (issue #16): realism, calibration, power curves, speed.
# Usage: bash bench/power/run.sh [build/orbiome]   (needs ../shared/data; about 3 minutes on 2 cores)
set -euo pipefail
ORBIOME=$(realpath "${1:-build/orbiome}")
HERE=$(cd "$(dirname "$0")" && pwd)
RR5="$HERE/../../../shared/data/rr5/16S_fecal"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
T=(--table "$RR5/otu_table.txt" --taxonomy "$RR5/tax_table.txt" --metadata "$RR5/meta_table.txt" --rank genus
   --group Treatment --reference ISS_G)

echo "## Realism (simulated vs real reference group)"
/usr/bin/python3 "$HERE/realism.py" "$ORBIOME" 1

echo; echo "## Calibration: no effect, 500 replicates, RR-5 genus (fwer = per-method false-positive rate)"
"$ORBIOME" power "${T[@]}" --n 5,10,20 --methods linda,wilcoxon,welch,permanova --replicates 500 --seed 11 \
  --threads 2 --out "$OUT/null.tsv"
grep -v '^#orbiome' "$OUT/null.tsv" | cut -f1-2,7-14

# LinDA's false-positive rate at 5 and 10 per group with both standard errors, on simulated and
# on real (relabelled) mice: bench/power/linda_calibration.py (about 3 minutes per line; figures in
# bench/POWER.md), not run here.

echo; echo "## Power vs n and fold: Lactobacillus and Dorea, 200 replicates"
for fold in 1.5 2 4; do
  "$ORBIOME" power "${T[@]}" --n 5,10,20,40 --effect Lactobacillus=$fold --effect Dorea=$fold \
    --methods linda,wilcoxon,permanova --replicates 200 --seed 12 --threads 2 --out "$OUT/fold$fold.tsv"
  grep -v '^#' "$OUT/fold$fold.tsv" | awk -F'\t' 'NR == 1 || $10 == "all" || $10 == "community"' | cut -f1-6,10
done

echo; echo "## Welch t on log-normal data: simulated vs analytic power (20,000 replicates, tests/unit/simulate)"
UNIT="$(dirname "$ORBIOME")/tests/unit_simulate"
"$UNIT" --gtest_filter='Power.WelchOnLogNormal*' | grep '^welch on log-normal'

echo; echo "## Speed: 1,000 replicates x 4 sample sizes x 3 methods, RR-5 genus, 2 threads (best of 2)"
for i in 1 2; do
  /usr/bin/time -f "%e s wall, %U s user, %M KB" "$ORBIOME" power "${T[@]}" --n 5,10,20,40 \
    --effect Lactobacillus=2 --effect Dorea=2 --methods linda,wilcoxon,permanova --replicates 1000 --seed 13 \
    --threads 2 --out "$OUT/speed.tsv"
done
echo; echo "## Determinism: --threads 1 and 2 give the same power.tsv"
"$ORBIOME" power "${T[@]}" --n 5,10 --effect Lactobacillus=2 --methods linda,wilcoxon,permanova --replicates 50 \
  --seed 14 --threads 1 --out "$OUT/t1.tsv"
"$ORBIOME" power "${T[@]}" --n 5,10 --effect Lactobacillus=2 --methods linda,wilcoxon,permanova --replicates 50 \
  --seed 14 --threads 2 --out "$OUT/t2.tsv"
cmp "$OUT/t1.tsv" "$OUT/t2.tsv" && echo identical
