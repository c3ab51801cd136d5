#!/usr/bin/env bash
# Progress on stderr (issue #4): `--progress` forces progress lines when stderr is not a terminal
# (as here), they are absent without it, `--quiet` leaves stderr empty, and no output file changes.
set -u
BIN=$1
D=${ORBIOME_TEST_DATA:?}/profiler
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

build() {  # build NAME FLAGS...
    local name=$1; shift
    "$BIN" db build --genomes "$D/ref1.fa" "$D/ref2.fa" "$D/ref3.fa" --taxdump "$D/taxdump" \
        --seqid2taxid "$D/seqid2taxid_strain.tsv" --out "$T/$name.idx" --threads 2 "$@" 2> "$T/$name.err" \
        || fail "db build $*"
}
build plain
build progress --progress
build quiet --quiet
cmp -s "$T/plain.idx" "$T/progress.idx" || fail "--progress changed the index"
cmp -s "$T/plain.idx" "$T/quiet.idx" || fail "--quiet changed the index"
grep -qE '^\[orbiome db build [0-9.]+s\] 3 of 3 genome files scanned \(0\.1 Mbp' "$T/progress.err" \
    || fail "db build --progress line: $(cat "$T/progress.err")"
grep -q "genome files scanned" "$T/plain.err" && fail "progress line without --progress on a non-terminal"
[ -s "$T/quiet.err" ] && fail "db build --quiet wrote: $(cat "$T/quiet.err")"

run() {  # run NAME FLAGS...
    local name=$1; shift
    "$BIN" profile --db "$T/plain.idx" --reads "$D/pairs_1.fq" --reads2 "$D/pairs_2.fq" --sample s \
        --out-dir "$T/$name" --per-read --threads 2 --batch-bases 2000 "$@" 2> "$T/$name.err" || fail "profile $*"
}
run plain
run progress --progress
run quiet --quiet
for f in s.kreport s.profile s.abundance.tsv s.reads.tsv; do
    cmp -s "$T/plain/$f" "$T/progress/$f" || fail "--progress changed $f"
    cmp -s "$T/plain/$f" "$T/quiet/$f" || fail "--quiet changed $f"
done
# The final progress line counts every fragment (60 pairs of 2 x 150 bases).
grep -qE '^\[orbiome profile [0-9.]+s\] s: 60 fragments \(0\.0 Mbp\), [0-9]+ fragments/s$' "$T/progress.err" \
    || fail "profile --progress line: $(cat "$T/progress.err")"
[ "$(grep -c 'fragments/s$' "$T/plain.err")" -eq 1 ] || fail "progress lines without --progress: $(cat "$T/plain.err")"
[ -s "$T/quiet.err" ] && fail "profile --quiet wrote: $(cat "$T/quiet.err")"
"$BIN" profile --db "$T/plain.idx" --reads "$D/reads.fq" --sample x --out-dir "$T/x" --progress --quiet \
    > /dev/null 2>&1 && fail "--progress with --quiet accepted"
echo "profile_progress: ok"
