#!/usr/bin/env bash
# The community commands end to end on vegan's dune: vegan 2.6-4 adonis2 statistics (frozen in
# tests/parity/vegan_community), identical output at --threads 1 and 2, and the golden p-values
# of orbiome's permutation streams at seed 2024.
set -eu
bin=$1
d=${ORBIOME_TEST_DATA:?}/community
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pm=("$bin" permanova --dm "$d/dune_bray.tsv" --metadata "$d/dune_env.tsv" --formula "Management + A1" --by margin
    --permutations 999 --seed 2024)
"${pm[@]}" --threads 1 --out "$tmp/t1.tsv"
"${pm[@]}" --threads 2 --out "$tmp/t2.tsv"
cmp "$tmp/t1.tsv" "$tmp/t2.tsv"
# F to 1e-9 relative against vegan; golden p (orbiome's own, seed 2024).
awk -F'\t' 'NR==FNR { if (FNR > 1) ref[$1] = $5; next }
  /^#/ || $1 == "term" { next }
  $1 in ref && ref[$1] != "NA" { r = ref[$1]; e = ($5 - r) / r; if (e < 0) e = -e; if (e > 1e-9) { print "F of " $1 ": " $5 " vs vegan " r; bad = 1 } }
  END { exit bad }' "$ORBIOME_SOURCE/tests/parity/vegan_community/dune/adonis2_margin.tsv" "$tmp/t1.tsv"
[[ $(awk -F'\t' '$1=="Management"{print $6}' "$tmp/t1.tsv") == 0.008 ]] || { echo "golden p Management"; cat "$tmp/t1.tsv"; exit 1; }
[[ $(awk -F'\t' '$1=="A1"{print $6}' "$tmp/t1.tsv") == 0.025 ]] || { echo "golden p A1"; cat "$tmp/t1.tsv"; exit 1; }
grep -q '^term	df	sum_sq	r2	F	p_value$' "$tmp/t1.tsv"
grep -q '^Total	19	' "$tmp/t1.tsv"

# pcoa writes the eigenvalue file beside --out, and warns about the negative eigenvalues.
"$bin" pcoa --dm "$d/dune_bray.tsv" --out "$tmp/pcoa.tsv" --dimensions 3 2>"$tmp/err"
grep -q 'warning: 5 negative eigenvalues' "$tmp/err"
grep -q '^sample_id	PC1	PC2	PC3$' "$tmp/pcoa.tsv"
[[ $(grep -c '^PC' "$tmp/pcoa.eigenvalues.tsv") == 3 ]]
grep -q '^PC1	1.71626618784268' "$tmp/pcoa.eigenvalues.tsv"

for cmd in anosim permdisp; do
  for t in 1 2; do
    "$bin" $cmd --dm "$d/dune_bray.tsv" --metadata "$d/dune_env.tsv" --column Management --permutations 199 \
      --seed 3 --threads $t --out "$tmp/$cmd$t.tsv"
  done
  cmp "$tmp/${cmd}1.tsv" "$tmp/${cmd}2.tsv"
done
grep -q '^ANOSIM	R	20	4	0.25787059009650' "$tmp/anosim1.tsv"
"$bin" mantel --dm "$d/dune_bray.tsv" --dm2 "$d/dune_bray.tsv" --permutations 99 --seed 1 --out "$tmp/m.tsv"
grep -Eq '^Mantel	r	20	(1|0\.99999999999999[0-9]*)	0\.01	99	two-sided$' "$tmp/m.tsv"
