#!/usr/bin/env bash
# Partitioned distance matrices at cohort scale (issue #15): a synthetic N-sample x 10,000-feature
# table (make_table.py) through `orbiome beta --partition I/P` partition by partition, then
# `beta merge`, with wall time, CPU time and peak memory of every job; the merged matrix is checked
# against the unpartitioned one where that fits (N <= 5,000). Then FSVD PCoA vs the exact one.
#   bash bench/scale/run.sh ORBIOME [SAMPLES...]      (default: 2500 5000 10000 20000)
# Needs /usr/bin/python3 with biom-format and scipy, GNU time (/usr/bin/time), ~10 GB free disk
# at 20,000 samples. Writes a TSV of measurements to stdout.
set -euo pipefail
orbiome=$(realpath "$1"); shift
sizes=("${@:-2500 5000 10000 20000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
features=10000
parts=4
threads=2
work=$(mktemp -d "${TMPDIR:-/tmp}/orbiome-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)

measure() {  # measure LABEL CMD... -> one TSV row: label, wall s, cpu s, peak MB
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r wall user sys rss <"$work/time"
  printf '%s\t%s\t%.2f\t%.0f\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)"
}

printf 'job\twall_s\tcpu_s\tpeak_mb\n'
for n in "${sizes[@]}"; do
  /usr/bin/python3 "$here/make_table.py" "$n" "$features" "$work/t$n.biom" "$work/t$n.nwk"
  for metric in braycurtis unweighted_unifrac; do
    # UniFrac at 20,000 samples is hours of CPU on 2 cores: measure it up to 10,000.
    if [[ $metric == unweighted_unifrac && $n -gt 10000 ]]; then continue; fi
    tree=(); [[ $metric == *unifrac ]] && tree=(--tree "$work/t$n.nwk")
    for ((i = 1; i <= parts; i++)); do
      measure "n=$n $metric part $i/$parts" "$orbiome" beta --table "$work/t$n.biom" --metric "$metric" \
        "${tree[@]}" --threads "$threads" --partition "$i/$parts" --out "$work/p$i"
    done
    measure "n=$n $metric merge" "$orbiome" beta merge "$work"/p[1-9]* --out "$work/dm$n.$metric.tsv"
    if [[ $metric == braycurtis ]] && ((n > 5000)); then
      measure "n=$n $metric merge to HDF5" "$orbiome" beta merge "$work"/p[1-9]* --out "$work/dm$n.$metric.h5"
    fi
    if ((n <= 5000)); then
      measure "n=$n $metric whole" "$orbiome" beta --table "$work/t$n.biom" --metric "$metric" "${tree[@]}" \
        --threads "$threads" --out "$work/whole.tsv"
      cmp -s "$work/whole.tsv" "$work/dm$n.$metric.tsv" || { echo "merged != whole at n=$n $metric" >&2; exit 1; }
      rm -f "$work/whole.tsv"
    fi
    rm -f "$work"/p[1-9]*
    [[ $metric == braycurtis ]] || rm -f "$work/dm$n.$metric.tsv"
  done
  # PCoA: fsvd (10 axes) at every size; exact only where O(n^3) is affordable.
  dm="$work/dm$n.braycurtis.tsv"; [[ -f $work/dm$n.braycurtis.h5 ]] && dm="$work/dm$n.braycurtis.h5"
  measure "n=$n pcoa fsvd 10 axes" "$orbiome" pcoa --dm "$dm" --method fsvd --dimensions 10 \
    --threads "$threads" --out "$work/fsvd.tsv"
  if ((n > 5000)); then
    # orbiome's exact PCoA computes all n eigenpairs (O(n^3), hours at 20,000): the reference here is
    # LAPACK's dsyevr for the top 10 only, plus each FSVD axis's residual.
    measure "n=$n exact top 10 (scipy dsyevr)" /usr/bin/python3 "$here/exact_top_axes.py" "$work/dm$n.braycurtis.h5" \
      "$work/fsvd.tsv" 10
    cat "$work/err" >&2
  else
    measure "n=$n pcoa exact" "$orbiome" pcoa --dm "$work/dm$n.braycurtis.tsv" --dimensions 10 --out "$work/exact.tsv"
    /usr/bin/python3 - "$work/fsvd.tsv" "$work/exact.tsv" "$n" <<'PY'
import sys
def load(p):
    rows = [l.rstrip("\n").split("\t") for l in open(p) if not l.startswith("#")]
    return [[float(x) for x in r[1:]] for r in rows[1:]]
a, b = load(sys.argv[1]), load(sys.argv[2])
err = max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
print(f"n={sys.argv[3]} fsvd vs exact: max |coordinate difference| over 10 axes = {err:.3g}", file=sys.stderr)
PY
  fi
  rm -f "$work"/t"$n".* "$work"/dm"$n".*
done
