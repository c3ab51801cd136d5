"""Synthetic PERMANOVA benchmark input: a seeded random count table (N samples x F features,
G groups with slightly shifted abundance profiles), its Bray-Curtis matrix (scipy) and metadata."""
import sys

import numpy as np
from scipy.spatial.distance import pdist, squareform

n, n_features, n_groups, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = np.random.default_rng(seed)
groups = np.arange(n) % n_groups
base = rng.gamma(0.5, 1.0, size=n_features)
shift = rng.gamma(0.5, 1.0, size=(n_groups, n_features))
counts = rng.poisson(rng.gamma(2.0, (base + 0.3 * shift[groups]) / 2.0))
counts[counts.sum(axis=1) == 0, 0] = 1
dm = squareform(pdist(counts, metric="braycurtis"))
ids = ["S%04d" % i for i in range(n)]
with open(out + "/dm.tsv", "w") as f:
    f.write("\t" + "\t".join(ids) + "\n")
    for i, sid in enumerate(ids):
        f.write(sid + "\t" + "\t".join(repr(float(v)) for v in dm[i]) + "\n")
with open(out + "/metadata.tsv", "w") as f:
    f.write("sample_id\tgroup\n")
    for sid, g in zip(ids, groups):
        f.write("%s\tG%d\n" % (sid, g))
