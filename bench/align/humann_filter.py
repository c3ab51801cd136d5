#!/usr/bin/env python3
"""Reads of a BLAST-tabular file that pass HUMAnN 3.9's per-read translated filters
(pident >= ID, evalue <= 1, (|qend - qstart| + 1) / read length >= 90 %), and how many of
them have as best hit a true ortholog.

Usage: humann_filter.py HITS.m8 READ_LEN ID [RBH.tsv]
RBH.tsv: source gene <TAB> comma-separated database proteins of its family (reciprocal best
hits). The source gene of a read is its ART name up to the last '-' (e.g. LJP_RS00005-27/1).
Prints: reads passing, and (with RBH.tsv) passing reads whose best hit is in the family.
"""
import sys
path, read_len, min_id = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
fam = {}
if len(sys.argv) > 4:
    for line in open(sys.argv[4]):
        g, ps = line.rstrip('\n').split('\t')
        fam[g] = set(ps.split(','))
best = {}
for line in open(path):
    f = line.rstrip('\n').split('\t')
    q = f[0]
    if q in best:
        continue
    if float(f[2]) < min_id or float(f[10]) > 1.0:
        continue
    if (abs(int(f[7]) - int(f[6])) + 1) / read_len < 0.9:
        continue
    best[q] = f[1]
ok = sum(1 for q, s in best.items() if s in fam.get(q.rsplit('-', 1)[0], ()))
print(f"{len(best)}\t{ok}")
