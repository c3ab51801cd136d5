#!/usr/bin/env python3
"""Builds the stratified gene-family tables of the HUMAnN 3.9 pathway parity cases.

Genes are drawn (seeded) from the UniRef90s that the demo reaction map covers
(../shared/data/functional/humann_demo/metacyc_reactions_level4ec_only.uniref.bz2), plus a few
UniRefs it does not cover (they stay UNINTEGRATED). RPKs are log-normal; each stratified row
belongs to one species, and the community row is the sum of its strata, as in a HUMAnN table.
Usage: make_genefamilies.py REACTIONS.bz2 OUT_DIR
"""
import bz2
import random
import sys

rxn_path, out_dir = sys.argv[1], sys.argv[2]
genes = set()
with bz2.open(rxn_path, "rt") as f:
    for line in f:
        data = line.rstrip().split("\t")
        genes.update(data[2:])
genes = sorted(genes)

cases = {
    # name: (seed, number of genes, strata, unmapped)
    "three_species": (1, 1500, ["g__Bacteroides.s__Bacteroides_dorei", "g__Bacteroides.s__Bacteroides_vulgatus",
                                "unclassified"], 3755.0),
    "two_species_dense": (2, 4000, ["g__Alistipes.s__Alistipes_finegoldii", "g__Bacteroides.s__Bacteroides_ovatus"],
                          120.5),
    "one_species_sparse": (3, 60, ["g__Bacteroides.s__Bacteroides_dorei"], 10.0),
}
for name, (seed, n, strata, unmapped) in cases.items():
    rng = random.Random(seed)
    chosen = rng.sample(genes, n) + ["UniRef90_NOT_IN_MAP%d" % i for i in range(5)]
    rows = {}
    for g in chosen:
        k = rng.randint(1, len(strata))
        for bug in rng.sample(strata, k):
            rows.setdefault(g, {})[bug] = round(rng.lognormvariate(3.0, 1.5), 6)
    with open("%s/%s_genefamilies.tsv" % (out_dir, name), "w") as out:
        out.write("# Gene Family\t%s_Abundance-RPKs\n" % name)
        out.write("UNMAPPED\t%.10f\n" % unmapped)
        for g in sorted(rows, key=lambda g: -sum(rows[g].values())):
            out.write("%s\t%.10f\n" % (g, sum(rows[g].values())))
            for bug, v in sorted(rows[g].items()):
                out.write("%s|%s\t%.10f\n" % (g, bug, v))
