#!/usr/bin/env bash
# Host depletion against Kraken2 2.1.2 and bowtie2 2.5.0 --very-sensitive (KneadData's aligner and
# setting) on the same reads, with truth (issue #14). The "host" is Salmonella LT2 (4.9 Mbp); the
# non-host reads come from six gut genomes, E. coli K-12 among them (a close relative of the host:
# the hardest case for a k-mer method). Reads: simulate.py, 30,000 host + 30,000 gut pairs, seed 2.
# usage: bench/qc/host.sh ORBIOME_BIN [WORKDIR]   (needs kraken2, bowtie2, /usr/bin/time; ~10 min
# on 2 busy cores). Prints one TSV row per tool: host pairs removed, non-host pairs lost (of the
# pairs left after read QC), index size and build time, depletion time (seconds, 2 threads).
set -euo pipefail
BIN=$(readlink -f "$1")
W=${2:-/tmp/orbiome-bench-qc-host}
HERE=$(cd "$(dirname "$0")" && pwd)
G=$(cd "$HERE/../../../shared/data/genomes" && pwd)
HOST=$G/GCF_000006945.1_ASM694v1_genomic.fna.gz
THREADS=2
mkdir -p "$W" && cd "$W"

if [ ! -s host_1.fq ]; then
    /usr/bin/python3 "$HERE/simulate.py" --out host --pairs 30000 --seed 2 --short-fraction 0.05 \
        --host "$HOST" --host-pairs 30000 "$G/GCF_000005845.2_ASM584v2_genomic.fna.gz" \
        "$G/GCF_902167755.1_genomic.fna.gz" "$G/akkermansia_muciniphila_ATCC_BAA-835.fa.gz" \
        "$G/GCF_000154325_Eubacterium_siraeum_DSM15702.fna.gz" "$G/GCA_000013285.1_ASM1328v1.fa.gz" \
        "$G/GCA_000143845.1_ASM14384v1.fa.gz"
fi

# One-taxon references: taxid 28901 (Salmonella enterica) under the root.
mkdir -p tax
printf '1\t|\t1\t|\tno rank\t|\n28901\t|\t1\t|\tspecies\t|\n' > tax/nodes.dmp
printf '1\t|\troot\t|\t\t|\tscientific name\t|\n28901\t|\tSalmonella enterica\t|\t\t|\tscientific name\t|\n' > tax/names.dmp
zcat "$HOST" > host.fa
grep '^>' host.fa | awk '{print substr($1,2) "\t28901"}' > seqid2taxid.tsv
elapsed() { /usr/bin/time -f "%e %M" -o "$1" "${@:2}"; }

elapsed t_orb_build "$BIN" db build --genomes host.fa --taxdump tax --seqid2taxid seqid2taxid.tsv --out host.oidx \
    --threads $THREADS 2>/dev/null
if [ ! -d bt2 ]; then
    mkdir -p bt2 && elapsed t_bt2_build bowtie2-build --threads $THREADS -q host.fa bt2/host
fi
if [ ! -f k2db/hash.k2d ]; then
    rm -rf k2db && mkdir -p k2db/taxonomy && cp tax/*.dmp k2db/taxonomy/
    awk '/^>/{print ">" substr($1,2) "|kraken:taxid|28901"; next} {print}' host.fa > host.k2.fa
    elapsed t_k2_build bash -c "kraken2-build --no-masking --add-to-library host.k2.fa --db k2db >/dev/null 2>&1 &&
        kraken2-build --build --db k2db --threads $THREADS >/dev/null 2>&1"
fi

# Read QC first, as KneadData runs Trimmomatic before bowtie2: every tool then sees the same
# trimmed pairs (orbiome qc with its defaults and no host index).
"$BIN" qc --reads host_1.fq --reads2 host_2.fq --sample trim --out-dir trimmed --threads $THREADS 2>/dev/null
zcat trimmed/trim_R1.fastq.gz > t_1.fq
zcat trimmed/trim_R2.fastq.gz > t_2.fq
# orbiome: host depletion only (trimming and filters off: the reads are trimmed already).
elapsed t_orb "$BIN" qc --reads t_1.fq --reads2 t_2.fq --sample mix --out-dir orb --host-db host.oidx \
    --min-quality 0 --min-length 1 --max-n -1 --min-complexity 0 --no-builtin-adapters --no-overlap \
    --threads $THREADS 2>/dev/null
zcat orb/mix_R1.fastq.gz | awk 'NR%4==1{sub(/^@/,""); sub(/\/1$/,""); print}' > orb.kept
# Kraken2: a pair classified (to the host, the only taxon) is host.
elapsed t_k2 kraken2 --db k2db --paired --threads $THREADS --output k2.out --report /dev/null t_1.fq t_2.fq 2>/dev/null
awk -F'\t' '$1=="U"{sub(/\/1$/,"",$2); print $2}' k2.out > k2.kept
# bowtie2 as KneadData runs it: a pair is host when either mate aligns.
elapsed t_bt2 bash -c "bowtie2 --very-sensitive -p $THREADS -x bt2/host -1 t_1.fq -2 t_2.fq --no-unal --no-hd 2>/dev/null \
    | cut -f1 | sort -u > bt2.host"
awk 'NR%4==1{sub(/^@/,""); sub(/\/1$/,""); print}' t_1.fq > all.names
grep -v -x -F -f bt2.host all.names > bt2.kept || true

size() { du -b --apparent-size -c "$@" | tail -1 | cut -f1; }
printf 'tool\thost_removed\tnonhost_lost\tindex_bytes\tbuild_s\tdeplete_s\n'
row() {  # row TOOL KEPT_FILE INDEX_BYTES BUILD_TIME_FILE RUN_TIME_FILE
    awk -v tool="$1" -v ib="$3" -v bt="$(cut -d' ' -f1 "$4")" -v rt="$(cut -d' ' -f1 "$5")" '
        FNR==NR {kept[$1]=1; next}
        {host = ($1 ~ /^host\./); if (host) {h++; if (!($1 in kept)) hr++} else {n++; if (!($1 in kept)) nl++}}
        END {printf "%s\t%.5f (%d/%d)\t%.5f (%d/%d)\t%s\t%s\t%s\n", tool, hr/h, hr, h, nl/n, nl, n, ib, bt, rt}' "$2" all.names
}
row orbiome orb.kept "$(size host.oidx)" t_orb_build t_orb
row kraken2 k2.kept "$(size k2db/*.k2d)" t_k2_build t_k2
row bowtie2 bt2.kept "$(size bt2/*.bt2)" t_bt2_build t_bt2
# Which non-host genomes lost reads, per tool (E. coli, GCF-000005845, is the host's relative).
for t in orb k2 bt2; do
    echo "# $t non-host reads lost, by genome:"
    grep -v -x -F -f $t.kept all.names | grep -v '^host\.' | cut -d. -f1 | sort | uniq -c || true
done

# Scaling of the host index with genome size (to extrapolate to the 2.7 Gbp mouse genome): indexes
# of the first 1, 3, 6 and 12 genomes of ../shared/data/genomes, every sequence under one taxon.
echo "# index scaling: genomes, bases, index bytes, build seconds, build peak RSS kB (2 threads)"
ls "$G"/*.f*a.gz | head -12 > scale.list
for n in 1 3 6 12; do
    head -$n scale.list | xargs zcat > scale.fa
    grep '^>' scale.fa | awk '{print substr($1,2) "\t28901"}' > scale.map
    /usr/bin/time -f "%e %M" -o t_scale "$BIN" db build --genomes scale.fa --taxdump tax --seqid2taxid scale.map \
        --out scale.oidx --threads $THREADS 2>/dev/null
    printf '%s\t%s\t%s\t%s\n' "$n" "$(grep -v '^>' scale.fa | tr -d '\n' | wc -c)" "$(stat -c %s scale.oidx)" "$(tr ' ' '\t' < t_scale)"
done
