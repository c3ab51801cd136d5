#!/usr/bin/env bash
# orbiome's nucleotide tier (db build-function + function profile) on HUMAnN's demo reads against
# HUMAnN 3.9 + bowtie2 on the same reads and centroids (tests/parity/humann/demo_reads_bowtie2):
# most shared families within 5 % RPK, reads assigned close to HUMAnN's, same output for any
# --threads, and the header saying the translated tier did not run.
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
shared=${ORBIOME_SHARED_DATA:?}
S=$shared/shotgun/humann_demo F=$shared/functional/humann_demo
C=$shared/../peers/humann-3.9/humann/data/chocophlan_DEMO
[[ -f $S/demo.fastq.gz && -d $C ]] || { echo "skip: demo reads or HUMAnN's chocophlan_DEMO absent"; exit 77; }
command -v /usr/bin/python3 >/dev/null || { echo "skip: python3 absent"; exit 77; }
source "$src/tests/support/cli.sh"
run "$bin" db build-function --pangenomes "$C"/*.ffn.gz --reactions "$F/metacyc_reactions_level4ec_only.uniref.bz2" \
    --pathways "$F/metacyc_pathways_structured_filtered_v24_subreactions" --out "$tmp/dorei.fdb"
run "$bin" function profile --reads "$S/demo.fastq.gz" --sample demo --db "$tmp/dorei.fdb" --out-dir "$tmp/t1"
run "$bin" function profile --reads "$S/demo.fastq.gz" --sample demo --db "$tmp/dorei.fdb" --out-dir "$tmp/t2" --threads 2 \
    --hits "$tmp/hits.tsv"
# The mapper's hits are frozen: speed work must not move a single hit (13,488 reads mapped). A
# deliberate change of the mapper updates this checksum and says why in its commit.
echo "85b9202c9f7ef1e3dfde2c9b6266bbde641e699c5cf6590282462ff007cec087  $tmp/hits.tsv" | sha256sum -c --quiet ||
    die "the mapper's hits on the demo reads changed"
for f in genefamilies reactions pathabundance pathcoverage; do same "$tmp/t1/demo_$f.tsv" "$tmp/t2/demo_$f.tsv"; done
head -1 "$tmp/t1/demo_genefamilies.tsv" | grep -q "translated=not-run(issue#13)" || die "header does not say the translated tier was not run"
/usr/bin/python3 "$src/bench/function/compare_genefamilies.py" "$src/tests/parity/humann/demo_reads_bowtie2/demo_genefamilies.tsv" \
    "$tmp/t1/demo_genefamilies.tsv" "$S/demo.fastq.gz" >"$tmp/cmp" || die "comparison failed"
cat "$tmp/cmp"
within=$(sed -n 's/.*RPK within 5%: [0-9]* of [0-9]* (\([0-9.]*\)%).*/\1/p' "$tmp/cmp")
assigned=$(sed -n 's/.*orbiome \([0-9]*\) (.*/\1/p' "$tmp/cmp" | tail -1)
awk -v w="$within" 'BEGIN{exit !(w >= 90)}' || die "only $within % of shared families within 5 % RPK"
awk -v a="$assigned" 'BEGIN{exit !(a >= 2033 * 0.9 && a <= 2033 * 1.1)}' || die "orbiome assigned $assigned reads, HUMAnN 2033"
exit $fail
