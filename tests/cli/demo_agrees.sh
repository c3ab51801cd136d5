#!/usr/bin/env bash
# `orbiome demo` (the study runner) and the standalone commands give the same numbers on the
# same samples (issue #6): filtered table, alpha diversity, Bray-Curtis, PCoA, PERMANOVA of
# ISS vs ISS_G, genus-level Wilcoxon and the Firmicutes/Bacteroidetes ratio.
# Usage: bash demo_agrees.sh /path/to/orbiome
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same

run "$bin" demo --out "$tmp/demo"
d=$tmp/demo
in=$d/inputs/rr5/16S_fecal
[[ -s $d/provenance.json && -s $d/alpha/alpha.tsv && -s $d/beta/permanova.tsv ]] || die "demo outputs missing"

# The authors' filter, then the same metrics.
run "$bin" table filter --table "$in/otu_table.txt" --taxonomy "$in/tax_table.txt" \
    --min-count 10 --min-samples 2 --min-total 100 --out "$tmp/filtered.tsv"
same "$tmp/filtered.tsv" "$d/tables/filtered.tsv"
run "$bin" alpha --table "$tmp/filtered.tsv" --metrics observed,shannon,simpson,chao1 --out "$tmp/alpha.tsv"
same "$tmp/alpha.tsv" "$d/alpha/alpha.tsv"
run "$bin" beta --table "$tmp/filtered.tsv" --metric braycurtis --out "$tmp/bc.tsv"
same "$tmp/bc.tsv" "$d/beta/braycurtis.dm.tsv"

# ISS vs ISS_G at the end of the mission: the comparison's submatrix, PCoA and PERMANOVA.
awk -F'\t' 'NR>1 && $4=="final" && ($5=="ISS" || $5=="ISS_G") {print $1}' "$in/meta_table.txt" > "$tmp/ids"
awk -F'\t' 'NR==FNR {keep[$1] = 1; next}
    FNR==1 {line = ""; for (i = 2; i <= NF; i++) if ($i in keep) {col[i] = 1; line = line "\t" $i}; print line; next}
    ($1 in keep) {line = $1; for (i = 2; i <= NF; i++) if (i in col) line = line "\t" $i; print line}' \
    "$tmp/ids" "$tmp/bc.tsv" > "$tmp/bc_iss.tsv"
run "$bin" pcoa --dm "$tmp/bc_iss.tsv" --dimensions 3 --out "$tmp/pcoa.tsv"
same "$tmp/pcoa.tsv" "$d/beta/ISS_vs_ISS_G.braycurtis.pcoa.tsv"
run "$bin" permanova --dm "$tmp/bc_iss.tsv" --metadata "$in/meta_table.txt" --formula Treatment \
    --permutations 999 --seed 42 --out "$tmp/perm.tsv"
grep -v '^#' "$tmp/perm.tsv" | tail -n +2 | awk -F'\t' 'BEGIN{OFS="\t"}{print "ISS_vs_ISS_G","braycurtis",$1,$2,$3,$4,$5,$6}' > "$tmp/perm_rows"
grep -P '^ISS_vs_ISS_G\tbraycurtis\t' "$d/beta/permanova.tsv" > "$tmp/demo_rows"
# One PERMANOVA writer (ecology/permanova_io.hpp): the same text, NA cells included.
diff "$tmp/perm_rows" "$tmp/demo_rows" >/dev/null || { die "PERMANOVA differs"; cat "$tmp/perm_rows" "$tmp/demo_rows"; }

# Genus-level Wilcoxon and the F/B ratio.
run "$bin" diff --table "$tmp/filtered.tsv" --metadata "$in/meta_table.txt" --formula Treatment \
    --compare ISS,ISS_G --where Time=final --method wilcoxon --rank genus --out "$tmp/diff.tsv"
same "$tmp/diff.tsv" "$d/diff/ISS_vs_ISS_G.genus.wilcoxon.tsv"
run "$bin" diff --table "$tmp/filtered.tsv" --metadata "$in/meta_table.txt" --formula Treatment \
    --compare ISS,ISS_G --where Time=final --method ratio --ratio Firmicutes,Bacteroidetes --rank phylum \
    --out "$tmp/ratio.tsv"
diff <(grep -v '^#' "$tmp/ratio.tsv" | tail -n +2) <(grep -P '^ISS_vs_ISS_G\t' "$d/ratio/tests.tsv" | cut -f2-) >/dev/null \
    || { die "F/B ratio differs"; grep -v '^#' "$tmp/ratio.tsv"; grep ISS_vs_ISS_G "$d/ratio/tests.tsv"; }

# Host association through a study's [host] section equals `orbiome assoc` (Cage is the one
# numeric column RR-5's public metadata has; the mice's bone and serum values are not public).
(cat "$d/inputs/rr5/fecal.toml"; printf '\n[host]\nvariables = ["Cage"]\nmethod = "spearman"\nrank = "genus"\n') \
    > "$d/inputs/rr5/host.toml"
run "$bin" run "$d/inputs/rr5/host.toml" --out "$tmp/host"
run "$bin" assoc --table "$tmp/filtered.tsv" --metadata "$in/meta_table.txt" --vars Cage --method spearman \
    --subject SamID --rank genus --out "$tmp/assoc.tsv"
same "$tmp/assoc.tsv" "$tmp/host/assoc/assoc.tsv"
[[ $(grep -vc '^#' "$tmp/assoc.tsv") -gt 50 ]] || die "assoc.tsv has too few rows"

# What the RR-5 data hold for ISS vs ISS_G (Bedree et al. 2023: higher diversity and more
# Firmicutes relative to Bacteroidetes after 9 weeks in space): direction and significance.
awk -F'\t' '$1=="ISS_vs_ISS_G" && $2=="shannon" {exit !($7 > $8 && $10 < 0.05)}' "$d/alpha/tests.tsv" \
    || die "Shannon ISS > ISS_G with p < 0.05 expected"
awk -F'\t' '$1=="ISS_vs_ISS_G" && $NF=="welch" {exit !($4 > 0 && $8 < 0.05)}' "$d/ratio/tests.tsv" \
    || die "log2 F/B higher in ISS with Welch p < 0.05 expected"
for g in Lactobacillus Dorea; do
  awk -F'\t' -v g=";$g\$" '$2 ~ g {found=1; if (!($4 > 0)) bad=1} END{exit !(found && !bad)}' \
      <(grep -v '^#' "$d/diff/ISS_vs_ISS_G.genus.wilcoxon.tsv" | awk -F'\t' 'BEGIN{OFS="\t"}{print "x",$0}') \
      || die "$g expected enriched (log2FC > 0) in ISS"
done
[[ $fail -eq 0 ]] && echo "demo and standalone commands agree"
exit $fail
