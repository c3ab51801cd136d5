# Sourced (not a test): kim_study SHARED_DATA DIR writes DIR/kim.toml, a study of the KANG autism
# 2017 data as shipped in ../shared/data/tables/metabolome_KANG_AUTISM_2017 (44 children, 321
# genera, 61 fecal metabolites), the files as they are: the genus table with samples as rows, the
# metadata with its id column (Sample) second (found as the column holding the table's ids); group
# Study.Group, covariate Age, the genera as features (their ids are GTDB lineages), and the
# metabolites as [host]. Returns 1 when the data are absent.
kim_study() {
  local src=$1/tables/metabolome_KANG_AUTISM_2017 dir=$2
  [[ -s $src/genera.counts.tsv && -s $src/mtb.tsv && -s $src/metadata.tsv ]] || return 1
  mkdir -p "$dir"
  cat > "$dir/kim.toml" <<TOML
[study]
name = "KANG autism 2017: genera and fecal metabolites"
[inputs]
table = "$src/genera.counts.tsv"
metadata = "$src/metadata.tsv"
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
