#!/usr/bin/python3
"""Builds tests/data/report/rr5_study/: a small study output directory in the layout of
docs/study.md, computed from the real RR-5 fecal 16S tables with pandas, scipy and scikit-bio.

Usage: /usr/bin/python3 make_fixture.py SHARED_DATA_DIR OUT_DIR
(SHARED_DATA_DIR holds rr5/16S_fecal/). See PROVENANCE.md for what each file is.
"""
import hashlib
import warnings
import json
import os
import sys

import numpy as np
import pandas as pd
import scipy
import skbio
from scipy import stats
from skbio import DistanceMatrix
from skbio.diversity import alpha_diversity, beta_diversity
from skbio.stats.distance import permanova
from skbio.stats.ordination import pcoa

warnings.simplefilter("ignore", RuntimeWarning)  # skbio notes the (small) negative PCoA eigenvalues
shared, out = sys.argv[1], sys.argv[2]
src = os.path.join(shared, "rr5", "16S_fecal")
RANKS = ["Kingdom", "Phylum", "Class", "Order", "Family", "Genus", "Species"]
COMPARISONS = [("ISS_vs_ISS_G_final", "ISS", "ISS_G"), ("LAR_vs_LAR_G_final", "LAR", "LAR_G")]
PERMUTATIONS, SEED = 999, 42


def fmt(x):
    """Shortest round-trip text of a float (Python repr), integers without a fraction."""
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "NA"
    return repr(float(x))


def write_tsv(path, header, rows, comment=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if comment:
            f.write(comment + "\n")
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(fmt(v) if not isinstance(v, str) else v for v in r) + "\n")


def bh(p):
    p = np.asarray(p, dtype=float)
    n = len(p)
    order = np.argsort(p)[::-1]
    q = np.empty(n)
    prev = 1.0
    for rank, i in zip(range(n, 0, -1), order):
        prev = min(prev, p[i] * n / rank)
        q[i] = prev
    return q


# --- inputs: the R write.table table (header row lacks the first cell) -----------------------
counts = pd.read_csv(os.path.join(src, "otu_table.txt"), sep="\t", index_col=0)
tax = pd.read_csv(os.path.join(src, "tax_table.txt"), sep="\t", index_col=0)
meta = pd.read_csv(os.path.join(src, "meta_table.txt"), sep="\t", index_col=0)
keep_groups = sorted({g for _, t, r in COMPARISONS for g in (t, r)})
meta = meta[(meta.Time == "final") & meta.Treatment.isin(keep_groups)]
samples = sorted(meta.index)
counts = counts[samples]

# RR-5 authors' filter, any rule: >= 10 in >= 2 samples, or total >= 100.
keep = ((counts >= 10).sum(axis=1) >= 2) | (counts.sum(axis=1) >= 100)
counts = counts[keep & (counts.sum(axis=1) > 0)]


def collapse_key(feature, rank):
    lin = [str(v) for v in tax.loc[feature, RANKS[: RANKS.index(rank) + 1]]]
    named = [v if v != "nan" and v != "" else None for v in lin]
    if named[-1] is not None:
        return ";".join(named)
    last = max((i for i, v in enumerate(named) if v is not None), default=-1)
    if last < 0:
        return "unassigned"
    return ";".join(named[: last + 1]) + ";unassigned"


def collapsed(rank):
    keys = [collapse_key(f, rank) for f in counts.index]
    return counts.groupby(keys).sum().sort_index()


group = meta.loc[samples, "Treatment"]
write_tsv(os.path.join(out, "samples.tsv"), ["sample_id", "group", "Time", "SamID", "Cage"],
          [[s, group[s], meta.loc[s, "Time"], str(meta.loc[s, "SamID"]), str(meta.loc[s, "Cage"])]
           for s in samples])

tables = {}
for rank in ["phylum", "genus"]:
    t = collapsed(rank.capitalize())
    tables[rank] = t
    write_tsv(os.path.join(out, "tables", rank + ".tsv"), ["feature_id"] + samples + ["taxonomy"],
              [[k] + [int(v) for v in t.loc[k, samples]] + [k] for k in t.index],
              comment="#orbiome table collapse (fixture: pandas groupby)")

# --- alpha (natural-log Shannon, as orbiome) -------------------------------------------------
mat = counts[samples].T.values.astype(int)
alpha = pd.DataFrame({
    "observed": alpha_diversity("observed_otus", mat, ids=samples).values,
    "shannon": alpha_diversity("shannon", mat, ids=samples, base=np.e).values,
    "simpson": alpha_diversity("simpson", mat, ids=samples).values,
    "chao1": alpha_diversity("chao1", mat, ids=samples).values,
}, index=samples)
metrics = list(alpha.columns)
write_tsv(os.path.join(out, "alpha", "alpha.tsv"), ["sample_id"] + metrics,
          [[s] + [alpha.loc[s, m] if m != "observed" else int(alpha.loc[s, m]) for m in metrics] for s in samples])

rows = []
for name, test, ref in COMPARISONS:
    a, b = group[group == test].index, group[group == ref].index
    res = [stats.mannwhitneyu(alpha.loc[a, m], alpha.loc[b, m], alternative="two-sided") for m in metrics]
    q = bh([r.pvalue for r in res])
    for m, r, qq in zip(metrics, res, q):
        rows.append([name, m, test, ref, len(a), len(b), float(alpha.loc[a, m].median()),
                     float(alpha.loc[b, m].median()), float(r.statistic), float(r.pvalue), float(qq)])
write_tsv(os.path.join(out, "alpha", "tests.tsv"),
          ["comparison", "metric", "test", "reference", "n_test", "n_reference", "median_test",
           "median_reference", "statistic", "p_value", "q_value"], rows)

# --- beta: Bray-Curtis on the comparison's samples, PCoA, PERMANOVA --------------------------
perm_rows = []
for name, test, ref in COMPARISONS:
    ids = sorted(group[group.isin([test, ref])].index)
    dm = beta_diversity("braycurtis", counts[ids].T.values, ids=ids)
    ord_ = pcoa(dm)
    k = min(5, ord_.samples.shape[1])
    write_tsv(os.path.join(out, "beta", f"{name}.braycurtis.pcoa.tsv"),
              ["sample_id"] + [f"PC{i + 1}" for i in range(k)],
              [[s] + list(ord_.samples.loc[s].values[:k]) for s in ids])
    write_tsv(os.path.join(out, "beta", f"{name}.braycurtis.pcoa.eigenvalues.tsv"),
              ["axis", "eigenvalue", "proportion_explained"],
              [[f"PC{i + 1}", float(ord_.eigvals.iloc[i]), float(ord_.proportion_explained.iloc[i])]
               for i in range(k)])
    np.random.seed(SEED)
    res = permanova(dm, group[ids], permutations=PERMUTATIONS)
    d2 = dm.data ** 2
    n = len(ids)
    ss_t = d2.sum() / 2 / n
    ss_w = 0.0
    for g in (test, ref):
        idx = [ids.index(s) for s in ids if group[s] == g]
        ss_w += d2[np.ix_(idx, idx)].sum() / 2 / len(idx)
    ss_a = ss_t - ss_w
    perm_rows += [[name, "braycurtis", "group", 1, ss_a, ss_a / ss_t, float(res["test statistic"]), float(res["p-value"])],
                  [name, "braycurtis", "Residual", n - 2, ss_w, ss_w / ss_t, "NA", "NA"],
                  [name, "braycurtis", "Total", n - 1, ss_t, 1.0, "NA", "NA"]]
write_tsv(os.path.join(out, "beta", "permanova.tsv"),
          ["comparison", "metric", "term", "df", "sum_sq", "r2", "F", "p_value"], perm_rows)

# --- Firmicutes / Bacteroidetes log2 ratio --------------------------------------------------
ph = tables["phylum"]
num = ph.loc["Bacteria;Firmicutes", samples]
den = ph.loc["Bacteria;Bacteroidetes", samples]
lr = np.log2(num / den)
write_tsv(os.path.join(out, "ratio", "log2_ratio.tsv"),
          ["sample_id", "group", "numerator", "denominator", "log2_ratio"],
          [[s, group[s], int(num[s]), int(den[s]), float(lr[s])] for s in samples])
rows = []
for name, test, ref in COMPARISONS:
    a, b = lr[group == test], lr[group == ref]
    w = stats.ttest_ind(a, b, equal_var=False)
    u = stats.mannwhitneyu(a, b, alternative="two-sided")
    rows.append([name, test, ref, float(a.mean()), float(b.mean()), float(w.statistic), float(w.pvalue),
                 float(u.statistic), float(u.pvalue)])
write_tsv(os.path.join(out, "ratio", "tests.tsv"),
          ["comparison", "test", "reference", "mean_test", "mean_reference", "welch_t", "welch_p",
           "wilcoxon_W", "wilcoxon_p"], rows)

# --- differential abundance: Wilcoxon on genus relative abundance ----------------------------
PSEUDO = 1e-6
gen = tables["genus"]
rel = gen[samples] / gen[samples].sum(axis=0)
for name, test, ref in COMPARISONS:
    a, b = group[group == test].index, group[group == ref].index
    sub = rel[(rel[list(a) + list(b)] > 0).any(axis=1)]
    ps, rows = [], []
    for f in sub.index:
        x, y = sub.loc[f, a], sub.loc[f, b]
        r = stats.mannwhitneyu(x, y, alternative="two-sided")
        ps.append(r.pvalue)
        rows.append([f, f, float(np.log2((x.mean() + PSEUDO) / (y.mean() + PSEUDO))), "NA", float(r.statistic),
                     float(r.pvalue), None, float(x.mean()), float(y.mean()), float((x > 0).mean()),
                     float((y > 0).mean())])
    for r, q in zip(rows, bh(ps)):
        r[6] = float(q)
    write_tsv(os.path.join(out, "diff", f"{name}.genus.wilcoxon.tsv"),
              ["feature", "lineage", "effect", "se", "statistic", "p_value", "q_value", f"mean_{test}",
               f"mean_{ref}", f"prevalence_{test}", f"prevalence_{ref}"], rows,
              comment=f"#orbiome diff (fixture: scipy) pseudocount={PSEUDO}")

# --- association: Spearman co-occurrence of the 12 most abundant genera (no self pairs) -----
top = rel.mean(axis=1).sort_values(ascending=False).index[:12]
rows, ps = [], []
for f in top:
    for v in top:
        if v == f:
            continue
        rho, p = stats.spearmanr(rel.loc[f, samples], rel.loc[v, samples])
        rows.append([f, v.split(";")[-1], "spearman", float(rho), len(samples), float(p), None])
        ps.append(p)
for r, q in zip(rows, bh(ps)):
    r[6] = float(q)
write_tsv(os.path.join(out, "assoc", "assoc.tsv"),
          ["feature", "variable", "method", "coefficient", "n", "p_value", "q_value"], rows)

# --- provenance ------------------------------------------------------------------------------
inputs = {}
for f in ["otu_table.txt", "tax_table.txt", "meta_table.txt"]:
    with open(os.path.join(src, f), "rb") as fh:
        inputs["rr5/16S_fecal/" + f] = hashlib.sha256(fh.read()).hexdigest()
prov = {
    "orbiome_version": "fixture",
    "created": "2024-01-01T00:00:00Z",
    "study": {"name": "RR-5 fecal 16S: flight vs ground, final time point",
              "design": {"group": "Treatment"},
              "comparisons": [{"name": n, "test": t, "reference": r, "where": {"Time": "final"}}
                              for n, t, r in COMPARISONS],
              "filter": {"min_count": 10, "min_samples": 2, "min_total": 100},
              "analysis": {"ranks": ["phylum", "genus"], "alpha": metrics, "beta": ["braycurtis"],
                           "diff_methods": ["wilcoxon"], "ratio": ["Firmicutes", "Bacteroidetes"],
                           "permutations": PERMUTATIONS, "seed": SEED}},
    "input_sha256": inputs,
    "generated_by": f"tests/data/report/make_fixture.py (scikit-bio {skbio.__version__}, "
                    f"scipy {scipy.__version__}, pandas {pd.__version__})",
}
with open(os.path.join(out, "provenance.json"), "w") as f:
    json.dump(prov, f, indent=2)
    f.write("\n")
