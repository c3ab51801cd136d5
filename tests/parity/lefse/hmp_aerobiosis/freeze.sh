#!/usr/bin/env bash
# Regenerates the frozen Debian lefse 1.1.2 outputs on LEfSe's own formatted input (the shipped
# hmp_small_aerobiosis.in). Run from this folder with ../shared/data present:
#  - lefse_run_default.res: `lefse_run.py IN OUT` with every default (-a 0.05 -w 0.05 -l 2.0
#    -b 30 -f 0.67; Python's random seeded 1982 by lefse's init()); byte-identical under
#    PYTHONHASHSEED 0..3;
#  - lefse_lda_by_seed.tsv: the 51 discriminative features with LDA when Python's random is
#    reseeded 1982, 7 and 42 (run_lefse_seed.py) and KW p.
set -eu
in=${1:-/work/shared/data}/tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.in
txt=${1:-/work/shared/data}/tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt
tmp=$(mktemp -d)
lefse_run.py "$in" lefse_run_default.res > /dev/null
cp lefse_run_default.res "$tmp/s1982.res"
for s in 7 42; do /usr/bin/python3 run_lefse_seed.py "$s" "$in" "$tmp/s$s.res" > /dev/null; done
/usr/bin/python3 - "$tmp" "$in" "$txt" <<'PY'
import sys, pickle
t, inp, txt = sys.argv[1:4]
runs = {s: {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(f"{t}/s{s}.res")} for s in (1982, 7, 42)}
with open("lefse_lda_by_seed.tsv", "w") as out:
    out.write("feature\tclass\tlda_seed1982\tlda_seed7\tlda_seed42\tkw_p\n")
    for k, r in runs[1982].items():
        if r[2]:
            out.write("\t".join([k, r[2], r[3], runs[7][k][3], runs[42][k][3], r[4]]) + "\n")
# The .in's samples are the .txt's columns sorted by (class, subclass, subject), all distinct,
# which orbiome reproduces with --subclass body_site --subject subject_id. (No feature needs
# LEfSe's jitter here, so the .in's feature order does not matter.)
d = pickle.load(open(inp, "rb"))
rows = [l.rstrip("\n").split("\t") for l in open(txt)]
keys = list(zip(rows[0][1:], rows[1][1:], rows[2][1:]))
assert len(set(keys)) == len(keys)
assert list(zip(d["cls"]["class"], d["cls"]["subclass"], d["cls"]["subject"])) == sorted(keys)
PY
rm -rf "$tmp"
