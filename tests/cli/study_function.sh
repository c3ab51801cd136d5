#!/usr/bin/env bash
# A shotgun study from reads with functional profiling (issues #12, #19), run as a user would:
# HUMAnN's demo reads (../shared/data/shotgun/humann_demo/demo.fastq.gz, B. dorei and B.
# vulgatus) as four samples of three quarters each, [profile] against an index of the B. dorei centroids and
# [function] against an FDB of the same centroids with HUMAnN's demo reaction map and pathways.
# Checks that each sample's gene families, reactions and pathways equal `orbiome function profile
# --taxonomic-profile` run by hand; that the study's merged pathway and reaction tables and its
# reaction tests equal `table merge` + `orbiome diff` by hand; that the pathway tests, which
# cannot run on these reads (the demo reaction map covers too few of their families for any
# pathway), are reported as not run with the reason; that the report shows the reaction tests.
# Skips (77) without ../shared/data or HUMAnN's demo database. Usage: bash study_function.sh ORBIOME
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "${ORBIOME_SHARED_DATA:-$here/../shared/data}" 2>/dev/null && pwd) || shared=/nonexistent
S=$shared/shotgun/humann_demo F=$shared/functional/humann_demo
C=$shared/../peers/humann-3.9/humann/data/chocophlan_DEMO
[[ -f $S/demo.fastq.gz && -d $C ]] || { echo "skip: ../shared/data or HUMAnN's chocophlan_DEMO is absent"; exit 77; }

# A taxonomic index of the centroids (every gene is B. dorei, taxid 357276) and the FDB.
printf 'taxid\tlineage\n357276\tk__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides;s__Bacteroides dorei\n' \
    >"$tmp/lineages.tsv"
zcat "$C"/*.ffn.gz | sed -n 's/^>\([^ ]*\).*/\1\t357276/p' >"$tmp/seqid2taxid.tsv"
run "$bin" db build --genomes "$C"/*.ffn.gz --lineages "$tmp/lineages.tsv" --seqid2taxid "$tmp/seqid2taxid.tsv" --out "$tmp/tax.idx"
run "$bin" db build-function --pangenomes "$C"/*.ffn.gz --reactions "$F/metacyc_reactions_level4ec_only.uniref.bz2" \
    --pathways "$F/metacyc_pathways_structured_filtered_v24_subreactions" --out "$tmp/dorei.fdb"

mkdir -p "$tmp/study"
# Sample i: the reads outside the i-th quarter (interleaved), so that every sample is deep enough
# to find some of the demo map's reactions.
zcat "$S/demo.fastq.gz" | awk -v d="$tmp/study" '{ q = int((NR - 1) / 4) % 4; for (n = 0; n < 4; n++) if (n != q) print > (d "/s" n ".fq") }'
printf 'sample\treads\nA1\ts0.fq\nA2\ts1.fq\nB1\ts2.fq\nB2\ts3.fq\n' >"$tmp/study/samples.tsv"
printf 'sample_id\tgroup\nA1\tA\nA2\tA\nB1\tB\nB2\tB\n' >"$tmp/study/metadata.tsv"
cat >"$tmp/study/study.toml" <<EOF
[study]
name = "HUMAnN demo reads, functions"
[inputs]
reads = "samples.tsv"
kind = "shotgun"
metadata = "metadata.tsv"
[design]
group = "group"
[[comparisons]]
test = "B"
reference = "A"
[filter]
min_count = 1
min_samples = 1
[profile]
db = "$tmp/tax.idx"
[function]
db = "$tmp/dorei.fdb"
[analysis]
ranks = ["species"]
alpha = []
beta = []
diff_methods = []
EOF
"$bin" run "$tmp/study/study.toml" --out "$tmp/out" >"$tmp/o" 2>"$tmp/e" || { cat "$tmp/e"; exit 1; }

for n in A1 A2 B1 B2; do
    i=$(( $(printf 'A1 A2 B1 B2' | tr ' ' '\n' | grep -n "^$n$" | cut -d: -f1) - 1 ))
    run "$bin" function profile --reads "$tmp/study/s$i.fq" --sample $n --db "$tmp/dorei.fdb" \
        --taxonomic-profile "$tmp/out/samples/$n/profile/$n.abundance.tsv" --out-dir "$tmp/hand"
    for f in genefamilies reactions pathabundance pathcoverage; do
        same "$tmp/hand/${n}_$f.tsv" "$tmp/out/samples/$n/function/${n}_$f.tsv"
    done
done
for role in pathabundance reactions; do
    # HUMAnN names a sample's column NAME_Abundance[-RPKs]; the study names it NAME, as a user
    # renames the columns of humann_join_tables' output before the statistics.
    run "$bin" table merge "$tmp"/hand/{A1,A2,B1,B2}_$role.tsv --out "$tmp/hand/$role.raw.tsv"
    sed -E '2s/_Abundance(-RPKs)?//g' "$tmp/hand/$role.raw.tsv" >"$tmp/hand/$role.tsv"
    same "$tmp/hand/$role.tsv" "$tmp/out/function/$role.tsv"
done
# HUMAnN's demo reaction map covers few of these reads' families: reactions, but no pathway.
grep -q "step function skipped: pathway tests of B_vs_A (wilcoxon): no pathway in any sample" "$tmp/e" ||
    die "the pathway tests were not reported as not run: $(cat "$tmp/e")"
run "$bin" diff --table "$tmp/hand/reactions.tsv" --metadata "$tmp/study/metadata.tsv" --formula group --compare B,A \
    --method wilcoxon --out "$tmp/hand/diff.tsv"
same "$tmp/hand/diff.tsv" "$tmp/out/diff/B_vs_A.reaction.wilcoxon.tsv"
[[ $(grep -vc '^#' "$tmp/out/diff/B_vs_A.reaction.wilcoxon.tsv") -gt 5 ]] || die "too few reactions tested"
grep -q '"rank": "reaction"' "$tmp/out/manifest.json" || die "manifest lacks the reaction tests"
grep -q 'B_vs_A.reaction.wilcoxon.tsv' "$tmp/out/report.html" || die "report does not show the reaction tests"
echo "study with functions: per-sample HUMAnN tables, merged tables and reaction tests equal the commands by hand"
exit $fail
