#!/bin/bash
# The whole amplicon pipeline (filter -> ASV table, chimeras removed, taxonomy) on the 13 MiSeq
# SOP samples, 2 threads, against the same DADA2 1.26 steps in R (dada2_pipeline.R) and against
# vsearch UNOISE3, in the same run. Prints wall time, CPU time and peak memory of each and the
# ratios. Usage: bash bench/amplicon/run.sh [ORBIOME_BIN] [REPEATS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/orbiome}
reps=${2:-1}
data=$(realpath "$here/../../../shared/data/amplicon")
train=$data/dada2_extdata/example_train_set.fa.gz
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(printf 'sample\treads\treads2\n'
 for f in "$data"/miseq_sop/*_R1_001.fastq.gz; do b=$(basename "$f"); printf '%s\t%s\t%s\n' "${b%%_*}" "$f" "${f/_R1_/_R2_}"; done) > "$out/sop.tsv"

# measure NAME CMD...: best-of-$reps wall seconds, CPU seconds and peak RSS (MB) via GNU time.
measure() {
  local name=$1 best=""; shift
  for _ in $(seq "$reps"); do
    /usr/bin/time -f '%e %U %S %M' -o "$out/$name.time" "$@" > "$out/$name.log" 2>&1
    read -r wall user sys rss < "$out/$name.time"
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best=$wall; echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') $((rss / 1024))" > "$out/$name.best"
    fi
  done
  read -r w c m < "$out/$name.best"
  printf '%-10s wall %8.1f s  cpu %8.1f s  peak %6d MB\n' "$name" "$w" "$c" "$m"
}

orbiome_pipeline() {
  "$bin" amplicon denoise --samplesheet "$out/sop.tsv" --out-dir "$out/orb" --trunc-len 240,160 --max-ee 2 --threads 2 --quiet &&
  "$bin" amplicon classify --seqs "$out/orb/asv.fasta" --ref "$train" --seed 1 --threads 2 --out "$out/orb/taxonomy.tsv"
}
unoise_pipeline() {
  local u=$out/unoise; mkdir -p "$u"
  while IFS=$'\t' read -r s r1 r2; do
    [ "$s" = sample ] && continue
    vsearch --fastq_mergepairs "$r1" --reverse "$r2" --fastqout "$u/$s.merged.fq" --relabel "$s." --threads 2 --quiet
  done < "$out/sop.tsv"
  cat "$u"/*.merged.fq > "$u/all.fq"
  vsearch --fastq_filter "$u/all.fq" --fastq_maxee 2 --fastaout "$u/filtered.fa" --quiet
  vsearch --derep_fulllength "$u/filtered.fa" --sizeout --minuniquesize 2 --output "$u/derep.fa" --quiet
  vsearch --cluster_unoise "$u/derep.fa" --centroids "$u/zotus.fa" --threads 2 --quiet
  vsearch --uchime3_denovo "$u/zotus.fa" --nonchimeras "$u/asvs.fa" --fasta_width 0 --quiet
}
export -f orbiome_pipeline unoise_pipeline
export bin out train

measure orbiome bash -c orbiome_pipeline
measure dada2_R Rscript "$here/dada2_pipeline.R" "$out/sop.tsv" "$train" "$out/r" 2
measure unoise3 bash -c unoise_pipeline
n_orb=$(grep -c '^>' "$out/orb/asv.fasta")
n_r=$(($(wc -l < "$out/r/seqtab_nochim.tsv") - 1))
n_u=$(grep -c '^>' "$out/unoise/asvs.fa")
same=$(comm -12 <(grep -v '^>' "$out/orb/asv.fasta" | sort) <(tail -n +2 "$out/r/seqtab_nochim.tsv" | cut -f1 | sort) | wc -l)
same_u=$(comm -12 <(grep -v '^>' "$out/orb/asv.fasta" | sort) <(grep -v '^>' "$out/unoise/asvs.fa" | tr a-z A-Z | sort) | wc -l)
echo "ASVs: orbiome $n_orb, DADA2 $n_r (identical sequences: $same), UNOISE3 $n_u (identical to orbiome's: $same_u)"
read -r ow oc om < "$out/orbiome.best"; read -r rw rc rm < "$out/dada2_R.best"; read -r uw uc um < "$out/unoise3.best"
awk -v ow="$ow" -v oc="$oc" -v om="$om" -v rw="$rw" -v rc="$rc" -v rm="$rm" -v uw="$uw" 'BEGIN {
  printf "DADA2/orbiome: wall %.1fx, cpu %.1fx, peak memory orbiome/DADA2 %.2f; orbiome/UNOISE3 wall %.1fx\n", rw / ow, rc / oc, om / rm, ow / uw }'
uptime
