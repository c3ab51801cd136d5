# Sourced (not a test): kim_study SHARED_DATA DIR writes DIR/kim.toml, a study of the KANG autism
# 2017 data as shipped in ../shared/data/tables/metabolome_KANG_AUTISM_2017 (44 children, 321
# genera, 61 fecal metabolites): the genus table transposed to features as rows and the metadata
# with its id column (Sample) moved first, which is what orbiome reads today; group
# Study.Group, covariate Age, the genera as features (their ids are GTDB lineages), and the
# metabolites as [host]. Returns 1 when the data are absent.
kim_study() {
  local src=$1/tables/metabolome_KANG_AUTISM_2017 dir=$2
  [[ -s $src/genera.counts.tsv && -s $src/mtb.tsv && -s $src/metadata.tsv ]] || return 1
  mkdir -p "$dir"
  awk -F'\t' '{for (i = 1; i <= NF; i++) a[NR, i] = $i; if (NF > nf) nf = NF}
      END {for (i = 1; i <= nf; i++) {line = a[1, i]; for (r = 2; r <= NR; r++) line = line "\t" a[r, i]; print line}}' \
      "$src/genera.counts.tsv" > "$dir/table.tsv"
  awk -F'\t' '{line = $2; for (i = 1; i <= NF; i++) if (i != 2) line = line "\t" $i; print line}' \
      "$src/metadata.tsv" > "$dir/metadata.tsv"
  cat > "$dir/kim.toml" <<TOML
[study]
name = "KANG autism 2017: genera and fecal metabolites"
[inputs]
table = "table.tsv"
metadata = "metadata.tsv"
[design]
group = "Study.Group"
covariates = ["Age"]
[[comparisons]]
name = "ASD_vs_NT"
test = "Autistic"
reference = "Neurotypical"
[analysis]
ranks = ["feature"]
alpha = []
diff_methods = ["linda"]
[host]
metabolites = "$src/mtb.tsv"
rank = "feature"
TOML
}
