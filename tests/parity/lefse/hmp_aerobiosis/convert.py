#!/usr/bin/python3
"""Split LEfSe's input (class/subclass/subject rows, then '|'-clade features x samples) into an
orbiome feature table and a metadata TSV. Samples are unnamed in LEfSe input: named S01..Snn in
column order. Usage: convert.py hmp_small_aerobiosis.txt OUT_TABLE OUT_METADATA"""
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
meta, feats = rows[:3], rows[3:]
n = len(rows[0]) - 1
ids = ["S%02d" % (i + 1) for i in range(n)]
with open(sys.argv[2], "w") as t:
    t.write("feature_id\t" + "\t".join(ids) + "\n")
    for r in feats:
        t.write("\t".join(r) + "\n")
with open(sys.argv[3], "w") as m:
    m.write("sample-id\t" + "\t".join(r[0] for r in meta) + "\n")
    for i in range(n):
        m.write(ids[i] + "\t" + "\t".join(r[i + 1] for r in meta) + "\n")
