#!/usr/bin/env bash
# `orbiome assoc --with` on the KANG_AUTISM_2017 genus table (samples as rows, transposed here to a
# features-as-rows TSV) and metabolites: Spearman rho, p and BH q over all 18,939 pairs equal the
# frozen scipy/R references in tests/parity/scipy/kang_autism to 1e-9 relative.
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
k=$src/tests/data/diffabund/kang
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -F'\t' '{for (i = 1; i <= NF; i++) a[i, NR] = $i; if (NF > nf) nf = NF; nr = NR}
    END {for (i = 1; i <= nf; i++) {s = (i == 1 ? "feature_id" : a[i, 1]); for (j = 2; j <= nr; j++) s = s "\t" a[i, j]; print s}}' \
    "$k/genera.counts.tsv" > "$tmp/genera.tsv"
"$bin" assoc --table "$tmp/genera.tsv" --metadata "$k/metadata.tsv" --with "$k/mtb.tsv" --method spearman \
    --threads 2 --out "$tmp/assoc.tsv" || exit 1
head -1 "$tmp/assoc.tsv" | grep -q '^#orbiome assoc ' || { echo "FAIL: header"; exit 1; }
if cut -f4- "$tmp/assoc.tsv" | grep -qiw 'nan'; then echo "FAIL: NaN in output"; exit 1; fi
awk -F'\t' -v ref="$src/tests/parity/scipy/kang_autism/kang_genus_metabolite.tsv" '
    BEGIN {while ((getline l < ref) > 0) {split(l, c, "\t"); if (c[1] == "feature") continue;
           rho[c[1] "|" c[2]] = c[3]; p[c[1] "|" c[2]] = c[4]; q[c[1] "|" c[2]] = c[5]; n++}}
    function off(x, y) {d = x - y; if (d < 0) d = -d; s = (y < 0 ? -y : y); return d > 1e-9 * s}
    /^#/ || $1 == "feature" {next}
    {rows++; key = $1 "|" $2; if (key in rho) {seen++; if (off($4, rho[key]) || off($6, p[key]) || off($7, q[key]) || $5 != 44) {bad++; print "mismatch", key, $4, $6, $7}}}
    END {print rows, "pairs,", seen, "of", n, "compared,", bad + 0, "mismatches"; exit (rows != 18939 || seen != n || bad > 0)}' "$tmp/assoc.tsv"
