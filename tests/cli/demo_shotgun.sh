#!/usr/bin/env bash
# `orbiome demo --study shotgun` (issue #14): the built-in study from raw reads (data/shotgun,
# simulated with ART from real genome slices; truth in its truth.tsv), checked against the truth:
#  - QC removed the PhiX spike-in (the demo's "host") and nothing else of note: per sample, the
#    host share equals the planted PhiX pairs within one pair;
#  - the failed library GC6 (80 pairs) stops at qc.min_reads, is listed as failed with its reason
#    in reads/qc_status.tsv and in the report, and is absent from the table; the run succeeds;
#  - the species counts equal the planted read pairs of each indexed species, less at most two
#    pairs a sample lost to QC; Olsenella (not indexed) becomes no species;
#  - LinDA finds the planted effects: Lactobacillus johnsonii up, Akkermansia down in flight (q < 0.05);
#  - bad thresholds: qc.max_host_percent = 150 is refused naming the line (65); a threshold that
#    every sample misses (max_host_percent = 0.5) fails the run (65) saying so, writing no study;
#  - the same outputs for --threads 1 and 2. (The demo rebuilds its inputs and indexes on every
#    run, so it does not resume; study_reads.sh tests the sample cache.)
# Needs no ../shared. Usage: bash demo_shotgun.sh ORBIOME
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same

run "$bin" demo --study shotgun --out "$tmp/d2" --threads 2
cp "$tmp/log" "$tmp/log2"
run "$bin" demo --study shotgun --out "$tmp/d1" --threads 1
for f in reads/qc.tsv reads/qc_status.tsv tables/species.tsv tables/filtered.tsv diff/FLT_vs_GC.species.linda.tsv \
         diff/FLT_vs_GC.genus.wilcoxon.tsv alpha/alpha.tsv beta/braycurtis.dm.tsv beta/permanova.tsv; do
    same "$tmp/d1/$f" "$tmp/d2/$f"
done
grep -q 'sample GC6 stops after qc: 158 reads kept, fewer than qc.min_reads = 500' "$tmp/log2" ||
    die "the run does not say that GC6 stopped at qc.min_reads"

/usr/bin/python3 - "$tmp/d2" <<'PY' || die "outputs disagree with the truth"
import sys
d = sys.argv[1]
def rows(path):
    lines = [l.rstrip("\n").split("\t") for l in open(f"{d}/{path}") if not l.startswith("#")]
    return lines[0], lines[1:]
truth = {}
for s, src, n in rows("inputs/shotgun/truth.tsv")[1]:
    truth[(s, src)] = int(n)
bad = []
# QC: host share = PhiX pairs; GC6 failed with its reason, the others passed.
hdr, status = rows("reads/qc_status.tsv")
for r in status:
    rec = dict(zip(hdr, r))
    s = rec["sample"]
    removed = float(rec["host_percent"]) / 100 * int(rec["reads_kept"]) / (1 - float(rec["host_percent"]) / 100)
    if abs(removed / 2 - truth[(s, "phiX")]) > 1:
        bad.append(f"{s}: host removed {removed / 2:.1f} pairs, PhiX planted {truth[(s, 'phiX')]}")
    want = "fail" if s == "GC6" else "pass"
    if rec["status"] != want:
        bad.append(f"{s}: status {rec['status']}, want {want}")
if [r[0] for r in status if r[4] == "fail"] != ["GC6"] or "fewer than qc.min_reads = 500" not in status[-1][5]:
    bad.append("GC6's reason is missing")
# Species counts = planted pairs (QC may remove up to 2 pairs of a species in a sample).
code = {"Prevotella copri": "Pcop", "Lactobacillus johnsonii": "Ljoh", "Clostridium perfringens": "Cper",
        "[Eubacterium] siraeum": "Esir", "Escherichia coli": "Ecol", "Akkermansia muciniphila": "Amuc"}
hdr, table = rows("tables/species.tsv")
samples = hdr[1:-1]
if "GC6" in samples or len(samples) != 10:
    bad.append(f"table samples {samples}: want the ten that passed QC")
if sorted(r[0].split("s__")[1] for r in table) != sorted(code):
    bad.append("table species: " + ", ".join(r[0] for r in table))
for r in table:
    sp = r[0].split("s__")[1]
    for s, v in zip(samples, r[1:-1]):
        t = truth[(s, code.get(sp, "?"))] if sp in code else -99
        if not (t - 2 <= int(v) <= t):
            bad.append(f"{s} {sp}: {v} pairs, {t} planted")
# LinDA on species: the planted effects, significant, in the right direction.
hdr, linda = rows("diff/FLT_vs_GC.species.linda.tsv")
res = {r[0].split("s__")[1]: dict(zip(hdr, r)) for r in linda}
for sp, sign in (("Lactobacillus johnsonii", 1), ("Akkermansia muciniphila", -1)):
    e, q = float(res[sp]["effect"]), float(res[sp]["q_value"])
    if e * sign <= 0 or q >= 0.05:
        bad.append(f"LinDA {sp}: effect {e}, q {q}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

grep -q 'table-reads-qc-failed' "$tmp/d2/report.html" || die "the report does not list the failed sample"
grep -q 'GC6' "$tmp/d2/report.html" || die "the report does not name GC6"


# Thresholds through `orbiome run` on the demo's own inputs (indexes included).
study=$tmp/d2/inputs/shotgun
sed 's/^min_reads = 500$/min_reads = 500\nmax_host_percent = 150/' "$study/shotgun.toml" >"$study/bad.toml"
"$bin" run "$study/bad.toml" --out "$tmp/bad" >"$tmp/err" 2>&1
code=$?
[[ $code == 65 ]] && grep -q 'bad.toml:2[0-9].*max_host_percent must be between 0 and 100' "$tmp/err" ||
    { die "max_host_percent = 150: exit $code"; cat "$tmp/err"; }
sed 's/^min_reads = 500$/max_host_percent = 0.5/' "$study/shotgun.toml" >"$study/strict.toml"
"$bin" run "$study/strict.toml" --out "$tmp/strict" >"$tmp/err" 2>&1
code=$?
[[ $code == 65 ]] && grep -q 'no sample is left for profile: every sample stopped at a threshold' "$tmp/err" ||
    { die "max_host_percent = 0.5: exit $code"; tail -3 "$tmp/err"; }
[[ ! -e $tmp/strict/report.html ]] || die "a failed run wrote a report"
exit $fail
