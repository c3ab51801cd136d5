#!/bin/bash
# Per-sample denoising cost against reads: the first N reads of one MiSeq SOP sample (F3D145,
# 7377 read pairs, forward reads only) and of all 13 samples' forward reads pooled as one sample,
# denoised (filter truncLen 240 maxEE 2 -> learnErrors -> dada) by orbiome and by DADA2 1.26 in
# the same run, best of REPEATS. Writes scaling.tsv and scaling.svg (plot_scaling.py) to OUT_DIR.
# Usage: bash bench/amplicon/scaling.sh [ORBIOME_BIN] [OUT_DIR] [REPEATS] [THREADS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../../build/orbiome}")
dest=${2:-.}
reps=${3:-3}
threads=${4:-2}
sop=$(realpath "$here/../../../shared/data/amplicon/miseq_sop")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
zcat "$sop"/F3D145_S211_L001_R1_001.fastq.gz > "$work/one.fq"
zcat "$sop"/*_R1_001.fastq.gz > "$work/pooled.fq"
printf 'source\treads\torbiome_s\tdada2_s\torbiome_asvs_nonchimeric\tdada2_asvs_before_chimeras\n' > "$dest/scaling.tsv"
run_depth() {
  local src=$1 n=$2 d=$work/$1_$2
  mkdir -p "$d"
  head -n $((4 * n)) "$work/$src.fq" | gzip -1 > "$d/reads.fq.gz"
  printf 'sample\treads\ns\t%s\n' "$d/reads.fq.gz" > "$d/sheet.tsv"
  local best_o="" best_r="" asv_o asv_r
  for _ in $(seq "$reps"); do
    local t0 t1 o r
    t0=$(date +%s.%N)
    "$bin" amplicon denoise --samplesheet "$d/sheet.tsv" --out-dir "$d/orb" --trunc-len 240 --max-ee 2 \
      --threads "$threads" --quiet
    t1=$(date +%s.%N)
    o=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
    asv_o=$(grep -c '^>' "$d/orb/asv.fasta")
    read -r _ r _ asv_r < <(Rscript "$here/dada2_scaling.R" "$d/reads.fq.gz" "$d" "$threads" 2>/dev/null | grep '^dada2_seconds')
    if [ -z "$best_o" ] || awk -v a="$o" -v b="$best_o" 'BEGIN {exit !(a < b)}'; then best_o=$o; fi
    if [ -z "$best_r" ] || awk -v a="$r" -v b="$best_r" 'BEGIN {exit !(a < b)}'; then best_r=$r; fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$src" "$n" "$best_o" "$best_r" "$asv_o" "$asv_r" | tee -a "$dest/scaling.tsv"
}
for n in 1000 2000 4000 7377; do run_depth one "$n"; done
for n in 15000; do run_depth pooled "$n"; done
/usr/bin/python3 "$here/plot_scaling.py" "$dest/scaling.tsv" "$dest/scaling.svg"
