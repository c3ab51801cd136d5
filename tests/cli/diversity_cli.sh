#!/bin/bash
# `orbiome alpha` and `orbiome beta` end to end on the small real inputs in tests/data/diversity:
# output shape, values against the frozen vegan/scikit-bio references, and byte-identical output
# for --threads 1 and 2. Usage: bash diversity_cli.sh /path/to/orbiome (ORBIOME_TEST_DATA set).
set -u
bin=$1
data=${ORBIOME_TEST_DATA:?}/diversity
parity=${ORBIOME_TEST_DATA}/../parity
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$bin" alpha --table "$data/dune_features.tsv" --out "$tmp/alpha.tsv" || fail "alpha exit $?"
[ "$(sed -n 1p "$tmp/alpha.tsv")" = "#orbiome alpha $("$bin" --version | cut -d' ' -f2) shannon_log_base=e" ] ||
  fail "alpha header line: $(sed -n 1p "$tmp/alpha.tsv")"
[ "$(sed -n 2p "$tmp/alpha.tsv")" = "sample_id	observed	shannon	simpson	inverse_simpson	chao1	ace	pielou" ] ||
  fail "alpha columns: $(sed -n 2p "$tmp/alpha.tsv")"
[ "$(wc -l < "$tmp/alpha.tsv")" = 22 ] || fail "alpha rows"

# Every value against vegan 2.6-4 (1e-12 relative), matched by sample and column name.
awk -F'\t' 'NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) col[i] = $i; else for (i = 2; i <= NF; i++) ref[$1, col[i]] = $i; next }
     FNR == 1 { next } FNR == 2 { for (i = 1; i <= NF; i++) name[i] = $i; next }
     { for (i = 2; i <= NF; i++) { r = ref[$1, name[i]]; d = $i - r; if (d < 0) d = -d; if (d > 1e-12 * (r < 0 ? -r : r)) { print "mismatch", $1, name[i], $i, r; bad++ } n++ } }
     END { if (bad || n != 140) { print "checked", n; exit 1 } }' \
  "$parity/vegan_diversity/dune/alpha.tsv" "$tmp/alpha.tsv" || fail "alpha values differ from vegan"

"$bin" alpha --table "$data/qiime191tt_otu_table.tsv" --tree "$data/qiime191tt_tree_beta.nwk" --metrics faith_pd,shannon \
  --base 2 --out "$tmp/pd.tsv" || fail "alpha faith exit $?"
[ "$(sed -n 3p "$tmp/pd.tsv")" = "f2	0.64607	0.5304060778306042" ] || fail "faith/shannon base 2 row: $(sed -n 3p "$tmp/pd.tsv")"

for m in braycurtis jaccard aitchison; do
  "$bin" beta --table "$data/dune_features.tsv" --metric $m --out "$tmp/$m.1.tsv" --threads 1 || fail "beta $m"
  "$bin" beta --table "$data/dune_features.tsv" --metric $m --out "$tmp/$m.2.tsv" --threads 2 || fail "beta $m"
  cmp -s "$tmp/$m.1.tsv" "$tmp/$m.2.tsv" || fail "$m differs between --threads 1 and 2"
done
[ "$(head -c 4 "$tmp/braycurtis.1.tsv" | od -c | head -1 | awk '{print $2, $3}')" = '\t 1' ] || fail "dm first cell not empty"
# dune sites 1 and 2: vegan Bray-Curtis 0.46666666666666667 (= 7/15).
[ "$(sed -n 2p "$tmp/braycurtis.1.tsv" | cut -f3)" = "0.4666666666666667" ] || fail "bray 1|2: $(sed -n 2p "$tmp/braycurtis.1.tsv" | cut -f3)"

for m in unweighted_unifrac weighted_unifrac weighted_normalized_unifrac generalized_unifrac; do
  "$bin" beta --table "$data/gp500_otu_table.tsv" --tree "$data/gp500_tree.nwk" --metric $m --out "$tmp/$m.1.tsv" || fail "beta $m"
  "$bin" beta --table "$data/gp500_otu_table.tsv" --tree "$data/gp500_tree.nwk" --metric $m --threads 2 --out "$tmp/$m.2.tsv" || fail "beta $m"
  cmp -s "$tmp/$m.1.tsv" "$tmp/$m.2.tsv" || fail "$m differs between --threads 1 and 2"
  [ "$(wc -l < "$tmp/$m.1.tsv")" = 29 ] || fail "$m rows"
done

[ "$fails" = 0 ] && echo "diversity_cli: all passed"
[ "$fails" = 0 ]
