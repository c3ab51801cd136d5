#!/usr/bin/python3
"""A synthetic cohort table for the scale benchmark: N samples x F features, sparse, with realistic
depth, written as BIOM 2.1 HDF5, plus a random rooted binary tree over the features (Newick).

Model (fixed seed, so every run benchmarks the same table): feature base abundances are log-normal
(sigma 2, a few dominant taxa, a long tail); each sample carries a random subset of ~K features
(K ~ Poisson(300)), drawn with probability proportional to base abundance; its depth is log-normal
around 20,000 reads (sigma 0.5, as amplicon libraries vary) and its counts a multinomial over its
features with Dirichlet-perturbed weights. Usage: make_table.py N F OUT.biom OUT.nwk
"""
import sys

import numpy as np
import scipy.sparse as sp
import biom
from biom.util import biom_open

n, f, out_biom, out_tree = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = np.random.default_rng(20261203)
base = rng.lognormal(0.0, 2.0, f)
base /= base.sum()
rows, cols, vals = [], [], []
for s in range(n):
    k = min(f, max(5, rng.poisson(300)))
    feats = rng.choice(f, size=k, replace=False, p=base)
    w = rng.dirichlet(base[feats] / base[feats].sum() * k)
    depth = int(rng.lognormal(np.log(20000), 0.5))
    counts = rng.multinomial(depth, w)
    keep = counts > 0
    rows.extend(feats[keep]); cols.extend([s] * int(keep.sum())); vals.extend(counts[keep])
m = sp.csr_matrix((np.array(vals, dtype=float), (np.array(rows), np.array(cols))), shape=(f, n))
table = biom.Table(m, [f"F{i}" for i in range(f)], [f"S{i}" for i in range(n)])
with biom_open(out_biom, "w") as fh:
    table.to_hdf5(fh, "orbiome bench/scale")

# Random rooted binary tree: join random pairs of subtrees until one is left (branch lengths
# exponential, mean 0.1). Iterative, so 10,000 tips do not hit Python's recursion limit.
nodes = [f"F{i}:{rng.exponential(0.1):.6f}" for i in range(f)]
while len(nodes) > 1:
    i, j = sorted(rng.choice(len(nodes), size=2, replace=False))
    b = nodes.pop(j)
    a = nodes.pop(i)
    nodes.append(f"({a},{b}):{rng.exponential(0.1):.6f}")
with open(out_tree, "w") as fh:
    fh.write(nodes[0].rsplit(":", 1)[0] + ";\n")
