#!/usr/bin/env bash
# Shotgun studies from reads (issues #14, #19), run as a user would through `orbiome run`, with
# an index of E. coli K-12 W3110 and the four CAMISIM genomes that ../shared/data/genomes holds:
#  1. [qc] + [profile] on six FASTQ samples, each a share of the simulated E. coli K-12 reads
#     (shotgun/sylph_k12, all of quality 17, hence min_quality = 15; group A gets 400, group B 100) and of the real gut reads of
#     shotgun/kneaddata_demo (150 each): the study's tables equal `orbiome qc`, `orbiome
#     profile`, `orbiome table merge` and the statistics (`table filter`, `diff`, `alpha`) run
#     by hand on the same reads;
#  2. [profile] alone on six paired FASTA samples cut from the CAMISIM toy metagenome
#     (shotgun/camisim_toy_metabinR; group B keeps a third of Genome17's pairs): the merged
#     table equals `profile` + `table merge` by hand; a rerun with a seventh sample computes only
#     that sample (the others come from the cache, untouched);
#  3. bad input: a missing read file (named, before any work), a truncated gzip mid-run (that
#     sample fails naming its file, the other samples' units stay cached), duplicate samples.
# Skips (77) without ../shared/data. Usage: bash study_reads.sh ORBIOME

set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "${ORBIOME_SHARED_DATA:-$here/../shared/data}" 2>/dev/null && pwd) || shared=/nonexistent
cam=$shared/shotgun/camisim_toy_metabinR
[[ -f $cam/reads.metagenome.fasta.gz && -f $shared/genomes/genomes.tsv ]] || { echo "skip: ../shared/data is absent"; exit 77; }

source "$(dirname "$0")/../support/shotgun_study.sh"  # shotgun_index, fastq_samples, shotgun_toml
shotgun_index "$shared" "$tmp" "$bin" || die "index"

# Study 1: six FASTQ samples (gzip) through [qc] and [profile].
fastq_samples "$shared" "$tmp/fq" A1 A2 A3 B1 B2 B3 || die "FASTQ samples"
shotgun_toml "$tmp/fq/study.toml" "$tmp/db.idx" $'min_quality = 15\nmin_length = 60'
"$bin" run "$tmp/fq/study.toml" --out "$tmp/fq_out" >"$tmp/o" 2>"$tmp/e" || { cat "$tmp/e"; exit 1; }
for n in A1 A2 A3 B1 B2 B3; do
    run "$bin" qc --reads "$tmp/fq/reads/$n.fq.gz" --sample $n --out-dir "$tmp/hand/qc" --min-quality 15 --min-length 60
    run "$bin" profile --db "$tmp/db.idx" --reads "$tmp/hand/qc/${n}_R1.fastq.gz" --sample $n --out-dir "$tmp/hand/profile"
    cmp -s "$tmp/hand/qc/${n}_R1.fastq.gz" "$tmp/fq_out/samples/$n/qc/${n}_R1.fastq.gz" || die "$n: clean reads differ"
    same "$tmp/hand/qc/$n.qc.tsv" "$tmp/fq_out/samples/$n/qc/$n.qc.tsv"
    cmp -s "$tmp/hand/profile/$n.kreport" "$tmp/fq_out/samples/$n/profile/$n.kreport" || die "$n.kreport differs"
done
run "$bin" table merge "$tmp"/hand/profile/{A1,A2,A3,B1,B2,B3}.abundance.tsv --rank species --out "$tmp/hand/merged.tsv"
same "$tmp/hand/merged.tsv" "$tmp/fq_out/tables/profiled_species.tsv"
grep -q "Escherichia coli" "$tmp/hand/merged.tsv" || die "E. coli not profiled"
run "$bin" table filter --table "$tmp/hand/merged.tsv" --min-count 1 --min-samples 2 --out "$tmp/hand/filtered.tsv"
run "$bin" diff --table "$tmp/hand/filtered.tsv" --metadata "$tmp/fq/metadata.tsv" --formula group --compare B,A \
    --method wilcoxon --rank species --out "$tmp/hand/diff.tsv"
same "$tmp/hand/diff.tsv" "$tmp/fq_out/diff/B_vs_A.species.wilcoxon.tsv"
run "$bin" alpha --table "$tmp/hand/filtered.tsv" --metrics observed,shannon --out "$tmp/hand/alpha.tsv"
same "$tmp/hand/alpha.tsv" "$tmp/fq_out/alpha/alpha.tsv"
[[ $(grep -vc '^#' "$tmp/fq_out/reads/qc.tsv") == 43 ]] || die "reads/qc.tsv: want a header + 6 samples x 7 rows"
grep -q '"kind": "profile_table"' "$tmp/fq_out/manifest.json" || die "manifest lacks the profiled table"

# Study 2: six paired CAMISIM samples (pairs dealt round-robin; group B drops two of three
# Genome17.0 pairs) and a seventh for the rerun, gzip FASTA, [profile] only.
mkdir -p "$tmp/study/reads"
/usr/bin/python3 - "$cam" "$tmp/study" <<'PY' || die "sample split"
import gzip, sys
cam, out = sys.argv[1], sys.argv[2]
genome = {}
with gzip.open(cam + "/reads_mapping.tsv.gz", "rt") as f:
    next(f)
    for line in f:
        r = line.rstrip("\n").split("\t")
        genome[r[0]] = r[1]
records, name = [], None
with gzip.open(cam + "/reads.metagenome.fasta.gz", "rt") as f:
    for line in f:
        if line.startswith(">"):
            name = line[1:].strip()
            records.append([name, ""])
        else:
            records[-1][1] += line.strip()
pairs = [(records[i], records[i + 1]) for i in range(0, len(records), 2)]
names = ["A1", "A2", "A3", "B1", "B2", "B3", "A4"]
files = {n: (gzip.open(f"{out}/reads/{n}_1.fa.gz", "wt"), gzip.open(f"{out}/reads/{n}_2.fa.gz", "wt")) for n in names}
seen17 = 0
for i, (m1, m2) in enumerate(pairs):
    n = names[i % len(names)]
    if n.startswith("B") and genome[m1[0]] == "Genome17.0":
        seen17 += 1
        if seen17 % 3:
            continue
    for fh, (rid, seq) in zip(files[n], (m1, m2)):
        fh.write(f">{rid}\n{seq}\n")
for a, b in files.values():
    a.close(); b.close()
with open(f"{out}/metadata.tsv", "w") as f:
    f.write("sample_id\tgroup\n" + "".join(f"{n}\t{n[0]}\n" for n in names))
with open(f"{out}/samples.tsv", "w") as f:
    f.write("sample\treads\treads2\n" + "".join(f"{n}\treads/{n}_1.fa.gz\treads/{n}_2.fa.gz\n" for n in names[:6]))
PY

shotgun_toml "$tmp/study/study.toml" "$tmp/db.idx" ""
sed -i -e 's/^min_count = 1/min_count = 5/' -e 's/^\[inputs\]/[inputs]\nmetadata_id_column = "sample_id"/' "$tmp/study/study.toml"
"$bin" run "$tmp/study/study.toml" --out "$tmp/out" >"$tmp/o" 2>"$tmp/e" || { cat "$tmp/e"; exit 1; }
grep -q 'step qc skipped: no \[qc\] section' "$tmp/e" || die "no note for the skipped qc step: $(cat "$tmp/e")"
for n in A1 A2 A3 B1 B2 B3; do
    run "$bin" profile --db "$tmp/db.idx" --reads "$tmp/study/reads/${n}_1.fa.gz" --reads2 "$tmp/study/reads/${n}_2.fa.gz" \
        --sample $n --out-dir "$tmp/hand2"
done
run "$bin" table merge "$tmp"/hand2/{A1,A2,A3,B1,B2,B3}.abundance.tsv --rank species --out "$tmp/hand2/merged.tsv"
same "$tmp/hand2/merged.tsv" "$tmp/out/tables/profiled_species.tsv"

# A seventh sample: only it is computed; the others' units are reused untouched.
stamp=$(stat -c %Y.%i "$tmp/out/samples/A1/profile/A1.abundance.tsv")
printf 'A4\treads/A4_1.fa.gz\treads/A4_2.fa.gz\n' >>"$tmp/study/samples.tsv"
"$bin" run "$tmp/study/study.toml" --out "$tmp/out" >"$tmp/o" 2>"$tmp/e" || { cat "$tmp/e"; exit 1; }
/usr/bin/python3 - "$tmp/out/provenance.json" <<'PY' || die "rerun recomputed more than the new sample"
import json, sys
s = json.load(open(sys.argv[1]))["samples"]
computed = sorted((c["sample"], c["step"]) for c in s["computed"])
assert computed == [("A4", "profile")], computed
assert len(s["reused_from_cache"]) == 6, s["reused_from_cache"]
PY
[[ $(stat -c %Y.%i "$tmp/out/samples/A1/profile/A1.abundance.tsv") == "$stamp" ]] || die "A1's unit was rewritten"
cp "$tmp/out/tables/profiled_species.tsv" "$tmp/before_force.tsv"
"$bin" run "$tmp/study/study.toml" --out "$tmp/out" --force >"$tmp/o" 2>"$tmp/e" || { cat "$tmp/e"; exit 1; }
[[ $(grep -c ": profile computed" "$tmp/e") == 7 && $(grep -c "reused from" "$tmp/e") == 0 ]] || die "--force reused the cache"
same "$tmp/before_force.tsv" "$tmp/out/tables/profiled_species.tsv"
grep -q 'A4' "$tmp/out/tables/profiled_species.tsv" || die "A4 is not in the table"

# Bad input. A missing read file: named, before any work (no output folder appears).
sed 's#reads/A1_2.fa.gz#reads/nope.fa.gz#' "$tmp/study/samples.tsv" >"$tmp/study/missing.tsv"
sed 's#samples.tsv#missing.tsv#' "$tmp/study/study.toml" >"$tmp/study/missing.toml"
"$bin" run "$tmp/study/missing.toml" --out "$tmp/out_missing" >"$tmp/o" 2>"$tmp/e"
[[ $? == 66 ]] || die "missing read file: exit code"
grep -q 'nope.fa.gz' "$tmp/e" || die "missing read file not named: $(cat "$tmp/e")"
[[ ! -e $tmp/out_missing ]] || die "a missing read file left an output folder"
# A truncated gzip: that sample fails with its file; the other samples' units stay cached.
head -c 20000 "$tmp/study/reads/B2_1.fa.gz" >"$tmp/study/reads/cut_1.fa.gz"
sed 's#reads/B2_1.fa.gz#reads/cut_1.fa.gz#' "$tmp/study/samples.tsv" >"$tmp/study/cut.tsv"
sed 's#samples.tsv#cut.tsv#' "$tmp/study/study.toml" >"$tmp/study/cut.toml"
"$bin" run "$tmp/study/cut.toml" --out "$tmp/out_cut" >"$tmp/o" 2>"$tmp/e"
code=$?
[[ $code == 65 || $code == 74 ]] || die "truncated gzip: exit code $code"
grep -q 'cut_1.fa.gz' "$tmp/e" || die "truncated gzip not named: $(cat "$tmp/e")"
[[ -f $tmp/out_cut/samples/B3/profile/unit.json && ! -e $tmp/out_cut/samples/B2/profile ]] || die "cache after a failed sample"
[[ ! -e $tmp/out_cut/manifest.json ]] || die "a failed run wrote a study"
# Duplicate sample names.
{ cat "$tmp/study/samples.tsv"; printf 'A1\treads/A1_1.fa.gz\treads/A1_2.fa.gz\n'; } >"$tmp/study/dup.tsv"
sed 's#samples.tsv#dup.tsv#' "$tmp/study/study.toml" >"$tmp/study/dup.toml"
"$bin" run "$tmp/study/dup.toml" --out "$tmp/out_dup" >"$tmp/o" 2>"$tmp/e"
[[ $? == 65 ]] && grep -q "dup.tsv:.*A1" "$tmp/e" || die "duplicate sample: $(cat "$tmp/e")"
echo "study from reads: tables equal the commands by hand; rerun computed only the new sample"
exit $fail
