#!/usr/bin/python3
"""Accuracy of per-read calls and species profiles against truth (OPAL definitions).
usage: evaluate.py NODES_DMP TRUTH_TSV TOOL PER_READ PROFILE_KIND PROFILE
  TRUTH_TSV: read_name<TAB>species_taxid (species may be absent from the index)
  PER_READ:  Kraken2-style per-read output (both tools): C/U, name, taxid, ...
  PROFILE_KIND: orbiome (NAME.abundance.tsv, species rows, `abundance`) or kraken2 (report,
                species rows `S`, clade reads renormalised)
Read level, per rank r in (species, genus): a read counts as correct when its call has an
ancestor at rank r equal to the truth's; sensitivity = correct / all reads, precision = correct /
reads whose call has an ancestor at rank r. Profile level (species): TP/FP/FN on the sets with
non-zero abundance; precision, recall, F1; L1 = sum |p - t| over the union, both summing to 1
(OPAL: 0..2)."""
import sys
from collections import Counter

nodes_path, truth_path, tool, per_read, kind, profile = sys.argv[1:7]
parent, rank = {}, {}
for line in open(nodes_path):
    f = [x.strip() for x in line.split("|")]
    parent[int(f[0])] = int(f[1]); rank[int(f[0])] = f[2]

def anc(t, r):
    seen = 0
    while t in parent and seen < 100:
        if rank[t] == r:
            return t
        if parent[t] == t:
            return None
        t = parent[t]; seen += 1
    return None

truth = {}
for line in open(truth_path):
    n, t = line.rstrip("\n").split("\t")
    truth[n] = int(t)
stats = {r: [0, 0] for r in ("species", "genus")}
n = 0
for line in open(per_read):
    f = line.split("\t", 3)
    name = f[1]
    if name.endswith("/1") or name.endswith("/2"):
        name = name[:-2]
    if name not in truth:
        continue
    n += 1
    call = int(f[2])
    for r in stats:
        c = anc(call, r) if call else None
        if c is None:
            continue
        stats[r][1] += 1
        if c == anc(truth[name], r):
            stats[r][0] += 1

true_prof = Counter(truth.values())
tot = sum(true_prof.values())
true_prof = {k: v / tot for k, v in true_prof.items()}
pred = {}
if kind == "orbiome":
    for line in open(profile):
        if line.startswith("#") or line.startswith("taxid"):
            continue
        f = line.rstrip("\n").split("\t")
        if f[1] == "species" and float(f[6]) > 0:
            pred[int(f[0])] = float(f[6])
else:
    for line in open(profile):
        f = line.rstrip("\n").split("\t")
        if f[3] == "S" and int(f[1]) > 0:
            pred[int(f[4])] = float(f[1])
s = sum(pred.values()) or 1
pred = {k: v / s for k, v in pred.items()}
tp = len(set(pred) & set(true_prof)); fp = len(set(pred) - set(true_prof)); fn = len(set(true_prof) - set(pred))
prec = tp / (tp + fp) if tp + fp else 0; rec = tp / (tp + fn) if tp + fn else 0
f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
l1 = sum(abs(pred.get(k, 0) - true_prof.get(k, 0)) for k in set(pred) | set(true_prof))
out = [tool, str(n)]
for r in ("species", "genus"):
    c, k = stats[r]
    out += [f"{c / n:.4f}" if n else "nan", f"{c / k:.4f}" if k else "nan"]
out += [str(tp), str(fp), str(fn), f"{prec:.3f}", f"{rec:.3f}", f"{f1:.3f}", f"{l1:.4f}"]
print("\t".join(out))
