#!/usr/bin/env bash
# orbiome qc quality trimming = Trimmomatic 0.39 SLIDINGWINDOW:W:Q TRAILING:Q read-for-read, on the
# frozen cases of tests/parity/trimmomatic/ (see its PROVENANCE.md).
set -uo pipefail
BIN=$1
source "$ORBIOME_SOURCE/tests/support/cli.sh"
P=$ORBIOME_SOURCE/tests/parity/trimmomatic
as_tsv() { paste - - - - | awk -F'\t' '{split($1, h, " "); print h[1] "\t" $2 "\t" $4}'; }
for c in "4 20" "10 30" "1 15"; do
    set -- $c
    run "$BIN" qc --reads "$P/input.fq.gz" --sample s --out-dir "$tmp/w$1q$2" --no-builtin-adapters --min-length 0 \
        --max-n -1 --min-complexity 0 --min-quality "$2" --window "$1"
    zcat "$P/w$1q$2/expected.fq.gz" | as_tsv > "$tmp/expected.tsv"
    zcat "$tmp/w$1q$2/s_R1.fastq.gz" | as_tsv > "$tmp/got.tsv"
    [ -s "$tmp/expected.tsv" ] || die "empty expectation for w$1q$2"
    if ! cmp -s "$tmp/expected.tsv" "$tmp/got.tsv"; then
        die "SLIDINGWINDOW:$1:$2 TRAILING:$2 differs from Trimmomatic"
        diff "$tmp/expected.tsv" "$tmp/got.tsv" | head -5
    fi
    # The qc.tsv quality/length rows account for exactly the reads Trimmomatic kept.
    kept=$(awk -F'\t' '$1=="total"{print $3}' "$tmp/w$1q$2/s.qc.tsv")
    [ "$kept" = "$(wc -l < "$tmp/expected.tsv")" ] || die "qc.tsv total reads_out $kept != Trimmomatic's $(wc -l < "$tmp/expected.tsv")"
done
exit $fail
