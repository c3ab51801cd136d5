#!/usr/bin/env bash
# Read QC against fastp 0.23.2 and Trimmomatic 0.39 (Debian) on the same reads, same run (issue #14).
# usage: bench/qc/run.sh ORBIOME_BIN [WORKDIR] [ROUNDS]   (needs fastp, TrimmomaticSE, /usr/bin/time)
#  1. adapters: 20,000 simulated pairs (simulate.py, seed 1; 30 % with inserts of 10-149 bp, so the
#     TruSeq adapter starts at a known position), trimming adapters only in both tools (fastp given
#     the TruSeq adapters and its PE overlap analysis; quality and length filters off);
#     evaluate_adapters.py: adapter recall and false trimming.
#  2. quality: both mates' files through TrimmomaticSE SLIDINGWINDOW:4:20 TRAILING:20 and through
#     orbiome qc with adapters and filters off; read-for-read comparison of names, bases, qualities.
#  3. throughput: the same pairs x10 (200,000 pairs, 60 Mbp), default settings of each tool, gzip
#     output, 2 threads; best of ROUNDS (default 3), the tools alternating, wall-clock seconds
#     (and CPU seconds, as the machine is shared), with plain and with gzip input.
set -euo pipefail
BIN=$(readlink -f "$1")
W=${2:-/tmp/orbiome-bench-qc}
ROUNDS=${3:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
G=$(cd "$HERE/../../../shared/data/genomes" && pwd)
mkdir -p "$W" && cd "$W"
A1=AGATCGGAAGAGCACACGTCTGAACTCCAGTCA
A2=AGATCGGAAGAGCGTCGTGTAGGGAAAGAGTGT
OFF=(--min-quality 0 --min-length 0 --max-n -1 --min-complexity 0)

[ -s adapt_1.fq ] || /usr/bin/python3 "$HERE/simulate.py" --out adapt --pairs 20000 --seed 1 \
    "$G/GCF_000005845.2_ASM584v2_genomic.fna.gz" "$G/GCF_902167755.1_genomic.fna.gz" \
    "$G/akkermansia_muciniphila_ATCC_BAA-835.fa.gz"

echo "## adapters"
fastp -i adapt_1.fq -I adapt_2.fq -o fastp_1.fq -O fastp_2.fq -w 2 --adapter_sequence $A1 --adapter_sequence_r2 $A2 \
    -Q -L -G -j /dev/null -h /dev/null 2>/dev/null
"$BIN" qc --reads adapt_1.fq --reads2 adapt_2.fq --sample ad --out-dir orb_ad "${OFF[@]}" --threads 2 2>/dev/null
/usr/bin/python3 "$HERE/evaluate_adapters.py" fastp adapt_1.fq adapt_2.fq fastp_1.fq fastp_2.fq
/usr/bin/python3 "$HERE/evaluate_adapters.py" orbiome adapt_1.fq adapt_2.fq orb_ad/ad_R1.fastq.gz orb_ad/ad_R2.fastq.gz

echo "## quality trimming vs Trimmomatic SLIDINGWINDOW:4:20 TRAILING:20 (read-for-read)"
as_tsv() { paste - - - - | awk -F'\t' '{split($1, h, " "); print h[1] "\t" $2 "\t" $4}'; }
for m in 1 2; do
    TrimmomaticSE -phred33 adapt_$m.fq trim_$m.fq SLIDINGWINDOW:4:20 TRAILING:20 2>/dev/null
    "$BIN" qc --reads adapt_$m.fq --sample q$m --out-dir orb_q --no-builtin-adapters --min-length 0 --max-n -1 \
        --min-complexity 0 --min-quality 20 --window 4 2>/dev/null
    as_tsv < trim_$m.fq > trim_$m.tsv
    zcat orb_q/q${m}_R1.fastq.gz | as_tsv > orb_$m.tsv
    if cmp -s trim_$m.tsv orb_$m.tsv; then r=identical; else r="DIFFERENT ($(diff trim_$m.tsv orb_$m.tsv | grep -c '^<') lines)"; fi
    echo -e "mate $m\treads in $(($(wc -l < adapt_$m.fq) / 4))\tTrimmomatic kept $(wc -l < trim_$m.tsv)\torbiome kept $(wc -l < orb_$m.tsv)\t$r"
done

echo "## throughput (2 threads, default settings, gzip output; wall seconds, best of $ROUNDS; CPU = user + sys)"
if [ ! -s big_1.fq ]; then
    for m in 1 2; do
        for i in 0 1 2 3 4 5 6 7 8 9; do sed "1~4s/^@/@r$i./" adapt_$m.fq; done > big_$m.fq
    done
fi
for m in 1 2; do [ -s big_$m.fq.gz ] || gzip -c big_$m.fq > big_$m.fq.gz; done  # gzip's default level, as sequencers write
echo "load before: $(uptime)"
for ext in fq fq.gz; do
    best_f=999999; best_o=999999
    for r in $(seq "$ROUNDS"); do
        /usr/bin/time -f "%e %U %S" -o t_f fastp -i big_1.$ext -I big_2.$ext -o fbig_1.fq.gz -O fbig_2.fq.gz -w 2 \
            -j /dev/null -h /dev/null 2>/dev/null
        /usr/bin/time -f "%e %U %S" -o t_o "$BIN" qc --reads big_1.$ext --reads2 big_2.$ext --sample big --out-dir orb_big \
            --threads 2 2>/dev/null
        read -r f fu fs < t_f
        read -r o ou os < t_o
        echo -e "input .$ext round $r\tfastp ${f}s (CPU $(echo "$fu $fs" | awk '{print $1 + $2}')s)\torbiome ${o}s (CPU $(echo "$ou $os" | awk '{print $1 + $2}')s)"
        best_f=$(echo "$f $best_f" | awk '{print ($1 < $2) ? $1 : $2}')
        best_o=$(echo "$o $best_o" | awk '{print ($1 < $2) ? $1 : $2}')
    done
    echo -e "input .$ext best\tfastp ${best_f}s\torbiome ${best_o}s\tspeed-up $(echo "$best_f $best_o" | awk '{printf "%.2f", $1 / $2}')x"
done
echo "load after: $(uptime)"
echo -e "output\tfastp $(du -bc fbig_*.fq.gz | tail -1 | cut -f1) bytes\torbiome $(du -bc orb_big/big_R*.fastq.gz | tail -1 | cut -f1) bytes"
