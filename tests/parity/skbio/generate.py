"""Frozen scikit-bio references for orbiome's diversity parity tests (see PROVENANCE.md).

Usage: /usr/bin/python3 generate.py TABLE.tsv TREE.nwk OUTDIR
TABLE is a BIOM-classic TSV (features as rows, '#OTU ID' header, optional '#' line before it).
Writes OUTDIR/alpha.tsv (observed, shannon (natural log), shannon_base2 (scikit-bio's default
base), simpson, inverse_simpson, chao1, ace (NaN where scikit-bio raises), pielou, faith_pd) and
OUTDIR/{braycurtis,unweighted_unifrac,weighted_unifrac,weighted_normalized_unifrac,aitchison_pseudocount1}.tsv.
Empty samples are dropped first (orbiome rejects them).
"""
import io
import sys

import numpy as np
import pandas as pd
import scipy.spatial.distance as ssd
import skbio
from skbio import TreeNode
from skbio.diversity import alpha, alpha_diversity, beta_diversity
from skbio.stats.composition import clr


def read_table(path):
    lines = [l for l in open(path) if not (l.startswith("#") and not l.startswith("#OTU ID"))]
    df = pd.read_csv(io.StringIO("".join(lines)), sep="\t", index_col=0, dtype={0: str})
    df.index = df.index.astype(str)
    return df.T  # samples x features


def fmt(v):
    return "NaN" if v is None or (isinstance(v, float) and np.isnan(v)) else repr(float(v))


def write_dm(dm, path):
    with open(path, "w") as out:
        out.write("\t" + "\t".join(dm.ids) + "\n")
        for i, sid in enumerate(dm.ids):
            out.write(sid + "\t" + "\t".join(fmt(x) for x in dm.data[i]) + "\n")


def main(table_path, tree_path, outdir):
    counts = read_table(table_path)
    counts = counts[counts.sum(axis=1) > 0]
    ids = list(counts.index)
    otus = list(counts.columns)
    tree = TreeNode.read(tree_path)
    x = counts.values.astype(np.int64)

    def ace(row):
        try:
            return alpha.ace(row)
        except ValueError:
            return float("nan")

    cols = {
        "observed": [alpha.observed_otus(r) for r in x],
        "shannon": [alpha.shannon(r, base=np.e) for r in x],
        "shannon_base2": [alpha.shannon(r) for r in x],
        "simpson": [alpha.simpson(r) for r in x],
        "inverse_simpson": [alpha.enspie(r) for r in x],
        "chao1": [alpha.chao1(r) for r in x],
        "ace": [ace(r) for r in x],
        "pielou": [alpha.pielou_e(r) for r in x],
        "faith_pd": list(alpha_diversity("faith_pd", x, ids=ids, otu_ids=otus, tree=tree).values),
    }
    with open(outdir + "/alpha.tsv", "w") as out:
        out.write("sample_id\t" + "\t".join(cols) + "\n")
        for i, sid in enumerate(ids):
            out.write(sid + "\t" + "\t".join(fmt(cols[c][i]) for c in cols) + "\n")
    write_dm(beta_diversity("braycurtis", x, ids=ids), outdir + "/braycurtis.tsv")
    write_dm(beta_diversity("unweighted_unifrac", x, ids=ids, otu_ids=otus, tree=tree),
             outdir + "/unweighted_unifrac.tsv")
    write_dm(beta_diversity("weighted_unifrac", x, ids=ids, otu_ids=otus, tree=tree),
             outdir + "/weighted_unifrac.tsv")
    write_dm(beta_diversity("weighted_unifrac", x, ids=ids, otu_ids=otus, tree=tree, normalized=True),
             outdir + "/weighted_normalized_unifrac.tsv")
    write_dm(skbio.DistanceMatrix(ssd.squareform(ssd.pdist(clr(x + 1.0), "euclidean")), ids),
             outdir + "/aitchison_pseudocount1.tsv")
    print("scikit-bio", skbio.__version__, "numpy", np.__version__, "samples", len(ids), "features", len(otus))


if __name__ == "__main__":
    main(*sys.argv[1:4])
