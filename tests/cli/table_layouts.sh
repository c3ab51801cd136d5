#!/usr/bin/env bash
# `orbiome table convert` on the layouts users' files come in (issue #17): a table with samples
# as rows is transposed only when said (--transpose, --samples-as-rows) or unambiguous, and
# always with a note on stderr (never silently); HUMAnN tables give community rows or strata;
# bad input is one error line with the SPEC exit code (65 data, 66 missing, 64 usage).
# Usage: bash table_layouts.sh /path/to/orbiome   (env ORBIOME_TEST_DATA)
set -u
BIN=${1:?usage: table_layouts.sh ORBIOME_BIN}
DATA=${ORBIOME_TEST_DATA:?ORBIOME_TEST_DATA not set}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0

# expect CODE PATTERN ARGS...: `orbiome table convert ARGS` exits CODE with one error line
# matching PATTERN (and at most a hint).
expect() {
    local code=$1 pattern=$2
    shift 2
    "$BIN" table convert "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    local rc=$?
    local n_err n_lines
    n_err=$(grep -c '^orbiome table convert: error: ' "$WORK/stderr")
    n_lines=$(grep -vc '^orbiome table convert: hint: ' "$WORK/stderr")
    if [[ $rc -ne $code || $n_err -ne 1 || $n_lines -ne 1 ]] ||
        ! grep -qE "^orbiome table convert: error: $pattern" "$WORK/stderr"; then
        echo "FAIL ($*): exit $rc (expected $code), stderr:"; cat "$WORK/stderr"; fail=1; return
    fi
    echo "ok   exit $code: $(head -1 "$WORK/stderr")"
}

kang="$DATA/tables/kang_genera_counts_head6.tsv"
# Sniffed (lineages as column names): transposed, with a note; the lineages are kept.
if "$BIN" table convert "$kang" "$WORK/kang.tsv" 2>"$WORK/stderr" &&
    grep -q "^note: read $kang with samples as rows: its column names are lineages" "$WORK/stderr" &&
    [[ $(sed -n 2p "$WORK/kang.tsv") == $'feature_id\tN01\tN02\tN03\tN04\tN05\tN06\ttaxonomy' ]]; then
    echo "ok   samples as rows sniffed and said"
else
    echo "FAIL sniffed transpose"; cat "$WORK/stderr"; fail=1
fi
# --features-as-rows keeps the file's layout; --transpose of that gives the sniffed result back.
"$BIN" table convert --features-as-rows "$kang" "$WORK/asis.tsv" 2>/dev/null
[[ $(sed -n 3p "$WORK/asis.tsv" | cut -f1) == N01 ]] || { echo "FAIL --features-as-rows"; fail=1; }
"$BIN" table convert --transpose "$WORK/asis.tsv" "$WORK/back.tsv" 2>"$WORK/stderr"
if cmp -s <(tail -n +2 "$WORK/back.tsv") <(tail -n +2 "$WORK/kang.tsv"); then
    echo "ok   --transpose"
else
    echo "FAIL --transpose differs from the sniffed read"; fail=1
fi
# Metadata ids decide the axis of a table without lineages; the id column is found (Sample).
printf 'Sample\tOTU1\tOTU2\nN01\t1\t0\nN02\t3\t4\n' >"$WORK/rows.tsv"
"$BIN" table convert "$WORK/rows.tsv" "$WORK/rows.out.tsv" --metadata "$DATA/metadata/kang_metadata_head6.tsv" \
    2>"$WORK/stderr"
if [[ $(sed -n 2p "$WORK/rows.out.tsv") == $'feature_id\tN01\tN02' ]] && grep -q "^note: " "$WORK/stderr"; then
    echo "ok   axis from metadata ids"
else
    echo "FAIL axis from metadata ids"; cat "$WORK/stderr"; fail=1
fi

# HUMAnN: community rows by default, strata with --stratified.
humann="$DATA/tables/humann_multi_sample_genefamilies.tsv"
"$BIN" table convert "$humann" "$WORK/h.tsv" 2>/dev/null
"$BIN" table convert --stratified "$humann" "$WORK/hs.tsv" 2>/dev/null
if [[ $(grep -c . "$WORK/h.tsv") -eq 27 && $(grep -c '|' "$WORK/h.tsv") -eq 0 &&
    $(grep -c '|g__\||unclassified' "$WORK/hs.tsv") -eq 25 ]]; then
    echo "ok   HUMAnN community / stratified"
else
    echo "FAIL HUMAnN rows"; fail=1
fi

# Bad input.
printf '# Gene Family\tS1\nUniRef90_A\t2\nUniRef90_A|g__X|s__Y\t2\n' >"$WORK/strata.tsv"
expect 65 "$WORK/strata.tsv:3: malformed HUMAnN stratified row 'UniRef90_A\|g__X\|s__Y'" "$WORK/strata.tsv" "$WORK/o.tsv"
printf 'a\tb\nN01\tN02\nN02\tN01\n' >"$WORK/ambiguous.tsv"
expect 65 "$WORK/ambiguous.tsv: cannot tell the sample-id column: 'a' and 'b'" "$WORK/rows.tsv" "$WORK/o.tsv" \
    --metadata "$WORK/ambiguous.tsv"
printf 'id\tgroup\nX1\ta\nX2\tb\n' >"$WORK/other.tsv"
expect 65 "$WORK/rows.tsv: 2 of 2 samples are not in metadata $WORK/other.tsv" "$WORK/rows.tsv" "$WORK/o.tsv" \
    --samples-as-rows --metadata "$WORK/other.tsv"
expect 64 ".*kang_metadata_head6.tsv: no metadata column 'SampleName'" "$WORK/rows.tsv" "$WORK/o.tsv" \
    --metadata "$DATA/metadata/kang_metadata_head6.tsv" --id-column SampleName
expect 66 "$WORK/absent.tsv: no such file" "$WORK/rows.tsv" "$WORK/o.tsv" --metadata "$WORK/absent.tsv"
expect 64 "--samples-as-rows excludes --features-as-rows" "$WORK/rows.tsv" "$WORK/o.tsv" --samples-as-rows \
    --features-as-rows
[[ -e $WORK/o.tsv ]] && { echo "FAIL output left behind"; fail=1; }
exit $fail
