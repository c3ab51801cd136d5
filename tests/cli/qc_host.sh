#!/usr/bin/env bash
# orbiome qc host depletion with truth: reads simulated (bench/qc/simulate.py, fixed seed) from a
# "host" genome (Streptococcus pyogenes) and a gut genome (Akkermansia muciniphila) of
# ../shared/data/genomes; the host index is `orbiome db build` of the host genome alone.
# Host pairs removed >= 99.5 %, gut pairs lost <= 0.1 %, --write-host gets exactly the removed
# pairs, and the outputs are byte-identical for 1 and 3 threads.
set -uo pipefail
BIN=$1
G=${ORBIOME_SHARED_DATA:-$ORBIOME_SOURCE/../shared/data}/genomes
[ -f "$G/GCA_000006785.2_ASM678v2.fa.gz" ] || { echo "skip: ../shared/data absent"; exit 77; }
source "$ORBIOME_SOURCE/tests/support/cli.sh"
cd "$tmp"
HOST=$G/GCA_000006785.2_ASM678v2.fa.gz
run /usr/bin/python3 "$ORBIOME_SOURCE/bench/qc/simulate.py" --out mix --pairs 1000 --seed 5 --short-fraction 0.05 \
    --host "$HOST" --host-pairs 1000 "$G/akkermansia_muciniphila_ATCC_BAA-835.fa.gz"
mkdir tax
printf '1\t|\t1\t|\tno rank\t|\n1314\t|\t1\t|\tspecies\t|\n' > tax/nodes.dmp
printf '1\t|\troot\t|\t\t|\tscientific name\t|\n1314\t|\tStreptococcus pyogenes\t|\t\t|\tscientific name\t|\n' > tax/names.dmp
zcat "$HOST" | grep '^>' | awk '{print substr($1,2) "\t1314"}' > map.tsv
run "$BIN" db build --genomes "$HOST" --taxdump tax --seqid2taxid map.tsv --out host.oidx --threads 2
for t in 1 3; do
    run "$BIN" qc --reads mix_1.fq --reads2 mix_2.fq --sample m --out-dir out$t --host-db host.oidx --write-host --threads $t
done
for f in m_R1.fastq.gz m_R2.fastq.gz m_host_R1.fastq.gz m_host_R2.fastq.gz m.qc.tsv; do
    cmp -s out1/$f out3/$f || die "$f differs between 1 and 3 threads"
done
names() { zcat "$1" | awk 'NR%4==1{sub(/^@/, ""); sub(/\/[12]$/, ""); print}' | sort; }
names out1/m_R1.fastq.gz > kept
names out1/m_host_R1.fastq.gz > host
awk 'NR%4==1{sub(/^@/, ""); sub(/\/[12]$/, ""); print}' mix_1.fq | sort > all
zcat out1/m_R1.fastq.gz >/dev/null || die "unreadable output"
# Pairs that survive trimming and filters (the host step's input) = kept + host.
sort -m kept host > seen
[ "$(sort -u seen | wc -l)" = "$(wc -l < seen)" ] || die "a pair is both kept and host"
h_in=$(grep -c '^host\.' seen); h_out=$(grep -c '^host\.' host)
g_in=$(grep -vc '^host\.' seen); g_lost=$(grep -vc '^host\.' host)
awk -v a="$h_out" -v b="$h_in" 'BEGIN{exit !(b > 800 && a / b >= 0.995)}' || die "host removed $h_out of $h_in (< 99.5 %)"
awk -v a="$g_lost" -v b="$g_in" 'BEGIN{exit !(b > 800 && a / b <= 0.001)}' || die "gut pairs lost $g_lost of $g_in (> 0.1 %)"
echo "host pairs removed $h_out of $h_in, gut pairs lost $g_lost of $g_in"
row=$(awk -F'\t' '$1=="host"{print $2 "\t" $3}' out1/m.qc.tsv)
[ "$row" = "$((2 * (h_in + g_in)))	$((2 * (g_in + h_in - h_out - g_lost)))" ] || die "qc.tsv host row '$row' disagrees with the files"
exit $fail
