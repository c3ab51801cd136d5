#!/usr/bin/env bash
# `orbiome demo --study oral` runs the RR-5 oral-swab study (data/rr5/oral.toml: LAR vs LAR_G at
# t.0, t.1 and t.2, rarefied to 18,000 reads as the authors did) and its numbers equal the
# standalone commands' on the same samples: filtered table, rarefied Hill numbers, Bray-Curtis,
# PERMANOVA of the t.1 comparison, genus-level Wilcoxon. Group sizes are counted from the
# metadata with awk. A bad --study is a one-line usage error (exit 64).
# Usage: bash demo_oral.sh /path/to/orbiome
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same
depth=18000  # oral.toml [rarefy] depth, the authors' `rare`

# A study name that is not built in: usage error naming the option, nothing written.
"$bin" demo --study nasal --out "$tmp/bad" >"$tmp/out" 2>"$tmp/err"
rc=$?
[[ $rc -eq 64 ]] || die "--study nasal: exit $rc, expected 64"
[[ $(grep -c 'error:' "$tmp/err") -eq 1 ]] && grep -q -- '--study' "$tmp/err" \
    || { die "--study nasal: expected one error line naming --study"; cat "$tmp/err"; }
[[ ! -e $tmp/bad ]] || die "--study nasal wrote $tmp/bad"

run "$bin" demo --study oral --out "$tmp/demo"
d=$tmp/demo
in=$d/inputs/rr5/16S_oral
meta=$in/meta_table.txt
for f in report.html provenance.json samples.tsv tables/filtered.tsv tables/genus.tsv alpha/alpha.tsv \
         alpha/tests.tsv beta/braycurtis.dm.tsv beta/permanova.tsv ratio/tests.tsv \
         diff/LAR_vs_LAR_G_t1.genus.wilcoxon.tsv diff/LAR_vs_LAR_G_t1.genus.linda.tsv; do
    [[ -s $d/$f ]] || die "demo output $f missing"
done
grep -q 'oral swab' "$d/report.html" || die "report.html does not name the oral study"
[[ ! -e $d/diff/ISS_vs_ISS_G.genus.wilcoxon.tsv ]] || die "the oral demo ran a fecal comparison"
# All 80 swabs are in the study; the fecal demo's default stays fecal.
[[ $(grep -vc '^#' "$d/samples.tsv") -eq 81 ]] || die "samples.tsv: expected 80 samples + header"

# The authors' filter, then rarefaction with the study's depth and seed.
run "$bin" table filter --table "$in/otu_table.txt" --taxonomy "$in/tax_table.txt" \
    --min-count 10 --min-samples 2 --min-total 100 --out "$tmp/filtered.tsv"
same "$tmp/filtered.tsv" "$d/tables/filtered.tsv"
run "$bin" table rarefy --table "$tmp/filtered.tsv" --depth $depth --seed 42 --out "$tmp/rare.tsv"
run "$bin" alpha --table "$tmp/rare.tsv" --metrics hill_0,hill_1,hill_2 --out "$tmp/alpha.tsv"
same "$tmp/alpha.tsv" "$d/alpha/alpha.tsv"
run "$bin" beta --table "$tmp/rare.tsv" --metric braycurtis --out "$tmp/bc.tsv"
same "$tmp/bc.tsv" "$d/beta/braycurtis.dm.tsv"

# Group sizes per comparison, counted with awk: metadata (Time = $2, Treatment = $7) joined with
# each sample's depth after filtering (samples below the depth are dropped by rarefaction).
awk -F'\t' '!/^#/ && NR_seen++ == 0 {for (i = 2; i <= NF; i++) if ($i != "taxonomy") id[i] = $i; next}
    !/^#/ {for (i in id) s[id[i]] += $i}
    END {for (k in s) print k "\t" s[k]}' "$tmp/filtered.tsv" > "$tmp/depths"
for t in 0 1 2; do
    for g in LAR LAR_G; do
        n=$(awk -F'\t' -v t="t.$t" -v g="$g" -v dmin=$depth 'NR==FNR {dp[$1] = $2; next}
            FNR > 1 && $2 == t && $7 == g && dp[$1] >= dmin {n++} END {print n + 0}' "$tmp/depths" "$meta")
        eval "n_${t}_${g}=$n"
    done
    awk -F'\t' -v c="LAR_vs_LAR_G_t$t" -v a="$(eval echo \$n_${t}_LAR)" -v b="$(eval echo \$n_${t}_LAR_G)" \
        '$1 == c && $2 == "hill_1" {found = 1; ok = ($5 == a && $6 == b)} END {exit !(found && ok)}' \
        "$d/alpha/tests.tsv" || die "LAR_vs_LAR_G_t$t: group sizes differ from the metadata's"
done
# The one swab of a compared mouse below 18,000 reads: t14D34 (LAR, t.1, 7,645 reads).
[[ "$n_0_LAR $n_0_LAR_G $n_1_LAR $n_1_LAR_G $n_2_LAR $n_2_LAR_G" == "10 10 9 10 10 10" ]] \
    || die "group sizes $n_0_LAR $n_0_LAR_G $n_1_LAR $n_1_LAR_G $n_2_LAR $n_2_LAR_G, expected 10 10 9 10 10 10"

# Median Hill q=1 per group of the t.1 comparison, from the standalone alpha table.
ids_of() {  # ids_of TIME GROUP: rarefied sample ids of that time point and group
    awk -F'\t' -v t="$1" -v g="$2" 'NR==FNR {if (!/^#/ && $1 != "sample_id") keep[$1] = 1; next}
        FNR > 1 && $2 == t && $7 == g && ($1 in keep) {print $1}' "$tmp/alpha.tsv" "$meta"
}
median_hill1() {  # median_hill1 TIME GROUP
    ids_of "$1" "$2" > "$tmp/ids_g"
    awk -F'\t' 'NR==FNR {k[$1] = 1; next} !/^#/ && ($1 in k) {print $3}' "$tmp/ids_g" "$tmp/alpha.tsv" |
        sort -g | awk '{v[NR] = $1} END {printf "%.17g\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
[[ $(grep -v '^#' "$tmp/alpha.tsv" | head -1 | cut -f3) == hill_1 ]] || die "alpha.tsv: column 3 is not hill_1"
m_lar=$(median_hill1 t.1 LAR)
m_ref=$(median_hill1 t.1 LAR_G)
awk -F'\t' -v a="$m_lar" -v b="$m_ref" 'function rel(x, y) {return (x - y < 0 ? y - x : x - y) / (y < 0 ? -y : y)}
    $1 == "LAR_vs_LAR_G_t1" && $2 == "hill_1" {found = 1; ok = rel($7, a) < 1e-9 && rel($8, b) < 1e-9}
    END {exit !(found && ok)}' "$d/alpha/tests.tsv" \
    || { die "LAR_vs_LAR_G_t1 hill_1 medians differ from awk's ($m_lar, $m_ref)"; grep -P 'LAR_G_t1\thill_1' "$d/alpha/tests.tsv"; }

# LAR vs LAR_G at t.1: the comparison's Bray-Curtis submatrix, PCoA and PERMANOVA.
{ ids_of t.1 LAR; ids_of t.1 LAR_G; } > "$tmp/ids"
[[ $(wc -l < "$tmp/ids") -eq 19 ]] || die "t.1 comparison: expected 19 rarefied samples"
awk -F'\t' 'NR==FNR {keep[$1] = 1; next}
    FNR==1 {line = ""; for (i = 2; i <= NF; i++) if ($i in keep) {col[i] = 1; line = line "\t" $i}; print line; next}
    ($1 in keep) {line = $1; for (i = 2; i <= NF; i++) if (i in col) line = line "\t" $i; print line}' \
    "$tmp/ids" <(grep -v '^#' "$tmp/bc.tsv") > "$tmp/bc_t1.tsv"
run "$bin" pcoa --dm "$tmp/bc_t1.tsv" --dimensions 3 --out "$tmp/pcoa.tsv"
same "$tmp/pcoa.tsv" "$d/beta/LAR_vs_LAR_G_t1.braycurtis.pcoa.tsv"
run "$bin" permanova --dm "$tmp/bc_t1.tsv" --metadata "$meta" --formula Treatment \
    --permutations 999 --seed 42 --out "$tmp/perm.tsv"
grep -v '^#' "$tmp/perm.tsv" | tail -n +2 |
    awk -F'\t' 'BEGIN{OFS="\t"}{print "LAR_vs_LAR_G_t1","braycurtis",$0}' \
    > "$tmp/perm_rows"
grep -P '^LAR_vs_LAR_G_t1\tbraycurtis\t' "$d/beta/permanova.tsv" > "$tmp/demo_rows"
diff "$tmp/perm_rows" "$tmp/demo_rows" >/dev/null || { die "PERMANOVA differs"; cat "$tmp/perm_rows" "$tmp/demo_rows"; }
[[ $(awk -F'\t' '$3 == "Treatment" {print $4}' "$tmp/demo_rows") == 1 ]] || die "PERMANOVA: Treatment df != 1"

# At 8 weeks (t.2) the oral communities of LAR and LAR_G differ: vegan's adonis2 on the demo's own
# Bray-Curtis submatrix gives the same pseudo-F and R2 (the permutation p-value depends on the
# RNG; with 999 permutations the demo's must be <= 0.05, as it is at p = 0.01).
{ ids_of t.2 LAR; ids_of t.2 LAR_G; } > "$tmp/ids2"
awk -F'\t' 'NR==FNR {keep[$1] = 1; next}
    FNR==1 {line = ""; for (i = 2; i <= NF; i++) if ($i in keep) {col[i] = 1; line = line "\t" $i}; print line; next}
    ($1 in keep) {line = $1; for (i = 2; i <= NF; i++) if (i in col) line = line "\t" $i; print line}' \
    "$tmp/ids2" <(grep -v '^#' "$d/beta/braycurtis.dm.tsv") > "$tmp/bc_t2.tsv"
row=$(grep -P '^LAR_vs_LAR_G_t2\tbraycurtis\tTreatment\t' "$d/beta/permanova.tsv")
[[ -n $row ]] || die "permanova.tsv: no Treatment row for LAR_vs_LAR_G_t2"
awk -F'\t' '{exit !($8 <= 0.05)}' <<<"$row" || die "LAR_vs_LAR_G_t2 Bray-Curtis PERMANOVA p > 0.05: $row"
if command -v Rscript >/dev/null && Rscript -e 'suppressMessages(library(vegan))' >/dev/null 2>&1; then
    Rscript -e '
        suppressMessages(library(vegan))
        a <- commandArgs(TRUE)
        m <- as.matrix(read.table(a[1], header = TRUE, row.names = 1, sep = "\t", check.names = FALSE))
        meta <- read.table(a[2], header = TRUE, row.names = 1, sep = "\t", check.names = FALSE, comment.char = "")
        df <- data.frame(Treatment = meta[rownames(m), "Treatment"])
        r <- adonis2(as.dist(m) ~ Treatment, data = df, permutations = 0)
        cat(sprintf("%.15g\t%.15g\n", r$F[1], r$R2[1]))' "$tmp/bc_t2.tsv" "$meta" > "$tmp/vegan" 2>"$tmp/log" \
        || { die "Rscript adonis2 failed"; cat "$tmp/log"; }
    paste <(cut -f6,7 <<<"$row" | awk -F'\t' '{print $2 "\t" $1}') "$tmp/vegan" |
        awk -F'\t' 'function rel(x, y) {return (x > y ? x - y : y - x) / y}
            {exit !(rel($1, $3) < 1e-9 && rel($2, $4) < 1e-9)}' \
        || { die "LAR_vs_LAR_G_t2 PERMANOVA F, R2 differ from vegan adonis2"; echo "$row"; cat "$tmp/vegan"; }
else
    echo "note: R vegan not installed; adonis2 cross-check skipped"
fi

# Genus-level Wilcoxon on the filtered (unrarefied) table, all 20 swabs of t.1.
run "$bin" diff --table "$tmp/filtered.tsv" --metadata "$meta" --formula Treatment \
    --compare LAR,LAR_G --where Time=t.1 --method wilcoxon --rank genus --out "$tmp/diff.tsv"
same "$tmp/diff.tsv" "$d/diff/LAR_vs_LAR_G_t1.genus.wilcoxon.tsv"

[[ $fail -eq 0 ]] && echo "oral demo and standalone commands agree"
exit $fail
