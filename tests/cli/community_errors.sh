#!/usr/bin/env bash
# Bad input to pcoa/permanova/permdisp/anosim/mantel: exit code, a message that names the file
# and the column or samples, and no output file left behind.
set -u
bin=$1
d=${ORBIOME_TEST_DATA:?}/community
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect CODE PATTERN -- command...
expect() {
  local code=$1 pattern=$2
  shift 3
  rm -f "$tmp/out.tsv"
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  if [[ $rc -ne $code ]]; then echo "FAIL ($rc != $code): $*"; cat "$tmp/stderr"; fail=1; return; fi
  if ! grep -qF -- "$pattern" "$tmp/stderr"; then echo "FAIL (message lacks '$pattern'): $*"; cat "$tmp/stderr"; fail=1; fi
  if [[ -e $tmp/out.tsv ]]; then echo "FAIL (output left behind): $*"; fail=1; fi
  if ls "$tmp" | grep -q '\.tmp'; then echo "FAIL (temporary file left behind): $*"; fail=1; fi
}

pm=("$bin" permanova --dm "$d/dune_bray.tsv" --permutations 99 --seed 1 --out "$tmp/out.tsv")
expect 64 "dune_env.tsv: no metadata column 'Soil'" -- "${pm[@]}" --metadata "$d/dune_env.tsv" --formula "Management + Soil"
expect 64 "columns are: A1, Moisture, Management, Use, Manure" -- "${pm[@]}" --metadata "$d/dune_env.tsv" --formula "Soil"
expect 65 "dune_env_na.tsv:4: column 'A1' has missing values (NA/NaN/empty) for samples: 3, 7" -- \
  "${pm[@]}" --metadata "$d/dune_env_na.tsv" --formula "Management + A1"
expect 65 "not in metadata" -- "${pm[@]}" --metadata "$d/dune_env_missing.tsv" --formula "Management"
expect 65 "'19', '20'" -- "${pm[@]}" --metadata "$d/dune_env_missing.tsv" --formula "Management"
expect 64 "formula 'Management +' has an empty term" -- \
  "${pm[@]}" --metadata "$d/dune_env.tsv" --formula "Management +"
expect 64 "--by must be terms, margin or none" -- "${pm[@]}" --metadata "$d/dune_env.tsv" --formula A1 --by type3
expect 64 "no metadata column 'Block'" -- "${pm[@]}" --metadata "$d/dune_env.tsv" --formula A1 --strata Block
# The formula layer reads (1|subject) (diff's mixed model); PERMANOVA points to --strata instead.
expect 64 "PERMANOVA has no random terms: '(1|Use)' in the formula" -- \
  "${pm[@]}" --metadata "$d/dune_env.tsv" --formula "Management + (1|Use)"
expect 65 "dune_bray_asym.tsv" -- "$bin" permanova --dm "$d/dune_bray_asym.tsv" --metadata "$d/dune_env.tsv" \
  --formula A1 --permutations 9 --seed 1 --out "$tmp/out.tsv"
expect 65 "not symmetric" -- "$bin" pcoa --dm "$d/dune_bray_asym.tsv" --out "$tmp/out.tsv"
expect 66 "nope.tsv" -- "$bin" pcoa --dm "$d/nope.tsv" --out "$tmp/out.tsv"
expect 64 "--dimensions 30 exceeds the number of samples (20)" -- "$bin" pcoa --dm "$d/dune_bray.tsv" --dimensions 30 --out "$tmp/out.tsv"
expect 65 "dune_env_single.tsv: column 'Pair': group 'Lone' has a single sample" -- \
  "$bin" permdisp --dm "$d/dune_bray.tsv" --metadata "$d/dune_env_single.tsv" --column Pair --permutations 9 --seed 1 --out "$tmp/out.tsv"
expect 65 "column 'A1' has missing values" -- \
  "$bin" anosim --dm "$d/dune_bray.tsv" --metadata "$d/dune_env_na.tsv" --column A1 --permutations 9 --seed 1 --out "$tmp/out.tsv"
# Mantel: the second matrix lacks samples.
head -n 19 "$d/dune_bray.tsv" | cut -f1-19 >"$tmp/small.tsv"
expect 65 "only in $d/dune_bray.tsv: '19', '20'" -- \
  "$bin" mantel --dm "$d/dune_bray.tsv" --dm2 "$tmp/small.tsv" --permutations 9 --seed 1 --out "$tmp/out.tsv"
expect 64 "--method must be pearson or spearman" -- \
  "$bin" mantel --dm "$d/dune_bray.tsv" --dm2 "$d/dune_bray.tsv" --method kendall --seed 1 --out "$tmp/out.tsv"
exit $fail
