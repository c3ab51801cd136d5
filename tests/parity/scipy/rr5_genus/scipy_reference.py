#!/usr/bin/python3
"""Frozen scipy.stats.spearmanr references (see PROVENANCE.md).

Run from this folder: /usr/bin/python3 scipy_reference.py
Every RR-5 genus vs Lactobacillus over the 50 Time=final samples, relative abundances
(count / sample total), same inputs as ../../r_stats/rr5_genus/.
"""
import numpy as np
import pandas as pd
import scipy
import scipy.stats as ss

base = "../../r_stats/rr5_genus/"
counts = pd.read_csv(base + "genus_counts.tsv", sep="\t", comment="#", index_col=0).drop(columns="taxonomy")
meta = pd.read_csv(base + "rr5_fecal_meta.tsv", sep="\t", index_col=0)
meta = meta.loc[counts.columns]
rel = counts / counts.sum(axis=0)
finals = [s for s in rel.columns if meta.loc[s, "Time"] == "final"]
lacto = [f for f in rel.index if f.endswith(";Lactobacillus")][0]
y = rel.loc[lacto, finals].to_numpy()
with open("spearman_vs_lactobacillus_final.tsv", "w") as out:
    out.write("feature\trho\tp\n")
    for f in rel.index:
        x = rel.loc[f, finals].to_numpy()
        if f == lacto or len(np.unique(x)) < 2:
            continue
        rho, p = ss.spearmanr(x, y)
        out.write("%s\t%.17g\t%.17g\n" % (f, rho, p))
print("scipy", scipy.__version__)
