#!/usr/bin/python3
"""Compares `orbiome diff --method lefse` output with lefse_run.py's .res: the discriminative
features and their classes must be the same, and the LDA scores agree within TOL (default 1e-9).
Prints counts and the largest |LDA difference|; exits 1 on a mismatch.
Usage: lefse_compare.py ORBIOME_OUT.tsv LEFSE.res [TOL]"""
import sys


def lefse_name(s):  # lefse_format_input.modify_feature_names
    out = ""
    for ch in s:
        if ch in " $@#%^&*\"'":
            continue
        if ch in "/()-+={}[],.;:?<>":
            ch = "_"
        if ch == "|":
            ch = "."
        out += ch
    if out and (out[0].isdigit() or out[0] == "_"):
        out = "f_" + out
    return out


ours_path, res_path = sys.argv[1], sys.argv[2]
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-9
rows = [l.rstrip("\n").split("\t") for l in open(ours_path) if not l.startswith("#")]
col = {name: i for i, name in enumerate(rows[0])}
ours = {lefse_name(r[col["feature"]]): (r[col["class"]], float(r[col["effect"]])) for r in rows[1:]}
ref = {}
for line in open(res_path):
    f = line.rstrip("\n").split("\t")
    if f[2]:
        ref[f[0]] = (f[2], float(f[3]))
disc = {k: v for k, v in ours.items() if v[0]}
bad = sorted(set(disc) ^ set(ref)) + sorted(k for k in ref if k in disc and disc[k][0] != ref[k][0])
diff = max((abs(disc[k][1] - ref[k][1]) for k in ref if k in disc), default=0.0)
print("discriminative: orbiome %d, lefse %d, differing features/classes %d, max |LDA diff| %.2g" % (len(disc), len(ref), len(bad), diff))
sys.exit(1 if bad or diff > tol else 0)
