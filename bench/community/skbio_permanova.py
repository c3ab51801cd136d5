"""Times scikit-bio's permanova on the benchmark input; prints seconds, pseudo-F and p."""
import sys
import time

import numpy as np
import pandas as pd
from skbio import DistanceMatrix
from skbio.stats.distance import permanova

d, perms = sys.argv[1], int(sys.argv[2])
dm = DistanceMatrix.read(d + "/dm.tsv")
md = pd.read_csv(d + "/metadata.tsv", sep="\t", index_col=0)
np.random.seed(1)
t = time.perf_counter()
r = permanova(dm, md, column="group", permutations=perms)
print("%.3f\t%.12g\t%g" % (time.perf_counter() - t, r["test statistic"], r["p-value"]))
