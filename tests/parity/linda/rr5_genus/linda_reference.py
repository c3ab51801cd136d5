#!/usr/bin/python3
"""Independent LinDA reference (numpy/scipy) on the frozen RR-5 genus table.

Written from the LinDA paper (Zhou et al., Genome Biology 23:95, 2022) and the defaults of the
authors' R code (MicrobiomeStat::linda + modeest::meanshift), NOT from orbiome's C++:
winsorise each feature's proportions at their 0.97 quantile (R quantile type 7) and round back to
counts; add 0.5 to every count if any zero; CLR with log2; OLS (numpy.linalg.lstsq, SVD) of each
feature on intercept + group dummy (+ covariate dummies); bias = mode of sqrt(n) * coefficients
by Gaussian mean shift (bandwidth R bw.nrd0, start = modeest shorth, stop when
|M / par - 1| < sqrt(eps)) / sqrt(n); t = (coef - bias) / se, df = n - p, two-sided p from
scipy.stats.t; BH q. Each case is written twice: NAME.tsv with the paper's se (bias treated as
known) and NAME_propagated.tsv with orbiome's default se (regression of each CLR profile minus
the mean-shift-weighted mean profile on the design; orbiome's linda.hpp step 6).

Usage: /usr/bin/python3 linda_reference.py   (in this folder; reads ../../r_stats/rr5_genus/)
"""
import sys
import numpy as np
import scipy.stats

SRC = "../../r_stats/rr5_genus/"


def read_table():
    rows, samples = [], None
    for line in open(SRC + "genus_counts.tsv"):
        if line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if samples is None:
            samples = cells[1:-1]
            continue
        rows.append((cells[0], [float(v) for v in cells[1:-1]]))
    return samples, [r[0] for r in rows], np.array([r[1] for r in rows])


def read_meta():
    md = {}
    lines = open(SRC + "rr5_fecal_meta.tsv").read().splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        c = line.split("\t")
        md[c[0]] = dict(zip(header[1:], c[1:]))
    return md


def quantile7(x, q):
    y = np.sort(x)
    index = 1 + (len(y) - 1) * q
    lo, hi = int(np.floor(index)), int(np.ceil(index))
    qs = y[lo - 1]
    if index > lo and y[hi - 1] != qs:
        h = index - lo
        qs = (1 - h) * qs + h * y[hi - 1]
    return qs


def bw_nrd0(x):
    hi = np.std(x, ddof=1)
    lo = min(hi, (quantile7(x, 0.75) - quantile7(x, 0.25)) / 1.34)
    if not lo:
        lo = hi or abs(x[0]) or 1.0
    return 0.9 * lo * len(x) ** -0.2


def shorth(x):
    y = np.sort(x)
    n = len(y)
    k = int(np.ceil(n / 2)) - 1
    diffs = y[k:] - y[: n - k]
    idx = np.nonzero(diffs == diffs.min())[0] + 1  # 1-based as R
    i = int(np.floor(idx.mean()))
    return y[i - 1 : i + k].mean()


def meanshift(x, iters=1000, tol=np.sqrt(np.finfo(float).eps)):
    """Mode and the normalised kernel weights at it."""
    bw = bw_nrd0(x)
    par = shorth(x)
    for _ in range(iters):
        k = scipy.stats.norm.pdf((x - par) / bw)
        m = np.dot(x, k) / k.sum()
        if abs(m / par - 1) < tol:
            break
        par = m
    k = scipy.stats.norm.pdf((x - par) / bw)
    return par, k / k.sum()


def bh(p):
    p = np.asarray(p)
    n = len(p)
    order = np.argsort(p)[::-1]
    q = np.minimum.accumulate(p[order] * n / np.arange(n, 0, -1))
    out = np.empty(n)
    out[order] = np.minimum(q, 1)
    return out


def linda(y, x, col, propagated=False):
    n = y.shape[1]
    N = y.sum(axis=0)
    P = y / N
    y = y.copy()
    for i in range(y.shape[0]):
        cut = quantile7(P[i], 0.97)
        over = P[i] > cut
        y[i, over] = np.round(cut * N[over])  # numpy rounds half to even, as R
    if (y == 0).any():
        y = y + 0.5
    logy = np.log2(y)
    w = logy - logy.mean(axis=0)  # centre each sample (column) over features
    beta, _, rank, _ = np.linalg.lstsq(x, w.T, rcond=None)
    assert rank == x.shape[1]
    resid = w.T - x @ beta
    df = n - x.shape[1]
    s2 = (resid ** 2).sum(axis=0) / df
    se = np.sqrt(s2 * np.linalg.inv(x.T @ x)[col, col])
    raw = beta[col]
    mode, weights = meanshift(np.sqrt(n) * raw)
    bias = mode / np.sqrt(n)
    eff = raw - bias
    if propagated:
        # orbiome's --bias-se propagated: regress each CLR profile minus the kernel-weighted mean
        # profile z (weights at the mode) on the design; its residual sd gives the se.
        z = weights @ w
        beta2, _, _, _ = np.linalg.lstsq(x, (w - z).T, rcond=None)
        resid2 = (w - z).T - x @ beta2
        se = np.sqrt((resid2 ** 2).sum(axis=0) / df * np.linalg.inv(x.T @ x)[col, col])
    t = eff / se
    p = 2 * scipy.stats.t.sf(np.abs(t), df)
    return raw, bias, eff, se, t, p, bh(p), df


def case(name, keep, test_level, ref_level, covariate=None):
    samples, feats, counts = read_table()
    md = read_meta()
    idx = [j for j, s in enumerate(samples) if keep(md[s])]
    y = counts[:, idx]
    present = y.sum(axis=1) > 0
    y = y[present]
    feats = [f for f, k in zip(feats, present) if k]
    grp = [md[samples[j]]["Treatment"] for j in idx]
    cols = [np.ones(len(idx)), np.array([1.0 if g == test_level else 0.0 for g in grp])]
    if covariate:
        vals = [md[samples[j]][covariate] for j in idx]
        for level in sorted(set(vals))[1:]:
            cols.append(np.array([1.0 if v == level else 0.0 for v in vals]))
    x = np.column_stack(cols)
    for propagated, suffix in ((False, ""), (True, "_propagated")):
        raw, bias, eff, se, t, p, q, df = linda(y, x, 1, propagated)
        with open(name + suffix + ".tsv", "w") as out:
            out.write(f"#bias\t{bias:.17g}\n#df\t{df}\n#n\t{len(idx)}\n")
            out.write("feature\traw_coefficient\teffect\tse\tstatistic\tp_value\tq_value\n")
            for i, f in enumerate(feats):
                out.write(f"{f}\t{raw[i]:.17g}\t{eff[i]:.17g}\t{se[i]:.17g}\t{t[i]:.17g}\t{p[i]:.17g}\t{q[i]:.17g}\n")
        print(name + suffix, "n =", len(idx), "features =", len(feats), "bias =", bias, "calls q<0.05:", int((q < 0.05).sum()))


if __name__ == "__main__":
    case("iss_vs_issg_final", lambda m: m["Time"] == "final" and m["Treatment"] in ("ISS", "ISS_G"), "ISS", "ISS_G")
    case("lar_vs_larg_time", lambda m: m["Treatment"] in ("LAR", "LAR_G"), "LAR", "LAR_G", covariate="Time")
