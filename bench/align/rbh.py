#!/usr/bin/env python3
"""Gene families by reciprocal best hit: for each source protein, the database proteins
(one per other species at most) that are its best hit and whose own best hit is it.

Usage: rbh.py SOURCE_VS_DB.m8 DB_VS_SOURCE.m8 SPECIES_MAP.tsv > rbh.tsv
Both inputs are BLAST tabular from `diamond blastp ... --max-target-seqs 0` (all hits);
SPECIES_MAP.tsv: protein <TAB> species of every database protein.
"""
import sys
species = dict(l.rstrip('\n').split('\t') for l in open(sys.argv[3]))
def best(path, key_species):
    out = {}
    for line in open(path):
        f = line.split('\t')
        q, s, bits = f[0], f[1], float(f[11])
        k = (q, species.get(s, '')) if key_species else q
        if k not in out or bits > out[k][1]:
            out[k] = (s, bits)
    return out
fwd = best(sys.argv[1], True)     # (source, species) -> best protein of that species
rev = best(sys.argv[2], False)    # db protein -> best source protein
fam = {}
for (q, sp), (s, _) in fwd.items():
    if rev.get(s, (None,))[0] == q:
        fam.setdefault(q, []).append(s)
for q in sorted(fam):
    print(q + '\t' + ','.join(sorted(fam[q])))
