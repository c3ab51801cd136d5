#!/bin/bash
# Bad input to `orbiome amplicon denoise|classify`: one clear error line naming the file and
# record, the SPEC exit code, no output left behind; an empty sample or a missing primer is a
# warning, not a crash. Usage: bash amplicon_errors.sh /path/to/orbiome
set -u
bin=$1
data=$(realpath -m "${ORBIOME_SHARED_DATA:-$(dirname "$0")/../../../shared/data}/amplicon/dada2_extdata")
[ -f "$data/sam1F.fastq.gz" ] || { echo "skip: $data absent"; exit 77; }
source "$(dirname "$0")/../support/cli.sh"

zcat "$data/sam1F.fastq.gz" | head -n 400 > "$tmp/F.fq"
zcat "$data/sam1R.fastq.gz" | head -n 400 > "$tmp/R.fq"
head -n 396 "$tmp/R.fq" > "$tmp/R_short.fq"                   # one mate fewer
awk 'NR == 5 {print "@renamed"; next} {print}' "$tmp/R.fq" > "$tmp/R_step.fq"  # mates out of step
awk 'NR % 4 == 2 {gsub(/./, "N")} {print}' "$tmp/F.fq" > "$tmp/N.fq"           # all bases N
awk 'NR == 8 {$0 = substr($0, 1, 10) " " substr($0, 12)} {print}' "$tmp/F.fq" > "$tmp/badq.fq"  # a space as quality

# expect CODE "EXACT FIRST STDERR LINE" orbiome-args...
expect() {
  local code=$1 msg=$2
  shift 2
  rm -rf "$tmp/out"
  "$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  local first
  first=$(head -n 1 "$tmp/stderr")
  if [ "$rc" != "$code" ]; then
    die "'$*' exited $rc, want $code; stderr: $(cat "$tmp/stderr")"
  elif [ "$first" != "$msg" ]; then
    die "'$*' first stderr line:"; echo "  got:  $first"; echo "  want: $msg"
  elif [ "$code" != 0 ] && [ -e "$tmp/out" ] && [ -n "$(ls -A "$tmp/out")" ]; then
    die "'$*' left output: $(ls "$tmp/out")"
  fi
}
mk() { local name=$1; shift; printf 'sample\treads\treads2\n' > "$tmp/$name"; printf '%s\n' "$@" >> "$tmp/$name"; }

mk short.tsv "s1	$tmp/F.fq	$tmp/R_short.fq"
expect 65 "orbiome amplicon: error: $tmp/R_short.fq:396: record 100: mates out of step: file ends after 99 records but $tmp/F.fq has more" \
  amplicon denoise --samplesheet "$tmp/short.tsv" --out-dir "$tmp/out"
mk step.tsv "s1	$tmp/F.fq	$tmp/R_step.fq"
name2=$(sed -n 5p "$tmp/F.fq" | cut -c2- | cut -d' ' -f1)
expect 65 "orbiome amplicon: error: $tmp/R_step.fq:8: record 2 ('renamed'): mates out of step: name does not match '$name2' in $tmp/F.fq" \
  amplicon denoise --samplesheet "$tmp/step.tsv" --out-dir "$tmp/out"
mk badq.tsv "s1	$tmp/badq.fq	$tmp/R.fq"
expect 65 "orbiome amplicon: error: $tmp/badq.fq: record 2 ('$name2'): quality character outside '!'..'~': the quality encoding cannot be told" \
  amplicon denoise --samplesheet "$tmp/badq.tsv" --out-dir "$tmp/out"
mk allN.tsv "s1	$tmp/N.fq	$tmp/R.fq"
expect 65 "orbiome amplicon denoise: warning: sample 's1' has no reads left after filtering; it is kept with zero counts" \
  amplicon denoise --samplesheet "$tmp/allN.tsv" --out-dir "$tmp/out"
grep -q "error: no reads passed the filter in any sample" "$tmp/stderr" || die "all-N run: $(cat "$tmp/stderr")"
# One sample empty after filtering (all N): kept in stats with zeros, a warning, exit 0.
mk mixed.tsv "s1	$tmp/F.fq	$tmp/R.fq" "s2	$tmp/N.fq	$tmp/R.fq"
expect 0 "orbiome amplicon denoise: warning: sample 's2' has no reads left after filtering; it is kept with zero counts" \
  amplicon denoise --samplesheet "$tmp/mixed.tsv" --out-dir "$tmp/out" --quiet
[ "$(grep '^s2' "$tmp/out/stats.tsv")" = "s2	100	100	0	0	0	0" ] || die "s2 stats: $(cat "$tmp/out/stats.tsv")"
head -n 2 "$tmp/out/asv_table.tsv" | tail -n 1 | grep -q $'^feature_id\ts1\ts2$' || die "s2 missing from the table"
# A primer found in no read: a warning naming the sample and file; nothing left: an error.
mk ok.tsv "s1	$tmp/F.fq	$tmp/R.fq"
expect 65 "orbiome amplicon denoise: warning: sample 's1': the primer was found in no read ($tmp/F.fq)" \
  amplicon denoise --samplesheet "$tmp/ok.tsv" --out-dir "$tmp/out" --primers ACGTACGTACGTACGTACGT,ACGTACGTACGTACGTACGT
# Sample sheet and option errors.
printf 'name\tfile\ns1\t%s\n' "$tmp/F.fq" > "$tmp/nocol.tsv"
expect 65 "orbiome amplicon: error: $tmp/nocol.tsv:1: the sample sheet needs a header with columns 'sample' and 'reads' (and optionally 'reads2')" \
  amplicon denoise --samplesheet "$tmp/nocol.tsv" --out-dir "$tmp/out"
mk dup.tsv "s1	$tmp/F.fq	$tmp/R.fq" "s1	$tmp/F.fq	$tmp/R.fq"
expect 65 "orbiome amplicon: error: $tmp/dup.tsv:3: duplicate sample id 's1'" \
  amplicon denoise --samplesheet "$tmp/dup.tsv" --out-dir "$tmp/out"
expect 64 "orbiome amplicon: error: --pool must be none or pseudo (got 'full')" \
  amplicon denoise --samplesheet "$tmp/ok.tsv" --out-dir "$tmp/out" --pool full
expect 64 "orbiome amplicon: error: --trunc-len takes one value or two separated by a comma (got '240,160,2')" \
  amplicon denoise --samplesheet "$tmp/ok.tsv" --out-dir "$tmp/out" --trunc-len 240,160,2
# A reference with a malformed lineage.
printf '>Bacteria;Firmicutes;;Bacillales;\nACGTACGTACGTACGTACGTACGTACGT\n' > "$tmp/badref.fa"
printf '>q1\nACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT\n' > "$tmp/q.fa"
expect 65 "orbiome amplicon: error: $tmp/badref.fa: record 1 ('Bacteria;Firmicutes;;Bacillales;'): malformed lineage 'Bacteria;Firmicutes;;Bacillales;': an empty level" \
  amplicon classify --seqs "$tmp/q.fa" --ref "$tmp/badref.fa" --seed 1 --out "$tmp/out/tax.tsv"
printf '>ref1\nACGTACGTACGTACGTACGTACGTACGT\n' > "$tmp/noline.fa"
expect 65 "orbiome amplicon: error: $tmp/noline.fa:2: record 1 ('ref1'): malformed lineage: a DADA2 training FASTA header is the lineage, levels separated by ';'" \
  amplicon classify --seqs "$tmp/q.fa" --ref "$tmp/noline.fa" --seed 1 --out "$tmp/out/tax.tsv"
exit $fail
