"""Regenerates the frozen scikit-bio 0.5.8 references of orbiome's community tests.

Run from this folder:  /usr/bin/python3 generate.py SHARED_DATA_DIR
(SHARED_DATA_DIR = the shared real-data folder, e.g. /work/shared/data). Copies its inputs here.
"""
import os
import shutil
import sys

import numpy as np
import pandas as pd
import skbio
from skbio import DistanceMatrix
from skbio.diversity import beta_diversity
from skbio.stats.distance import anosim, mantel, permanova, permdisp
from skbio.stats.ordination import pcoa

assert skbio.__version__ == "0.5.8", skbio.__version__
NPERM = 9999  # references carry more permutations than the tests, so their own Monte-Carlo error is small
SEED = 20240101
shared = sys.argv[1]


def fmt(x):
    return repr(float(x))


def write_rows(path, header, rows):
    with open(path, "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(str(v) for v in r) + "\n")


def write_dm(dm, path):
    with open(path, "w") as f:
        f.write("\t" + "\t".join(dm.ids) + "\n")
        for i, sid in enumerate(dm.ids):
            f.write(sid + "\t" + "\t".join(fmt(v) for v in dm.data[i]) + "\n")


def write_pcoa(res, stem, k=3):
    write_rows(stem + "_eigenvalues.tsv", ["axis", "eigenvalue", "proportion_explained"],
               [(a, fmt(e), fmt(p)) for a, e, p in zip(res.eigvals.index, res.eigvals, res.proportion_explained)])
    coords = res.samples.iloc[:, :k]
    write_rows(stem + "_coordinates.tsv", ["sample_id"] + list(coords.columns),
               [[sid] + [fmt(v) for v in coords.loc[sid]] for sid in coords.index])


def group_test(name, fn, path, **kw):
    np.random.seed(SEED)
    r = fn(permutations=NPERM, **kw)
    write_rows(path, ["method_name", "test_statistic_name", "sample_size", "number_of_groups", "test_statistic",
                      "p_value", "number_of_permutations"],
               [(r["method name"], r["test statistic name"], r["sample size"], r["number of groups"],
                 fmt(r["test statistic"]), fmt(r["p-value"]), r["number of permutations"])])


# Moving Pictures (scikit-bio's own test data).
os.makedirs("moving_pictures", exist_ok=True)
src_dm = os.path.join(shared, "tables/skbio/stats_distance_moving_pictures_dm.tsv")
src_mf = os.path.join(shared, "tables/skbio/stats_distance_moving_pictures_mf.tsv")
shutil.copy(src_dm, "moving_pictures/dm.tsv")
shutil.copy(src_mf, "moving_pictures/mf.tsv")
dm = DistanceMatrix.read(src_dm)
mf = pd.read_csv(src_mf, sep="\t", index_col=0, dtype=str)
group_test("permanova", permanova, "moving_pictures/permanova_bodysite.tsv",
           distance_matrix=dm, grouping=mf, column="BodySite")
group_test("permanova", permanova, "moving_pictures/permanova_subject.tsv",
           distance_matrix=dm, grouping=mf, column="Subject")
group_test("anosim", anosim, "moving_pictures/anosim_bodysite.tsv", distance_matrix=dm, grouping=mf, column="BodySite")
group_test("anosim", anosim, "moving_pictures/anosim_subject.tsv", distance_matrix=dm, grouping=mf, column="Subject")
for test in ("median", "centroid"):
    group_test("permdisp", permdisp, "moving_pictures/permdisp_bodysite_%s.tsv" % test,
               distance_matrix=dm, grouping=mf, column="BodySite", test=test)
write_pcoa(pcoa(dm), "moving_pictures/pcoa")

# Dune Bray-Curtis computed by scikit-bio (non-Euclidean: negative eigenvalues).
os.makedirs("dune", exist_ok=True)
dune = pd.read_csv(os.path.join(shared, "tables/vegan/vegan_dune.tsv"), sep="\t", index_col=0)
dune.index = [str(i) for i in dune.index]
bc = beta_diversity("braycurtis", dune.values, ids=list(dune.index))
write_dm(bc, "dune/bray_skbio.tsv")
write_pcoa(pcoa(bc), "dune/pcoa")

# Mantel on scikit-bio's vegan-derived test matrices (veg: Bray-Curtis of varespec; env: Euclidean of varechem).
os.makedirs("mantel", exist_ok=True)
ids = ["s%d" % (i + 1) for i in range(24)]
for name in ("veg", "env"):
    m = np.loadtxt(os.path.join(shared, "tables/skbio/stats_distance_mantel_%s_dm_vegan.txt" % name))
    write_dm(DistanceMatrix(m, ids), "mantel/%s.tsv" % name)
veg = DistanceMatrix.read("mantel/veg.tsv")
env = DistanceMatrix.read("mantel/env.tsv")
for method in ("pearson", "spearman"):
    np.random.seed(SEED)
    r, p, n = mantel(veg, env, method=method, permutations=NPERM, alternative="two-sided")
    write_rows("mantel/mantel_%s.tsv" % method, ["method", "statistic", "p_value", "n", "permutations", "alternative"],
               [(method, fmt(r), fmt(p), n, NPERM, "two-sided")])
