#!/usr/bin/env bash
# beta --partition I/N + beta merge = beta, byte for byte, through the binary (TSV and HDF5 out);
# the HDF5 matrix is read back by the `unifrac` Python package (Striped UniFrac's own reader,
# python3-unifrac) when it is installed; merge refuses an incomplete set; pcoa and permanova read
# the HDF5 matrix; pcoa --method fsvd gives the exact leading axes.
set -uo pipefail
orbiome=$1
source "$(dirname "$0")/../support/cli.sh"
data=${ORBIOME_TEST_DATA:?}/diversity
table=$data/gp500_otu_table.tsv tree=$data/gp500_tree.nwk

for metric in braycurtis unweighted_unifrac generalized_unifrac; do
    args=(--table "$table" --metric "$metric" --tree "$tree")
    [[ $metric == braycurtis ]] && args=(--table "$table" --metric "$metric")
    run "$orbiome" beta "${args[@]}" --out "$tmp/whole.tsv"
    for i in 1 2 3; do run "$orbiome" beta "${args[@]}" --partition "$i/3" --threads 2 --out "$tmp/p$i"; done
    run "$orbiome" beta merge "$tmp/p3" "$tmp/p1" "$tmp/p2" --out "$tmp/merged.tsv"
    cmp -s "$tmp/whole.tsv" "$tmp/merged.tsv" || die "$metric: merged partitions differ from the whole matrix"
done

# An incomplete set names what is missing (usage error, 64) and writes nothing.
"$orbiome" beta merge "$tmp/p1" "$tmp/p3" --out "$tmp/none.tsv" 2>"$tmp/err"
[[ $? == 64 ]] || die "merge of an incomplete set should exit 64"
grep -q "2/3" "$tmp/err" || die "merge should name the missing partition: $(cat "$tmp/err")"
[[ ! -e $tmp/none.tsv ]] || die "a failed merge left an output"
"$orbiome" beta --table "$table" --metric braycurtis --partition 4/3 --out "$tmp/x" 2>/dev/null
[[ $? == 64 ]] || die "--partition 4/3 should be a usage error"

# HDF5: written by merge, read by pcoa/permanova as the TSV is, and by Striped UniFrac's reader.
run "$orbiome" beta merge "$tmp/p1" "$tmp/p2" "$tmp/p3" --out "$tmp/merged.h5"
run "$orbiome" pcoa --dm "$tmp/merged.tsv" --out "$tmp/pcoa_tsv.tsv"
run "$orbiome" pcoa --dm "$tmp/merged.h5" --out "$tmp/pcoa_h5.tsv"
same "$tmp/pcoa_tsv.tsv" "$tmp/pcoa_h5.tsv"
if /usr/bin/python3 -c 'import unifrac' 2>/dev/null; then
    /usr/bin/python3 - "$tmp/merged.h5" "$tmp/merged.tsv" <<'PY' || die "python3-unifrac does not read orbiome's HDF5 matrix as the TSV"
import sys
import unifrac
dm = unifrac.h5unifrac(sys.argv[1])
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
ids = rows[0][1:]
assert list(dm.ids) == ids, "ids differ"
for i, r in enumerate(rows[1:]):
    for j, v in enumerate(r[1:]):
        assert float(v) == dm.data[i, j], (i, j)
PY
else
    echo "note: python3-unifrac absent; the Striped UniFrac reader check was skipped"
fi

# FSVD: the leading 3 axes equal the exact ones (to 1e-6) on real data.
run "$orbiome" pcoa --dm "$tmp/merged.h5" --method fsvd --dimensions 3 --threads 2 --out "$tmp/fsvd.tsv"
run "$orbiome" pcoa --dm "$tmp/merged.h5" --dimensions 3 --out "$tmp/exact.tsv"
paste <(grep -v '^#' "$tmp/fsvd.tsv") <(grep -v '^#' "$tmp/exact.tsv") | awk -F'\t' 'NR > 1 {
    for (k = 2; k <= 4; k++) { d = $k - $(k + 4); if (d < 0) d = -d; if (d > 1e-6) bad = 1 } }
    END { exit bad }' || die "fsvd axes differ from the exact ones"
exit $fail
