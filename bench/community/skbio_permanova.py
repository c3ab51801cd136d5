"""Times scikit-bio's permanova on the benchmark input; prints seconds of the test call (best of 3
calls), pseudo-F, p, and seconds of reading the distance matrix TSV (best of 3 reads)."""
import sys
import time

import numpy as np
import pandas as pd
from skbio import DistanceMatrix
from skbio.stats.distance import permanova

d, perms = sys.argv[1], int(sys.argv[2])
read = float("inf")
for _ in range(3):
    t = time.perf_counter()
    dm = DistanceMatrix.read(d + "/dm.tsv")
    read = min(read, time.perf_counter() - t)
md = pd.read_csv(d + "/metadata.tsv", sep="\t", index_col=0)
best = float("inf")
for _ in range(3):
    np.random.seed(1)
    t = time.perf_counter()
    r = permanova(dm, md, column="group", permutations=perms)
    best = min(best, time.perf_counter() - t)
print("%.3f\t%.12g\t%g\t%.3f" % (best, r["test statistic"], r["p-value"], read))
