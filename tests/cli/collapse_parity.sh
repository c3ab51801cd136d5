#!/usr/bin/env bash
# `orbiome table collapse --rank genus` of the RR-5 fecal table equals a pandas groupby of the same
# table (frozen: tests/parity/r_stats/rr5_genus/genus_counts.tsv, made by make_genus.py there with
# pandas 1.5.3; its PROVENANCE.md has the command): same keys, same order, same counts.
# Usage: bash collapse_parity.sh /path/to/orbiome
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" table collapse --table "$src/data/rr5/16S_fecal/otu_table.txt" --taxonomy "$src/data/rr5/16S_fecal/tax_table.txt" \
    --rank Genus --out "$tmp/genus.tsv" || exit 1
expected=$src/tests/parity/r_stats/rr5_genus/genus_counts.tsv
if diff <(grep -v '^#' "$tmp/genus.tsv") <(grep -v '^#' "$expected") >"$tmp/diff"; then
  echo "collapse to genus equals the pandas groupby ($(grep -vc '^#' "$expected") lines)"
else
  echo "FAIL: collapse differs from the pandas groupby:"; head -5 "$tmp/diff"; exit 1
fi
