#!/usr/bin/env python3
"""Gene-family agreement of orbiome with HUMAnN 3.9 on the same reads, and the fraction of
B. dorei reads (read names carry the truth) each assigned. Usage: HUMAnN.tsv ORBIOME.tsv READS.fq.gz"""
import gzip
import sys


def load(path):
    rows, unmapped = {}, 0.0
    for line in open(path):
        if line.startswith("#"):
            continue
        name, value = line.rstrip("\n").split("\t")[:2]
        if name == "UNMAPPED":
            unmapped = float(value)
        elif "|" not in name:
            rows[name] = float(value)
    return rows, unmapped


h, hu = load(sys.argv[1])
o, ou = load(sys.argv[2])
reads = dorei = 0
with gzip.open(sys.argv[3], "rt") as f:
    for i, line in enumerate(f):
        if i % 4 == 0:
            reads += 1
            dorei += "Bacteroides_dorei" in line
both = sorted(set(h) & set(o))
rel = sorted(abs(o[k] - h[k]) / h[k] for k in both)
within = sum(r <= 0.05 for r in rel)
print("gene families: HUMAnN %d, orbiome %d, both %d; RPK within 5%%: %d of %d (%.1f%%), median |rel diff| %.4f"
      % (len(h), len(o), len(both), within, len(both), 100.0 * within / max(1, len(both)), rel[len(rel) // 2]))
print("sum RPK over shared families: orbiome / HUMAnN = %.4f" % (sum(o[k] for k in both) / sum(h[k] for k in both)))
print("reads assigned: HUMAnN %d (%.1f%% of %d B. dorei reads), orbiome %d (%.1f%%)"
      % (reads - hu, 100.0 * (reads - hu) / dorei, dorei, reads - ou, 100.0 * (reads - ou) / dorei))
