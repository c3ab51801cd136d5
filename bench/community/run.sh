#!/usr/bin/env bash
# PERMANOVA benchmark: orbiome vs scikit-bio 0.5.8 (skbio.stats.distance.permanova) vs vegan 2.6-4
# (adonis2), same synthetic seeded input, same run. Usage:
#   bench/community/run.sh [ORBIOME_BIN] [N_SAMPLES] [PERMUTATIONS]
# defaults: build-community/orbiome, 1000 samples (3 groups, 500 features, Bray-Curtis), 999 permutations.
# Reports wall seconds of the test itself: peers time only their permanova call (after reading;
# scikit-bio best of 3 calls); for orbiome the whole process minus a --permutations 0 run of the
# same input (reading + fit), each the best of 5 runs, and the whole process too. Whole process
# against whole process: orbiome's (start, read the matrix TSV and metadata, fit, permute, write)
# against scikit-bio's read (DistanceMatrix.read, best of 3) + test call, and against
# skbio_whole.py run as a process (Python start and imports included; best of 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build-community/orbiome}
n=${2:-1000}
perms=${3:-999}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/make_input.py" "$n" 500 3 7 "$work"

t() {  # best-of-5 wall seconds of a command (ms resolution); CPU seconds of its last run
  local best=-1 start end
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$work/time" "$@" >/dev/null
    end=$(date +%s%N)
    if (( best < 0 || end - start < best )); then best=$(( end - start )); fi
  done
  awk -v b="$best" '{printf "%.3f %.3f", b / 1e9, $1 + $2}' "$work/time"
}
orb=("$bin" permanova --dm "$work/dm.tsv" --metadata "$work/metadata.tsv" --formula group --seed 1 --out "$work/o.tsv")

read -r base_wall base_cpu <<<"$(t "${orb[@]}" --permutations 0)"
read -r o1_wall o1_cpu <<<"$(t "${orb[@]}" --permutations "$perms" --threads 1)"
o1_f=$(awk -F'\t' '$1=="group"{print $5"\t"$6}' "$work/o.tsv")
read -r o2_wall o2_cpu <<<"$(t "${orb[@]}" --permutations "$perms" --threads 2)"
sk=$(/usr/bin/python3 "$here/skbio_permanova.py" "$work" "$perms")
sk_whole=$(for _ in 1 2 3; do
  start=$(date +%s%N); /usr/bin/python3 "$here/skbio_whole.py" "$work" "$perms" "$work/sk.tsv"; end=$(date +%s%N)
  echo $(( end - start ))
done | sort -n | head -1)
# VEGAN=0 skips vegan (about 20 s, 100 s on a loaded machine); its row then shows nan.
if [[ ${VEGAN:-1} == 0 ]]; then vg=$'nan\tnan\tnan'; else vg=$(Rscript "$here/vegan_adonis2.R" "$work" "$perms"); fi

awk -v n="$n" -v p="$perms" -v bw="$base_wall" -v o1w="$o1_wall" -v o1c="$o1_cpu" -v bc="$base_cpu" \
    -v o2w="$o2_wall" -v of="$o1_f" -v sk="$sk" -v vg="$vg" -v skw="$sk_whole" 'BEGIN {
  split(sk, s, "\t"); split(vg, v, "\t"); split(of, o, "\t");
  t1 = o1w - bw; t2 = o2w - bw;
  printf "PERMANOVA, %d samples, 3 groups, %d permutations\n", n, p;
  printf "%-34s %10s %10s %12s %8s\n", "tool", "test_s", "process_s", "F", "p";
  printf "%-34s %10.3f %10.3f %12.6f %8s\n", "orbiome --threads 1", t1, o1w, o[1], o[2];
  printf "%-34s %10.3f %10.3f %12s %8s\n", "orbiome --threads 2", t2, o2w, "", "";
  printf "%-34s %10.3f %10.3f %12.6f %8s\n", "scikit-bio 0.5.8 permanova", s[1], skw / 1e9, s[2], s[3];
  printf "%-34s %10.3f\n", "scikit-bio DistanceMatrix.read", s[4];
  printf "%-34s %10.3f %10s %12.6f %8s\n", "vegan 2.6-4 adonis2", v[1], "", v[2], v[3];
  printf "orbiome CPU for the permutations (1 thread, 10 ms resolution): %.2f s\n", o1c - bc;
  printf "ratio vs scikit-bio: %.1fx (1 thread), %.1fx (2 threads); whole process, 1 thread: %.1fx\n", s[1]/t1, s[1]/t2, s[1]/o1w;
  printf "whole process vs scikit-bio read + test: %.1fx (1 thread), %.1fx (2 threads); vs skbio_whole.py as a process: %.1fx (1 thread)\n", (s[4] + s[1])/o1w, (s[4] + s[1])/o2w, skw/1e9/o1w;
  printf "ratio vs vegan:      %.1fx (1 thread), %.1fx (2 threads); whole process, 1 thread: %.1fx\n", v[1]/t1, v[1]/t2, v[1]/o1w;
}'
