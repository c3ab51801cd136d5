"""Seeded synthetic inputs for bench/diversity/run.sh.

Usage: /usr/bin/python3 make_inputs.py OUTDIR N_FEATURES N_SAMPLES [N_SAMPLES ...]
Writes OUTDIR/tree.nwk (a random rooted binary tree over N_FEATURES tips t0..t{F-1}, built by
joining random pairs, branch lengths exponential with mean 0.05) and, for each N_SAMPLES,
OUTDIR/table_<N>.biom (BIOM 2.1 HDF5) with counts that look like amplicon data: each sample
draws its features from a shared log-normal abundance profile, ~10% of features present per
sample, depth 5,000-50,000. Seed 20240603 (numpy default_rng). Also converts GlobalPatterns:
OUTDIR/globalpatterns.biom when /work/shared/data is present.
"""
import os
import sys

import numpy as np
import biom
from biom.util import biom_open

SEED = 20240603


def random_tree(n_tips, rng):
    nodes = [f"t{i}:{rng.exponential(0.05):.6f}" for i in range(n_tips)]
    while len(nodes) > 1:
        i, j = sorted(rng.choice(len(nodes), size=2, replace=False))
        b = nodes.pop(j)
        a = nodes.pop(i)
        nodes.append(f"({a},{b}):{rng.exponential(0.05):.6f}")
    return nodes[0].rsplit(":", 1)[0] + ";"


def write_biom(path, data, obs, samples):
    t = biom.Table(data, obs, samples)
    with biom_open(path, "w") as f:
        t.to_hdf5(f, "orbiome bench")


def main(outdir, n_features, *sizes):
    n_features = int(n_features)
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    with open(os.path.join(outdir, "tree.nwk"), "w") as f:
        f.write(random_tree(n_features, rng) + "\n")
    profile = rng.lognormal(0.0, 2.0, n_features)
    profile /= profile.sum()
    obs = [f"t{i}" for i in range(n_features)]
    n_max = max(int(s) for s in sizes)
    counts = np.zeros((n_features, n_max))
    for s in range(n_max):
        present = rng.random(n_features) < 0.10
        present[rng.integers(n_features)] = True
        p = profile * present * rng.lognormal(0.0, 1.0, n_features)
        counts[:, s] = rng.multinomial(int(rng.integers(5000, 50000)), p / p.sum())
    for size in sizes:
        n = int(size)
        write_biom(os.path.join(outdir, f"table_{n}.biom"), counts[:, :n], obs, [f"S{i}" for i in range(n)])
    gp = "/work/shared/data/tables/phyloseq/GlobalPatterns_otu_table.tsv"
    if os.path.exists(gp):
        rows = [l.rstrip("\n").split("\t") for l in open(gp)]
        data = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
        write_biom(os.path.join(outdir, "globalpatterns.biom"), data, [r[0] for r in rows[1:]], rows[0][1:])


if __name__ == "__main__":
    main(*sys.argv[1:])
