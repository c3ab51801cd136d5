"""scikit-bio's whole process for the benchmark, like `orbiome permanova`'s: start Python, import,
read the distance matrix TSV and metadata, one permanova call, write the result table.
Usage: skbio_whole.py DIR PERMUTATIONS OUT"""
import sys

import numpy as np
import pandas as pd
from skbio import DistanceMatrix
from skbio.stats.distance import permanova

d, perms, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
dm = DistanceMatrix.read(d + "/dm.tsv")
md = pd.read_csv(d + "/metadata.tsv", sep="\t", index_col=0)
np.random.seed(1)
permanova(dm, md, column="group", permutations=perms).to_frame().to_csv(out, sep="\t")
