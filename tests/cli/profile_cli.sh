#!/usr/bin/env bash
# orbiome db build / db info / profile end to end on tests/data/profiler, and their errors:
# a truncated gzip, a quality/sequence length mismatch, mates out of step and an index of another
# format version each stop with exit 65 and one line naming the file.
set -u
BIN=$1
D=${ORBIOME_TEST_DATA:?}/profiler
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$BIN" db build --genomes "$D/ref1.fa" "$D/ref2.fa" "$D/ref3.fa" --taxdump "$D/taxdump" \
    --seqid2taxid "$D/seqid2taxid_strain.tsv" --out "$T/db.idx" --threads 2 2>/dev/null || fail "db build"
"$BIN" db info "$T/db.idx" > "$T/info.txt" || fail "db info"
grep -q "^format_version	2$" "$T/info.txt" || fail "info format_version"
grep -q "^k	31$" "$T/info.txt" || fail "info k"
grep -q "^sequences	3$" "$T/info.txt" || fail "info sequences"
grep -q "^bases	90000$" "$T/info.txt" || fail "info bases"

for t in 1 2; do
    "$BIN" profile --db "$T/db.idx" --reads "$D/pairs_1.fq" --reads2 "$D/pairs_2.fq" --sample s \
        --out-dir "$T/out$t" --per-read --threads $t 2>/dev/null || fail "profile threads $t"
done
for f in s.kreport s.profile s.abundance.tsv s.reads.tsv; do
    [ -s "$T/out1/$f" ] || fail "missing $f"
    cmp -s "$T/out1/$f" "$T/out2/$f" || fail "$f differs between --threads 1 and 2"
done
grep -q "^ 33.33	20	20	S	562	              Escherichia coli$" "$T/out1/s.kreport" || fail "kreport E. coli row"

# Samplesheet: the index is loaded once for both samples.
printf 'sample\treads\treads2\na\t%s\t%s\nb\t%s\t\n' "$D/pairs_1.fq" "$D/pairs_2.fq" "$D/reads.fq" > "$T/sheet.tsv"
"$BIN" profile --db "$T/db.idx" --samplesheet "$T/sheet.tsv" --out-dir "$T/sheet" 2>/dev/null || fail "samplesheet"
[ -s "$T/sheet/a.kreport" ] && [ -s "$T/sheet/b.profile" ] || fail "samplesheet outputs"

expect_error() {  # expect_error EXPECTED_SUBSTRING args...
    local want=$1; shift
    "$BIN" "$@" > /dev/null 2> "$T/err.txt"
    local rc=$?
    [ $rc -eq 65 ] || fail "exit $rc (want 65) for: $* ($(cat "$T/err.txt"))"
    grep -qF "$want" "$T/err.txt" || fail "message '$(head -1 "$T/err.txt")' lacks '$want'"
}
head -c 3000 <(gzip -c "$D/pairs_1.fq") > "$T/cut.fq.gz"
expect_error "cut.fq.gz:" profile --db "$T/db.idx" --reads "$T/cut.fq.gz" --sample x --out-dir "$T/e1"
grep -q "truncated" "$T/err.txt" || fail "truncated message"
printf '@r1\nACGT\n+\nIII\n' > "$T/badq.fq"
expect_error "badq.fq:4: record 1 ('r1'): quality length 3 != sequence length 4" \
    profile --db "$T/db.idx" --reads "$T/badq.fq" --sample x --out-dir "$T/e2"
expect_error "mates out of step" profile --db "$T/db.idx" --reads "$D/pairs_1.fq" --reads2 "$D/reads.fq" \
    --sample x --out-dir "$T/e3"
cp "$T/db.idx" "$T/v9.idx"
printf '\x09' | dd of="$T/v9.idx" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_error "v9.idx: index format version 9, but this orbiome reads versions 1 to 2" \
    profile --db "$T/v9.idx" --reads "$D/reads.fq" --sample x --out-dir "$T/e4"
[ ! -e "$T/e1/x.kreport" ] || fail "a failed run left an output"

# --on-invalid skip: the malformed record is dropped with a warning naming it; the others are
# profiled exactly as without it (the 8 single reads, then one bad record).
cp "$D/reads.fq" "$T/good.fq"
{ cat "$T/good.fq"; printf '@bad\nACGT\n+\nIII\n'; } > "$T/mixed.fq"
"$BIN" profile --db "$T/db.idx" --reads "$T/good.fq" --sample g --out-dir "$T/skip" 2>/dev/null || fail "good reads"
"$BIN" profile --db "$T/db.idx" --reads "$T/mixed.fq" --sample g --out-dir "$T/skip2" --on-invalid skip --quiet \
    2> "$T/skip.err" || fail "--on-invalid skip exit $?"
[ "$(cat "$T/skip.err")" = "orbiome profile: warning: g: skipped 1 malformed fragments (first: $T/mixed.fq:36: record 9 ('bad'))" ] \
    || fail "skip warning: $(cat "$T/skip.err")"
cmp -s "$T/skip/g.kreport" "$T/skip2/g.kreport" || fail "skipping changed the other reads' report"
expect_error "mixed.fq:36: record 9 ('bad'): quality length 3 != sequence length 4" \
    profile --db "$T/db.idx" --reads "$T/mixed.fq" --sample x --out-dir "$T/e5"
echo "profile_cli: ok"
