#!/bin/bash
# `orbiome amplicon denoise` on DADA2's extdata reads (sam1/sam2, truncLen 240,160, maxEE 2) gives
# DADA2 1.26's sequence table exactly (tests/parity/dada2/extdata, frozen by extdata.R), and the
# same bytes with 1 and 2 threads. Usage: bash amplicon_parity.sh /path/to/orbiome
set -u
bin=$1
data=$(realpath -m "${ORBIOME_SHARED_DATA:-$(dirname "$0")/../../../shared/data}/amplicon/dada2_extdata")
ref=$(realpath "$(dirname "$0")/../parity/dada2/extdata")
[ -f "$data/sam1F.fastq.gz" ] || { echo "skip: $data absent"; exit 77; }
source "$(dirname "$0")/../support/cli.sh"

printf 'sample\treads\treads2\nsam1\t%s\t%s\nsam2\t%s\t%s\n' "$data/sam1F.fastq.gz" "$data/sam1R.fastq.gz" \
  "$data/sam2F.fastq.gz" "$data/sam2R.fastq.gz" > "$tmp/sheet.tsv"
run "$bin" amplicon denoise --samplesheet "$tmp/sheet.tsv" --out-dir "$tmp/o1" --trunc-len 240,160 --max-ee 2 --quiet
run "$bin" amplicon denoise --samplesheet "$tmp/sheet.tsv" --out-dir "$tmp/o2" --trunc-len 240,160 --max-ee 2 --threads 2 --quiet
for f in asv_table.tsv asv.fasta stats.tsv errors.fwd.tsv errors.rev.tsv; do same "$tmp/o1/$f" "$tmp/o2/$f"; done

# DADA2's table: sequence, sam1, sam2 in DADA2's column order, no bimeras.
tail -n +2 "$ref/seqtab.tsv" | awk -F'\t' '$4 == "FALSE" {print $2 "\t" $3}' > "$tmp/want_counts"
grep -v '^#' "$tmp/o1/asv_table.tsv" | tail -n +2 | cut -f2,3 > "$tmp/got_counts"
same "$tmp/want_counts" "$tmp/got_counts"
tail -n +2 "$ref/seqtab.tsv" | awk -F'\t' '$4 == "FALSE" {print $1}' > "$tmp/want_seqs"
grep -v '^>' "$tmp/o1/asv.fasta" > "$tmp/got_seqs"
same "$tmp/want_seqs" "$tmp/got_seqs"
# Feature ids are the MD5 of the sequences (q2-dada2).
paste <(grep '^>' "$tmp/o1/asv.fasta" | tr -d '>') <(while read -r s; do printf '%s' "$s" | md5sum | cut -c1-32; done < "$tmp/got_seqs") |
  awk -F'\t' '$1 != $2 {bad = 1} END {exit bad}' || die "feature ids are not the MD5 of the sequences"
# Filtered counts and merged pairs as DADA2 (filter_counts.tsv; merged.samN.tsv abundances).
[ "$(cut -f4 "$tmp/o1/stats.tsv" | tail -n +2 | paste -sd,)" = "$(cut -f3 "$ref/filter_counts.tsv" | tail -n +2 | paste -sd,)" ] ||
  die "filtered counts differ from DADA2's"
for s in 1 2; do
  want=$(awk -F'\t' 'NR > 1 && $9 == "TRUE" {n += $2} END {print n}' "$ref/merged.sam$s.tsv")
  got=$(awk -F'\t' -v s="sam$s" '$1 == s {print $6}' "$tmp/o1/stats.tsv")
  [ "$want" = "$got" ] || die "sam$s merged $got, DADA2 $want"
done
# The error matrices agree with DADA2's to 1e-6.
for d in fwd rev; do
  paste "$ref/errors.$d.tsv" "$tmp/o1/errors.$d.tsv" | awk -F'\t' 'NR > 1 {n = NF / 2; for (i = 2; i <= n; i++) {d = $i - $(i + n); if (d < 0) d = -d; if (d > 1e-6) bad = 1}} END {exit bad}' ||
    die "errors.$d.tsv differs from DADA2's by more than 1e-6"
done
exit $fail
