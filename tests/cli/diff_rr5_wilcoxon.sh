#!/usr/bin/env bash
# `orbiome diff --method wilcoxon` on the RR-5 OTU table collapsed by --rank genus equals R's
# wilcox.test + p.adjust frozen in tests/parity/r_stats/rr5_genus (W, p, q to 1e-9 relative).
# Needs ../shared/data (the OTU table); skips (77) without it.
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
d=${ORBIOME_SHARED_DATA:-}/rr5/16S_fecal
[[ -f $d/otu_table.txt ]] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" diff --table "$d/otu_table.txt" --taxonomy "$d/tax_table.txt" --metadata "$d/meta_table.txt" \
    --rank genus --formula Treatment --where Time=final --compare ISS,ISS_G --method wilcoxon --threads 2 \
    --out "$tmp/diff.tsv" || exit 1
/usr/bin/env python3 - "$tmp/diff.tsv" "$src/tests/parity/r_stats/rr5_genus/wilcoxon_iss_vs_issg_final.tsv" <<'PY' || exit 1
import sys
def rows(path):
    out = {}
    with open(path) as f:
        lines = [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")]
    h = lines[0]
    for l in lines[1:]:
        out[l[0]] = dict(zip(h, l))
    return out
ours, ref = rows(sys.argv[1]), rows(sys.argv[2])
bad = 0
for k, r in ref.items():
    o = ours[k]
    for a, b in (("statistic", "W"), ("p_value", "p"), ("q_value", "q")):
        x, y = float(o[a]), float(r[b])
        if abs(x - y) > 1e-9 * max(abs(y), 1e-300):
            print("mismatch", k, a, x, y); bad += 1
print(len(ref), "features compared,", bad, "mismatches")
sys.exit(1 if bad else 0)
PY
