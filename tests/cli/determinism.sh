#!/usr/bin/env bash
# Same results for any --threads (STYLE §8.3): the whole demo study, seeded rarefaction, UniFrac
# and PERMANOVA at --threads 1 and 2 must be byte-identical. Re-running is byte-identical too.
# Usage: bash determinism.sh /path/to/orbiome
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same

for t in 1 2; do run "$bin" demo --out "$tmp/demo$t" --threads "$t"; done
run "$bin" demo --out "$tmp/demo_again" --threads 2
# Every table (TSV) of the study; provenance.json holds timings and BIOM a creation date.
n=0
while IFS= read -r f; do
  rel=${f#"$tmp/demo1/"}
  n=$((n + 1))
  cmp -s "$f" "$tmp/demo2/$rel" || { echo "FAIL: $rel differs between --threads 1 and 2"; fail=1; }
  cmp -s "$f" "$tmp/demo_again/$rel" || { echo "FAIL: $rel differs between two runs"; fail=1; }
done < <(find "$tmp/demo1" -name '*.tsv' -not -path '*/inputs/*' | sort)
[[ $n -gt 50 ]] || { echo "FAIL: only $n TSV files in the demo output"; fail=1; }

in=$tmp/demo1/inputs/rr5/16S_fecal
run "$bin" table convert "$in/otu_table.txt" "$tmp/t.tsv" --taxonomy "$in/tax_table.txt"
for t in 1 2; do
  run "$bin" table rarefy --table "$tmp/t.tsv" --depth 40000 --seed 7 --threads "$t" --out "$tmp/r$t.tsv"
  run "$bin" beta --table "$tmp/r$t.tsv" --metric braycurtis --threads "$t" --out "$tmp/bc$t.tsv"
  run "$bin" permanova --dm "$tmp/bc$t.tsv" --metadata "$in/meta_table.txt" --formula "Treatment + Time" \
      --permutations 199 --seed 3 --threads "$t" --out "$tmp/p$t.tsv"
done
for f in r bc p; do cmp -s "$tmp/${f}1.tsv" "$tmp/${f}2.tsv" || { echo "FAIL: $f differs between --threads 1 and 2"; fail=1; }; done
[[ $fail -eq 0 ]] && echo "byte-identical at --threads 1 and 2 ($n study tables + rarefy, beta, permanova)"
exit $fail
