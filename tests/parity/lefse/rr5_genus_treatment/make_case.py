#!/usr/bin/python3
"""Writes LEfSe's input for the RR-5 fecal genus table, Time=final samples: row 1 Treatment
(the class), row 2 the sample id (as subject, so lefse_format_input orders samples by class then
id), then one row per genus (counts; the taxonomy column dropped). Usage: make_case.py GENUS_COUNTS META OUT.txt"""
import sys
counts, meta, out = sys.argv[1:4]
rows = [l.rstrip("\n").split("\t") for l in open(counts) if not l.startswith("#")]
ids = rows[0][1:-1]  # last column: taxonomy
md = [l.rstrip("\n").split("\t") for l in open(meta)]
col = {name: i for i, name in enumerate(md[0])}
info = {r[0]: r for r in md[1:]}
keep = [i for i, s in enumerate(ids) if info[s][col["Time"]] == "final"]
with open(out, "w") as f:
    f.write("Treatment\t" + "\t".join(info[ids[i]][col["Treatment"]] for i in keep) + "\n")
    f.write("subject\t" + "\t".join(ids[i] for i in keep) + "\n")
    for r in rows[1:]:
        f.write(r[0] + "\t" + "\t".join(r[1 + i] for i in keep) + "\n")
