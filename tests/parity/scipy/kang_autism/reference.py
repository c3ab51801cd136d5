#!/usr/bin/python3
"""Frozen scipy.stats.spearmanr / pearsonr references on the KANG_AUTISM_2017 genus x metabolite data.

Run from this folder: /usr/bin/python3 reference.py ../../../data/diffabund/kang
Then: Rscript reference.R (R cor.test for Pearson, partial Pearson given Age, and p.adjust).
Genus counts (samples as rows) -> relative abundance per sample over all genera. All pairs of a
genus present in at least one sample and a non-constant metabolite are tested (the BH family);
the frozen subset is every genus present in >= 50% of samples vs eight named metabolites.
"""
import sys
import numpy as np
import pandas as pd
import scipy
import scipy.stats as ss

d = sys.argv[1]
counts = pd.read_csv(d + "/genera.counts.tsv", sep="\t", index_col=0)
mtb = pd.read_csv(d + "/mtb.tsv", sep="\t", index_col=0).loc[counts.index]
rel = counts.div(counts.sum(axis=1), axis=0)
rel = rel.loc[:, (rel > 0).any(axis=0)]
mtb = mtb.loc[:, mtb.nunique() > 1]
rows = []
for g in rel.columns:
    for m in mtb.columns:
        rho, p = ss.spearmanr(rel[g].to_numpy(), mtb[m].to_numpy())
        rows.append((g, m, rho, p))
allp = pd.DataFrame(rows, columns=["feature", "variable", "rho", "p"])
allp.to_csv("all_pairs_spearman.tmp.tsv", sep="\t", index=False, float_format="%.17g")
print("scipy", scipy.__version__, "pairs", len(allp), "genera", rel.shape[1], "metabolites", mtb.shape[1])
