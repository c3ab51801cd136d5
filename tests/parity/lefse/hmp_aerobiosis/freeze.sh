#!/usr/bin/env bash
# Regenerates lefse_lda_by_seed.tsv: Debian lefse 1.1.2 (lefse_run.py defaults) on LEfSe's own
# formatted input, with Python's random seeded 1982 (LEfSe's own init), 7 and 42, keeping the
# discriminative features (|LDA| > 2). Run from this folder with ../shared/data present.
set -eu
in=${1:-/work/shared/data/tables/lefse_hmp_aerobiosis}/hmp_small_aerobiosis.in
tmp=$(mktemp -d)
lefse_run.py "$in" "$tmp/s1982.res" > /dev/null
for s in 7 42; do /usr/bin/python3 run_lefse_seed.py "$s" "$in" "$tmp/s$s.res" > /dev/null; done
/usr/bin/python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
runs = {s: {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(f"{t}/s{s}.res")} for s in (1982, 7, 42)}
with open("lefse_lda_by_seed.tsv", "w") as out:
    out.write("feature\tclass\tlda_seed1982\tlda_seed7\tlda_seed42\tkw_p\n")
    for k, r in runs[1982].items():
        if r[2]:
            out.write("\t".join([k, r[2], r[3], runs[7][k][3], runs[42][k][3], r[4]]) + "\n")
PY
rm -rf "$tmp"
