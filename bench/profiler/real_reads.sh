#!/usr/bin/env bash
# Real-read accuracy of orbiome against Kraken2 2.1.2 built from the same references (issue #4):
#  1. HUMAnN demo (../shared/data/shotgun/humann_demo/demo.fastq.gz, 21,000 single-end reads, truth
#     in the read names) against the ChocoPhlAn demo references of that folder;
#  2. CAMISIM toy metagenome (../shared/data/shotgun/camisim_toy_metabinR/, 13,332 pairs, truth in
#     reads_mapping.tsv.gz) against the 15 whole genomes of ../shared/data/genomes/.
# usage: bench/profiler/real_reads.sh ORBIOME_BIN [WORKDIR]   (needs kraken2, kraken2-build,
# /usr/bin/time; about 3 minutes on 2 cores). Writes WORKDIR/real_reads.tsv (where each truth
# group's reads went), WORKDIR/real_metrics.tsv (evaluate.py) and WORKDIR/real_resources.tsv, and
# prints them. See bench/PROFILER.md, "Real reads".
set -euo pipefail
BIN=$(readlink -f "$1")
W=${2:-/tmp/orbiome-bench-real}
HERE=$(cd "$(dirname "$0")" && pwd)
G=$(cd "$HERE/../../../shared/data/genomes" && pwd)
SHOT=$(cd "$G/../shotgun" && pwd)
THREADS=2
rm -rf "$W"; mkdir -p "$W"; cd "$W"
printf 'tool\tgroup\treads\tunclassified\tspecies_ok\tspecies_false\tgenus_ok\tgenus_false\tabove_genus\tgenus_correct\n' \
    > real_reads.tsv
printf 'data\ttool\treads\tsens_species\tprec_species\tsens_genus\tprec_genus\tTP\tFP\tFN\tprecision\trecall\tF1\tL1\n' \
    > real_metrics.tsv
printf 'data\tstep\twall\tmax_rss_kb\n' > real_resources.tsv
: > real_profiles.tsv

# timed LABEL CMD...: runs CMD under /usr/bin/time -v, logs to LABEL.log, adds a resources row.
timed() {
    local label=$1; shift
    /usr/bin/time -v "$@" 2> "$label.log" > /dev/null
    printf '%s\t%s\t%s\n' "${label%%.*}" "${label#*.}" \
        "$(grep 'Elapsed (wall' "$label.log" | awk '{print $NF}')	$(grep 'Maximum resident' "$label.log" | awk '{print $NF}')" \
        >> real_resources.tsv
}
# build_both DIR TAXDIR SEQMAP FILE...: orbiome index DIR/orbiome.idx and Kraken2 db DIR/k2db
build_both() {
    local d=$1 tax=$2 map=$3; shift 3
    timed "$d.build_orbiome" "$BIN" db build --genomes "$@" --taxdump "$tax" --seqid2taxid "$map" \
        --out "$d/orbiome.idx" --threads $THREADS
    mkdir -p "$d/k2db/taxonomy" "$d/lib"
    cp "$tax"/*.dmp "$d/k2db/taxonomy/"
    for f in "$@"; do
        zcat "$f" | awk -v map="$map" 'BEGIN{while((getline l < map)>0){split(l,a,"\t"); t[a[1]]=a[2]}}
            /^>/{id=substr($1,2); print ">" id "|kraken:taxid|" t[id]; next} {print}' > "$d/lib/$(basename "$f" .gz)"
    done
    timed "$d.build_kraken2" bash -c "for f in $d/lib/*; do kraken2-build --no-masking --add-to-library \$f --db $d/k2db; done;
        kraken2-build --build --db $d/k2db --threads $THREADS"
}
# species_profile DATA TOOL FILE: the species rows of a profile, as fractions summing to 1
species_profile() {
    if [ "$2" = orbiome ]; then
        awk -F'\t' '$2=="species" && $7>0 {print $3 "\t" $7}' "$3"
    else
        awk -F'\t' '$4=="S" && $2>0 {x=$6; sub(/^ +/,"",x); n[x]=$2; s+=$2} END{for (k in n) print k "\t" n[k]/s}' "$3"
    fi | sort -t$'\t' -k2,2gr | awk -F'\t' -v d="$1" -v t="$2" '{printf "%s\t%s\t%s\t%.4f\n", d, t, $1, $2}' \
        >> real_profiles.tsv
}

# evaluate_both DATA DIR NODES SAMPLE: rows of real_reads, real_metrics and real_profiles for
# both tools (orbiome's outputs DIR/orb/SAMPLE.*, Kraken2's DIR/k2.*) against DIR/truth.tsv;
# the metrics use only the reads of a known organism (truth taxid != 0).
evaluate_both() {
    local data=$1 d=$2 nodes=$3 s=$4
    local e="/usr/bin/python3 $HERE/evaluate_real.py $nodes $d/truth.tsv"
    $e orbiome "$d/orb/$s.reads.tsv" >> real_reads.tsv
    $e kraken2 "$d/k2.out" >> real_reads.tsv
    awk -F'\t' '$2 != 0 {print $1 "\t" $2}' "$d/truth.tsv" > "$d/truth_known.tsv"
    e="/usr/bin/python3 $HERE/evaluate.py $nodes $d/truth_known.tsv"
    { $e orbiome "$d/orb/$s.reads.tsv" orbiome "$d/orb/$s.abundance.tsv"
      $e kraken2 "$d/k2.out" kraken2 "$d/k2.kreport"; } | sed "s/^/$data\t/" >> real_metrics.tsv
    species_profile "$data" orbiome "$d/orb/$s.abundance.tsv"
    species_profile "$data" kraken2 "$d/k2.kreport"
}

echo "## humann_demo"
H=$SHOT/humann_demo
/usr/bin/python3 "$HERE/prepare_humann.py" "$H" hum
mapfile -t REFS < hum/references.txt
build_both hum hum/taxonomy hum/seqid2taxid.tsv "${REFS[@]}"
timed hum.classify_orbiome "$BIN" profile --db hum/orbiome.idx --reads "$H/demo.fastq.gz" --sample humann \
    --out-dir hum/orb --per-read --threads $THREADS
timed hum.classify_kraken2 kraken2 --db hum/k2db "$H/demo.fastq.gz" --threads $THREADS --report hum/k2.kreport \
    --output hum/k2.out
evaluate_both humann_demo hum hum/taxonomy/nodes.dmp humann

echo "## camisim_toy_metabinR"
C=$SHOT/camisim_toy_metabinR
mkdir -p cami
/usr/bin/python3 "$HERE/prepare.py" "$G" cami/ref ""
awk -F'\t' 'NR>1 {print "'"$G"'/"$1}' cami/ref/genomes.tsv > cami/indexed.txt
mapfile -t REFS < cami/indexed.txt
build_both cami cami/ref/taxonomy cami/ref/seqid2taxid.tsv "${REFS[@]}"
# The FASTA interleaves mates (/1 then /2, checked by the reader's mate-name test).
zcat "$C/reads.metagenome.fasta.gz" | awk 'NR%4==1||NR%4==2' > cami/R1.fa
zcat "$C/reads.metagenome.fasta.gz" | awk 'NR%4==3||NR%4==0' > cami/R2.fa
# Truth per pair: the source genome's species when that genome is indexed, else 0.
zcat "$C/reads_mapping.tsv.gz" | awk -F'\t' -v g2i="$C/genome_to_id.tsv" -v gt=cami/ref/genomes.tsv '
    BEGIN{while((getline l < g2i)>0){split(l,a,"\t"); n=split(a[2],p,"/"); gf[a[1]]=p[n]}
          while((getline l < gt)>0){split(l,a,"\t"); f=a[1]; sub(/\.gz$/,"",f); sp[f]=a[2]; nm[f]=a[4]}}
    NR>1 {r=$1; sub(/\/[12]$/,"",r); if (r in done) next; done[r]=1; f=gf[$2]
          if (f in sp) print r "\t" sp[f] "\t" nm[f] " (indexed)"; else print r "\t0\t6 genomes not indexed"}' \
    | sort -t$'\t' -k3,3 -k1,1 > cami/truth.tsv
timed cami.classify_orbiome "$BIN" profile --db cami/orbiome.idx --reads cami/R1.fa --reads2 cami/R2.fa \
    --sample cami --out-dir cami/orb --per-read --threads $THREADS
timed cami.classify_kraken2 kraken2 --db cami/k2db --paired cami/R1.fa cami/R2.fa --threads $THREADS \
    --report cami/k2.kreport --output cami/k2.out
evaluate_both camisim cami cami/ref/taxonomy/nodes.dmp cami

for t in real_reads real_metrics real_profiles real_resources; do echo "## $t"; cat $t.tsv; done
