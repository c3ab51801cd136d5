#!/usr/bin/env bash
# orbiome qc on bad input: one clear error line (file, record), the SPEC exit code, and no output
# (not even a partial one; an earlier run's files stay as they were).
set -uo pipefail
BIN=$1
source "$ORBIOME_SOURCE/tests/support/cli.sh"
cd "$tmp"
# 3,000 pairs: more than one 1 MiB read buffer of gzip input, so truncation is met mid-run.
/usr/bin/python3 - <<'PY'
import random
rng = random.Random(3)
with open("r1.fq", "w") as a, open("r2.fq", "w") as b:
    for i in range(3000):
        s1 = "".join(rng.choice("ACGT") for _ in range(150))
        s2 = "".join(rng.choice("ACGT") for _ in range(150))
        a.write(f"@p{i}/1\n{s1}\n+\n{'F' * 150}\n")
        b.write(f"@p{i}/2\n{s2}\n+\n{'F' * 150}\n")
PY
gzip -k r1.fq && gzip -k r2.fq
run "$BIN" qc --reads r1.fq.gz --reads2 r2.fq.gz --sample good --out-dir out
cp out/good.qc.tsv good.qc.tsv.before

# expect CODE PATTERN ARGS...: exit code, a first stderr line matching PATTERN, at most one more
# line (a hint), and no new or changed file in out/.
expect() {
    local code=$1 pattern=$2
    shift 2
    local before
    before=$(ls -l --time-style=+%s.%N out | sort)
    "$BIN" qc "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    [ "$rc" = "$code" ] || die "exit $rc, expected $code: qc $*: $(cat "$tmp/stderr")"
    head -1 "$tmp/stderr" | grep -q "^orbiome qc: error: .*$pattern" || die "message for qc $*: $(cat "$tmp/stderr")"
    [ "$(grep -vc '^orbiome qc: hint:' "$tmp/stderr")" = 1 ] || die "more than one error line: $(cat "$tmp/stderr")"
    [ "$before" = "$(ls -l --time-style=+%s.%N out | sort)" ] || die "qc $* changed out/: $(ls out)"
}

# Missing input (66), named.
expect 66 "missing_1.fq.*no such file" --reads missing_1.fq --reads2 r2.fq.gz --sample good --out-dir out
expect 66 "missing_2.fq" --reads r1.fq.gz --reads2 missing_2.fq --sample good --out-dir out
# A gzip file cut in the middle of its stream (65): file and record.
head -c $(($(stat -c %s r2.fq.gz) / 2)) r2.fq.gz > cut.fq.gz
expect 65 "cut.fq.gz:.*record [0-9]*.*truncated" --reads r1.fq.gz --reads2 cut.fq.gz --sample good --out-dir out --threads 2
# A file of two gzip members whose second is cut short: the first member ends cleanly, the
# truncation is still found (65), with the record where it was met.
{ head -n 4000 r1.fq | gzip -c; tail -n +4001 r1.fq | gzip -c | head -c 20; } > cutmember.fq.gz
expect 65 "cutmember.fq.gz:4001: record 1001: gzip stream ends before its end marker" --reads cutmember.fq.gz \
    --sample good --out-dir out
# A plain file cut inside a record (65).
head -c 500000 r1.fq | head -n -1 > cutrec.fq
expect 65 "cutrec.fq:.*record" --reads cutrec.fq --reads2 r2.fq --sample good --out-dir out
# Mates of different counts (65) and out of step (65).
head -n 8000 r2.fq > short2.fq
expect 65 "short2.fq.*mates out of step" --reads r1.fq --reads2 short2.fq --sample good --out-dir out
head -n 8000 r1.fq > short1.fq
expect 65 "short1.fq:8000: record 2001: mates out of step: file ends after 2000 records but r2.fq has more" \
    --reads short1.fq --reads2 r2.fq --sample good --out-dir out
: > empty2.fq
expect 65 "empty2.fq: record 1: mates out of step" --reads r1.fq --reads2 empty2.fq --sample good --out-dir out
awk 'NR==4001{sub(/p1000/, "q1000")} {print}' r2.fq > renamed2.fq
expect 65 "renamed2.fq:4004: record 1001 ('q1000/2'): mates out of step" --reads r1.fq --reads2 renamed2.fq --sample good --out-dir out
# A record whose quality length differs from its sequence length (65).
awk 'NR==402{$0=substr($0, 2)} {print}' r1.fq > badqual.fq
expect 65 "badqual.fq:404: record 101.*quality length 150 != sequence length 149" --reads badqual.fq --reads2 r2.fq --sample good --out-dir out
# Qualities outside phred+33 (65), FASTA (65).
awk 'NR%4==0{gsub(/F/, "h")} {print}' r1.fq | head -n 400 > p64.fq
expect 65 "phred.64" --reads p64.fq --sample good --out-dir out
printf '>a\nACGT\n' > a.fa
expect 65 "FASTA" --reads a.fa --sample good --out-dir out
# Usage errors (64).
expect 64 "sample" --reads r1.fq --out-dir out
expect 64 "--write-host needs --host-db" --reads r1.fq --sample good --out-dir out --write-host
expect 64 "same file" --reads r1.fq --reads2 r1.fq --sample good --out-dir out
# A bad adapter file (65), before any work.
printf '>a\nAGATCXX\n' > bad_adapters.fa
expect 65 "bad_adapters.fa.*ACGT" --reads r1.fq --sample good --out-dir out --adapters bad_adapters.fa
same out/good.qc.tsv good.qc.tsv.before
ls out | grep -q '\.tmp\.' && die "temporary files left in out/: $(ls out)"

# Casava 1.8 names ("@id 1:N:0:BARCODE" / "@id 2:N:0:BARCODE") pair by the id before the space.
awk 'NR%4==1{sub(/\/1$/, " 1:N:0:ACGT")} {print}' r1.fq > casava1.fq
awk 'NR%4==1{sub(/\/2$/, " 2:N:0:ACGT")} {print}' r2.fq > casava2.fq
run "$BIN" qc --reads casava1.fq --reads2 casava2.fq --sample casava --out-dir out3
[ "$(awk -F'\t' '$1=="total"{print $2}' out3/casava.qc.tsv)" = 6000 ] || die "Casava-named pairs not all read"
# Mates of different read lengths are valid input (trimmed upstream): the overlap uses the span
# both cover, and the outputs stay in step.
awk 'NR%2==0 && NR%4!=0 || NR%4==0 {$0=substr($0, 1, 120)} {print}' r2.fq > len120_2.fq
run "$BIN" qc --reads r1.fq --reads2 len120_2.fq --sample mixed --out-dir out2
[ "$(zcat out2/mixed_R1.fastq.gz | wc -l)" = "$(zcat out2/mixed_R2.fastq.gz | wc -l)" ] || die "mixed-length mates out of step"
[ "$(zcat out2/mixed_R2.fastq.gz | awk 'NR%4==2' | awk '{print length($0)}' | sort -u)" = 120 ] || die "mate 2 lengths changed"
exit $fail
