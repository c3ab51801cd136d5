#!/usr/bin/env bash
# The layouts users' files come in (issue #17), through every command that reads a table or
# metadata: a table with samples as rows (`--samples-as-rows`, or sniffed from the metadata's
# ids, with a note) and a metadata id column named with `--id-column` give the same results as
# the usual layout, for diff, assoc, alpha, beta, permanova, permdisp and anosim. RR-5 fecal
# genera (data/rr5), its table transposed and its metadata with a decoy `id` column here.
# Usage: bash diff_layouts.sh ORBIOME
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same
rr5=$(cd "$(dirname "$0")/../../data/rr5/16S_fecal" && pwd)
tax=$rr5/tax_table.txt

run "$bin" table convert "$rr5/otu_table.txt" "$tmp/features.tsv"
# Samples as rows: the first column holds the sample ids, the header the feature ids.
grep -v '^#' "$tmp/features.tsv" | awk -F'\t' '{for (i = 1; i <= NF; i++) a[NR, i] = $i; if (NF > nf) nf = NF}
    END {for (i = 1; i <= nf; i++) {l = (i == 1 ? "sample" : a[1, i]); for (r = 2; r <= NR; r++) l = l "\t" a[r, i]; print l}}' \
    > "$tmp/rows.tsv"
# Metadata whose QIIME-named `id` column is a decoy (other names); the sample ids are in `mouse`.
awk -F'\t' 'BEGIN {OFS = "\t"} NR == 1 {print "id", "mouse" $0; next} {print "other" NR, $0}' "$rr5/meta_table.txt" \
    > "$tmp/meta_id.tsv"

both() {  # both NAME CMD...: CMD with the usual files, then with the rows table and --samples-as-rows
  local name=$1
  shift
  run "$@" --table "$tmp/features.tsv" --out "$tmp/$name.base"
  run "$@" --table "$tmp/rows.tsv" --samples-as-rows --out "$tmp/$name.rows"
  same "$tmp/$name.base" "$tmp/$name.rows"
}
diff_args=(--taxonomy "$tax" --metadata "$rr5/meta_table.txt" --formula Treatment --compare ISS,ISS_G --where Time=final
           --rank genus)
both diff "$bin" diff "${diff_args[@]}"
both assoc "$bin" assoc --taxonomy "$tax" --metadata "$rr5/meta_table.txt" --vars Cage --rank phylum
both alpha "$bin" alpha --metrics observed,shannon
both beta "$bin" beta --metric braycurtis

# Sniffed from the metadata: no flag, the same result and a note saying the axes were swapped.
"$bin" diff "${diff_args[@]}" --table "$tmp/rows.tsv" --out "$tmp/diff.sniffed" 2>"$tmp/e" || { cat "$tmp/e"; die "sniffed diff"; }
grep -q "^note: read $tmp/rows.tsv with samples as rows" "$tmp/e" || die "no note for the sniffed orientation: $(cat "$tmp/e")"
same "$tmp/diff.base" "$tmp/diff.sniffed"

# --id-column: the decoy `id` column is taken by name (QIIME 2's rule) and the join fails; named, it works.
"$bin" diff "${diff_args[@]/$rr5\/meta_table.txt/$tmp/meta_id.tsv}" --table "$tmp/features.tsv" --out "$tmp/x" 2>"$tmp/e"
[[ $? -eq 65 ]] && grep -q "not in metadata" "$tmp/e" || die "decoy id column: $(cat "$tmp/e")"
run "$bin" diff "${diff_args[@]/$rr5\/meta_table.txt/$tmp/meta_id.tsv}" --id-column mouse --table "$tmp/features.tsv" \
    --out "$tmp/diff.idcol"
same "$tmp/diff.base" "$tmp/diff.idcol"
run "$bin" assoc --taxonomy "$tax" --metadata "$tmp/meta_id.tsv" --id-column mouse --vars Cage --rank phylum \
    --table "$tmp/rows.tsv" --samples-as-rows --out "$tmp/assoc.idcol"
same "$tmp/assoc.base" "$tmp/assoc.idcol"
dm=$tmp/beta.base
for cmd in "permanova --formula Treatment" "permdisp --column Treatment" "anosim --column Treatment"; do
  name=${cmd%% *}
  run "$bin" $cmd --dm "$dm" --metadata "$rr5/meta_table.txt" --permutations 99 --seed 1 --out "$tmp/$name.base"
  run "$bin" $cmd --dm "$dm" --metadata "$tmp/meta_id.tsv" --id-column mouse --permutations 99 --seed 1 --out "$tmp/$name.idcol"
  same "$tmp/$name.base" "$tmp/$name.idcol"
done
# The KANG autism files as shipped (../shared/data): genera with samples as rows, metadata whose
# id column (`Sample`) is second after a constant `Dataset`: assoc equals the run on the copy
# in tests/data whose metadata starts with `Sample`.
shared=$(cd "${ORBIOME_SHARED_DATA:-$(dirname "$0")/../../../shared/data}" 2>/dev/null && pwd) || shared=/nonexistent
k=$shared/tables/metabolome_KANG_AUTISM_2017 kt=$(cd "$(dirname "$0")/../data/diffabund/kang" && pwd)
if [[ -s $k/metadata.tsv ]]; then
  run "$bin" assoc --table "$k/genera.counts.tsv" --metadata "$k/metadata.tsv" --with "$k/mtb.tsv" --out "$tmp/kang.shipped"
  run "$bin" assoc --table "$kt/genera.counts.tsv" --metadata "$kt/metadata.tsv" --with "$kt/mtb.tsv" --out "$tmp/kang.copy"
  same "$tmp/kang.copy" "$tmp/kang.shipped"
else
  echo "note: ../shared/data absent; KANG as shipped not checked"
fi
[[ $fail -eq 0 ]] && echo "samples as rows and --id-column: same results in diff, assoc, alpha, beta, permanova, permdisp, anosim"
exit $fail
