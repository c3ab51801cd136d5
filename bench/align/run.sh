#!/usr/bin/env bash
# orbiome align vs DIAMOND 2.1.3 blastx, same inputs, same run (issue #13).
#  (a) HUMAnN's demo reads (21,000 x 100 bp) vs its 44 demo UniRef90 proteins: best-hit and
#      e-value agreement with DIAMOND default mode (DIAMOND's defaults on both sides).
#  (b) ART 2x150 reads of L. johnsonii CDS vs a protein database of the other four Lactobacillus
#      CDS sets (translated), with HUMAnN 3.9's search command (--evalue 1 --top 1) and its
#      per-read filters (pident >= 80 UniRef90 / >= 50 UniRef50, evalue <= 1, query coverage
#      >= 90 %): reads aligned, reads whose best hit is the true ortholog (reciprocal best hit
#      between the CDS sets, from diamond blastp), wall time and peak memory, best of N runs,
#      DIAMOND default, --fast and --sensitive, all at 2 threads.
# Usage: bash bench/align/run.sh ORBIOME_BIN [N=3] [WORKDIR]
set -euo pipefail
bin=$(realpath "$1")
reps=${2:-3}
work=${3:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
shared=$(cd "$here/../../../shared" && pwd)
cds=$shared/data/genomes/lactobacillus_cds
mkdir -p "$work" && cd "$work"
echo "# $(date -u) on $(nproc) cores; load: $(uptime | sed 's/.*load average: //')"
echo "# $(diamond version); orbiome $("$bin" --version 2>&1 | head -1)"

# best_of N LABEL CMD...: runs CMD N times, prints the fastest wall time and the peak RSS.
best_of() {
  local n=$1 label=$2; shift 2
  local best=999999 mem=0
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null 2>&1
    read -r t m <time.txt
    best=$(awk -v a="$t" -v b="$best" 'BEGIN{print (a < b) ? a : b}')
    (( m > mem )) && mem=$m
  done
  echo "$label $best $mem"
}

echo "## (a) HUMAnN demo reads vs 44 demo UniRef90s (defaults: evalue 1e-3, 25 targets)"
demo_faa=$shared/peers/humann-3.9/humann/data/uniref_DEMO/uniref90_demo_prots_v201901b.fna
reads_a=$shared/data/shotgun/humann_demo/demo.fastq.gz
diamond makedb --in "$demo_faa" -d demo --quiet
"$bin" db build-protein --proteins "$demo_faa" --out demo.pdb 2>/dev/null
diamond blastx --db demo.dmnd --query "$reads_a" --out a_diamond.m8 --outfmt 6 --threads 2 --quiet
"$bin" align --db demo.pdb --reads "$reads_a" --out a_orbiome.m8 --threads 2 --quiet
python3 "$here/compare.py" a_orbiome.m8 a_diamond.m8 --reads 21000

echo "## (b) L. johnsonii reads (ART HS25 2x150, 3x, seed 13) vs Laci+Ldel+Lgas+Lhel proteins"
zcat "$cds/Ljoh.ffn.gz" >Ljoh.ffn
art_illumina -ss HS25 -i Ljoh.ffn -p -l 150 -f 3 -m 250 -s 25 -rs 13 -na -q -o art >/dev/null
cat art1.fq art2.fq >reads.fq  # mates as separate queries (DIAMOND reads 2 files as one query set)
nreads=$(( $(wc -l <reads.fq) / 4 ))
python3 "$here/translate_cds.py" "$cds"/{Laci,Ldel,Lgas,Lhel}.ffn.gz >others.faa
python3 "$here/translate_cds.py" "$cds/Ljoh.ffn.gz" >Ljoh.faa
for sp in Laci Ldel Lgas Lhel; do
  python3 "$here/translate_cds.py" "$cds/$sp.ffn.gz" | sed -n 's/^>//p' | sed "s/\$/\t$sp/"
done >species.tsv
diamond makedb --in others.faa -d others --quiet
diamond makedb --in Ljoh.faa -d ljoh --quiet
diamond blastp -q Ljoh.faa -d others.dmnd -o rbh_fwd.m8 -k 0 --threads 2 --quiet
diamond blastp -q others.faa -d ljoh.dmnd -o rbh_rev.m8 -k 0 --threads 2 --quiet
python3 "$here/rbh.py" rbh_fwd.m8 rbh_rev.m8 species.tsv >rbh.tsv
"$bin" db build-protein --translate "$cds"/{Laci,Ldel,Lgas,Lhel}.ffn.gz --out others.pdb 2>/dev/null
echo "reads $nreads; gene families with an ortholog: $(wc -l <rbh.tsv) of $(grep -c '>' Ljoh.faa) genes"
echo "tool wall_s peak_kb reads_per_s aligned80 ortholog80 aligned50 ortholog50"
row() {  # row LABEL HITS TIME_LINE
  local label=$1 hits=$2 t=$3 m=$4
  read -r a80 o80 < <(python3 "$here/humann_filter.py" "$hits" 150 80 rbh.tsv)
  read -r a50 o50 < <(python3 "$here/humann_filter.py" "$hits" 150 50 rbh.tsv)
  echo "$label $t $m $(awk -v n="$nreads" -v t="$t" 'BEGIN{printf "%.0f", n / t}') $a80 $o80 $a50 $o50"
}
read -r _ t m < <(best_of "$reps" orbiome "$bin" align --db others.pdb --reads reads.fq --out b_orbiome.m8 --threads 2 --evalue 1 --top 1 --quiet)
row orbiome b_orbiome.m8 "$t" "$m"
for mode in default fast sensitive; do
  flag=(); [[ $mode != default ]] && flag=(--$mode)
  read -r _ t m < <(best_of "$reps" "$mode" diamond blastx --db others.dmnd --query reads.fq --out "b_diamond_$mode.m8" \
                    --outfmt 6 --threads 2 --evalue 1 --top 1 --quiet "${flag[@]}")
  row "diamond_$mode" "b_diamond_$mode.m8" "$t" "$m"
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
