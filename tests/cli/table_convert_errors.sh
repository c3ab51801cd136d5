#!/usr/bin/env bash
# `orbiome table convert` on bad input: exit 65 (data) / 66 (missing file) / 64 (usage), exactly
# one error line naming the file (and line), no libhdf5 noise, and no output file left behind.
# Usage: bash table_convert_errors.sh /path/to/orbiome   (env ORBIOME_TEST_DATA)
set -u
BIN=${1:?usage: table_convert_errors.sh ORBIOME_BIN}
DATA=${ORBIOME_TEST_DATA:?ORBIOME_TEST_DATA not set}/tables
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0

# expect CODE PATTERN OUT ARGS...: runs `orbiome table convert ARGS`, checks the exit code, that
# stderr has one "error:" line matching PATTERN (grep -E) and at most one "hint:" line, and that
# OUT does not exist afterwards, nor any temporary next to it.
expect() {
    local code=$1 pattern=$2 out=$3
    shift 3
    "$BIN" table convert "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    local rc=$?
    local n_err n_hint n_lines
    n_err=$(grep -c '^orbiome table convert: error: ' "$WORK/stderr")
    n_hint=$(grep -c '^orbiome table convert: hint: ' "$WORK/stderr")
    n_lines=$(wc -l <"$WORK/stderr")
    if [[ $rc -ne $code ]]; then
        echo "FAIL ($*): exit $rc, expected $code"; cat "$WORK/stderr"; fail=1; return
    fi
    if [[ $n_err -ne 1 || $((n_err + n_hint)) -ne $n_lines ]]; then
        echo "FAIL ($*): expected one error line (+ optional hint), got:"; cat "$WORK/stderr"; fail=1; return
    fi
    if ! grep -qE "^orbiome table convert: error: $pattern" "$WORK/stderr"; then
        echo "FAIL ($*): message does not match '$pattern':"; cat "$WORK/stderr"; fail=1; return
    fi
    if [[ -e $out ]] || compgen -G "$out.tmp.*" >/dev/null; then
        echo "FAIL ($*): output or temporary left behind: $(ls "$WORK")"; fail=1; return
    fi
    echo "ok   exit $code: $(head -1 "$WORK/stderr")"
}

printf '#orbiome x\nfeature_id\tA\tB\nf1\t1\t2\nf2\t1\n' >"$WORK/ragged.tsv"
printf 'feature_id\tA\tB\nf1\t1\tlots\n' >"$WORK/text.tsv"
printf 'feature_id\tA\tB\nf1\t1\t-2\n' >"$WORK/negative.tsv"
printf 'feature_id\tA\tA\nf1\t1\t2\n' >"$WORK/dupsample.tsv"
head -c 23476 "$DATA/rich_sparse_otu_table_hdf5.biom" >"$WORK/truncated.biom"
printf 'Feature ID\tTaxon\nGG_OTU_1\tk__Bacteria\n' >"$WORK/partial_tax.tsv"
: >"$WORK/empty.tsv"

for out in "$WORK/out.biom" "$WORK/out.json" "$WORK/out.tsv"; do
    expect 65 "$WORK/ragged.tsv:4: row has 2 tab-separated fields, expected 3" "$out" "$WORK/ragged.tsv" "$out"
done
expect 65 "$WORK/text.tsv:2: sample 'B': not a finite number: 'lots'" "$WORK/o.tsv" "$WORK/text.tsv" "$WORK/o.tsv"
expect 65 "$WORK/negative.tsv:2: sample 'B': negative count '-2'" "$WORK/o.json" "$WORK/negative.tsv" "$WORK/o.json"
expect 65 "$WORK/dupsample.tsv:1: duplicate sample id 'A'" "$WORK/o.biom" "$WORK/dupsample.tsv" "$WORK/o.biom"
expect 65 "$WORK/truncated.biom: not a readable HDF5 file \(truncated file" "$WORK/o.tsv" "$WORK/truncated.biom" "$WORK/o.tsv"
expect 65 "$WORK/empty.tsv: empty file" "$WORK/o.tsv" "$WORK/empty.tsv" "$WORK/o.tsv"
expect 65 "$DATA/rich_sparse_char.biom: BIOM matrix_element_type 'unicode'" "$WORK/o.biom" "$DATA/rich_sparse_char.biom" "$WORK/o.biom"
expect 65 "$WORK/partial_tax.tsv: 4 of 5 table features are missing from the taxonomy file: 'GG_OTU_2'" \
    "$WORK/o.biom" "$DATA/min_sparse_otu_table.biom" "$WORK/o.biom" --taxonomy "$WORK/partial_tax.tsv"
expect 66 "$WORK/absent.tsv: no such file" "$WORK/o.biom" "$WORK/absent.tsv" "$WORK/o.biom"
expect 66 "$WORK/absent_tax.tsv: no such file" "$WORK/o.biom" "$DATA/min_sparse_otu_table.biom" "$WORK/o.biom" \
    --taxonomy "$WORK/absent_tax.tsv"
expect 64 "cannot tell the table format from the file name" "$WORK/o.csv" "$DATA/min_sparse_otu_table.biom" "$WORK/o.csv"
expect 64 "unknown table format 'xml'" "$WORK/o.tsv" "$DATA/min_sparse_otu_table.biom" "$WORK/o.tsv" --to xml

# A good conversion still works and leaves exactly the output.
if "$BIN" table convert "$DATA/min_sparse_otu_table.biom" "$WORK/good.tsv" 2>"$WORK/stderr" &&
    [[ $(sed -n 2p "$WORK/good.tsv") == $'feature_id\tSample1\tSample2\tSample3\tSample4\tSample5\tSample6' ]] &&
    [[ $(head -1 "$WORK/good.tsv") == "#orbiome table convert "* ]]; then
    echo "ok   good conversion"
else
    echo "FAIL good conversion"; cat "$WORK/stderr"; fail=1
fi
exit $fail
