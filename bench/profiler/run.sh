#!/usr/bin/env bash
# Profiler accuracy and speed against Kraken2 2.1.2 on the same reference and reads (issue #4).
# usage: bench/profiler/run.sh ORBIOME_BIN [WORKDIR]   (needs kraken2, kraken2-build, art_illumina,
# /usr/bin/time; about 10 minutes on 2 cores). Prints TSV tables; see bench/PROFILER.md.
set -euo pipefail
BIN=$(readlink -f "$1")
W=${2:-/tmp/orbiome-bench-profiler}
HERE=$(cd "$(dirname "$0")" && pwd)
G=$(cd "$HERE/../../../shared/data/genomes" && pwd)
SHOT=$(cd "$G/../shotgun" && pwd)
THREADS=2
rm -rf "$W"; mkdir -p "$W"; cd "$W"
# Left out of both indexes: a second strain of an indexed species (R. thermocellum DSM 2360), a
# species whose genus is absent (Salmonella enterica) and one whose genus is absent
# (Corynebacterium glutamicum).
LEFT=GCA_001692755.1_ASM169275v1.fa.gz,GCF_000006945.1_ASM694v1_genomic.fna.gz,GCA_000445015.1_ASM44501v1.fa.gz
/usr/bin/python3 "$HERE/prepare.py" "$G" ref "$LEFT"
awk -F'\t' 'NR>1 && $5==1 {print "'"$G"'/"$1}' ref/genomes.tsv > ref/indexed.txt

echo "## build"
/usr/bin/time -v "$BIN" db build --genomes $(cat ref/indexed.txt) --taxdump ref/taxonomy \
    --seqid2taxid ref/seqid2taxid.tsv --out orbiome.idx --threads $THREADS 2> build_orbiome.log
mkdir -p k2db/taxonomy lib
cp ref/taxonomy/*.dmp k2db/taxonomy/
while read -r f; do
    b=$(basename "$f" .gz)
    zcat "$f" | awk -v map=ref/seqid2taxid.tsv 'BEGIN{while((getline l < map)>0){split(l,a,"\t"); t[a[1]]=a[2]}}
        /^>/{id=substr($1,2); print ">" id "|kraken:taxid|" t[id]; next} {print}' > "lib/$b"
done < ref/indexed.txt
/usr/bin/time -v bash -c "for f in lib/*; do kraken2-build --no-masking --add-to-library \$f --db k2db >/dev/null; done;
    kraken2-build --build --db k2db --threads $THREADS >/dev/null" 2> build_kraken2.log

echo "## simulate"
# Uneven fold coverage per genome (fixed), ART HS25 2x150, insert 400 +- 30, seed per genome.
FOLDS=(2.0 1.0 0.2 1.5 0.5 0.8 0.1 3.0 0.3 0.05 1.2 0.6 0.4 2.5 0.15)
i=0
: > truth.tsv; : > R1.fq; : > R2.fq
while IFS=$'\t' read -r file taxid genus species indexed bp; do
    [ "$file" = file ] && continue
    zcat "$G/$file" > sim.fa
    art_illumina -ss HS25 -p -l 150 -m 400 -s 30 -f "${FOLDS[$i]}" -rs $((1000 + i)) -na -q \
        -i sim.fa -o "sim$i" >/dev/null 2>&1
    awk -v p="g${i}_" 'NR%4==1{sub(/^@/,"@" p)} {print}' "sim${i}1.fq" >> R1.fq
    awk -v p="g${i}_" 'NR%4==1{sub(/^@/,"@" p)} {print}' "sim${i}2.fq" >> R2.fq
    awk -v p="g${i}_" -v t="$taxid" 'NR%4==1{n=substr($1,2); sub(/\/1$/,"",n); print p n "\t" t}' "sim${i}1.fq" >> truth.tsv
    rm -f "sim${i}1.fq" "sim${i}2.fq" sim.fa
    i=$((i + 1))
done < ref/genomes.tsv
echo "pairs	$(wc -l < truth.tsv)"

echo "## classify (threads $THREADS)"
/usr/bin/time -v "$BIN" profile --db orbiome.idx --reads R1.fq --reads2 R2.fq --sample sim --out-dir orb \
    --per-read --threads $THREADS 2> run_orbiome.log
/usr/bin/time -v kraken2 --db k2db --paired R1.fq R2.fq --threads $THREADS --report k2.kreport \
    --output k2.out 2> run_kraken2.log
/usr/bin/time -v kraken2 --db k2db --paired R1.fq R2.fq --threads $THREADS --confidence 0.1 \
    --report k2c.kreport --output k2c.out 2> run_kraken2c.log

rss() { grep "Maximum resident" "$1" | awk '{print $NF}'; }
wall() { grep "Elapsed (wall" "$1" | awk '{print $NF}'; }
echo "## resources: tool, step, wall, max RSS KB"
for x in build_orbiome build_kraken2 run_orbiome run_kraken2 run_kraken2c; do echo "$x	$(wall $x.log)	$(rss $x.log)"; done

echo "## accuracy: tool, reads, sens_species, prec_species, sens_genus, prec_genus, TP, FP, FN, precision, recall, F1, L1"
E="/usr/bin/python3 $HERE/evaluate.py ref/taxonomy/nodes.dmp truth.tsv"
$E orbiome orb/sim.reads.tsv orbiome orb/sim.abundance.tsv
$E kraken2 k2.out kraken2 k2.kreport
$E kraken2_conf0.1 k2c.out kraken2 k2c.kreport

echo "## time vs reads (orbiome, threads $THREADS): pairs, wall s"
n=$(wc -l < truth.tsv)
for frac in 1 2 4; do
    lines=$(( n * frac / 4 * 4 ))
    head -n $lines R1.fq > s1.fq; head -n $lines R2.fq > s2.fq
    /usr/bin/time -f "%e" "$BIN" profile --db orbiome.idx --reads s1.fq --reads2 s2.fq --sample s --out-dir t \
        --threads $THREADS 2> t.log
    echo "$(( lines / 4 ))	$(tail -1 t.log)"
done
# Real reads (HUMAnN demo, CAMISIM toy): bench/profiler/real_reads.sh.
