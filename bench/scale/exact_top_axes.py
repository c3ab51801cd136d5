#!/usr/bin/python3
"""Reference for FSVD at sizes where orbiome's exact PCoA (all n eigenpairs, Eigen) is too slow:
the top K eigenpairs of the Gower-centred matrix by LAPACK's dsyevr (scipy.linalg.eigh with
subset_by_index: an exact dense method, only the requested eigenpairs back-transformed), then
compared with orbiome's `pcoa --method fsvd` coordinates (axis signs aligned), plus the residual
||B v - lambda v|| of every FSVD axis, which bounds its eigenvalue error without any reference.
Usage: exact_top_axes.py DM.h5 FSVD_PCOA.tsv K [CACHE.npz]   (DM in Striped UniFrac's HDF5 layout)
FSVD_PCOA.tsv may be "-" (only solve); with CACHE.npz the exact eigenpairs are saved there, or
read from it when it exists (an hour of dsyevr at 20,000 samples is then paid once); CACHE "-"
skips the exact solve and prints only the residuals (each bounds its axis's eigenvalue error).
"""
import os
import sys
import time

import h5py
import numpy as np
import scipy.linalg

dm_path, fsvd_path, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
cache = sys.argv[4] if len(sys.argv) > 4 else None
t0 = time.time()
with h5py.File(dm_path, "r") as f:
    ids = [x.decode() if isinstance(x, bytes) else str(x) for x in f["order"][:]]
    b = np.array(f["matrix"][:], dtype=np.float64)
n = b.shape[0]
# Gower centring in place: B = -1/2 J D^2 J.
b *= b
b *= -0.5
row_mean = b.mean(axis=1)
b -= row_mean[:, None]
b -= row_mean[None, :]
b += row_mean.mean()
t1 = time.time()
residuals_only = cache == "-"
if residuals_only:
    values, vectors = None, None
elif cache and os.path.exists(cache):
    saved = np.load(cache)
    values, vectors = saved["values"], saved["vectors"]
else:
    values, vectors = scipy.linalg.eigh(b, subset_by_index=[n - k, n - 1], driver="evr",
                                        overwrite_a=False, check_finite=False)
    if cache and not residuals_only:
        np.savez(cache, values=values, vectors=vectors)
t2 = time.time()
if not residuals_only:
    print(f"n={n}: dsyevr top {k}: centring {t1 - t0:.1f} s, eigensolve {t2 - t1:.1f} s"
          + (" (from the cache)" if cache and t2 - t1 < 60 else ""), file=sys.stderr)
if fsvd_path == "-":
    sys.exit(0)
if not residuals_only:
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]

rows = [l.rstrip("\n").split("\t") for l in open(fsvd_path) if not l.startswith("#")]
fsvd_ids = [r[0] for r in rows[1:]]
coords = np.array([[float(x) for x in r[1:1 + k]] for r in rows[1:]])
if fsvd_ids != ids:
    index = {s: i for i, s in enumerate(fsvd_ids)}
    coords = coords[[index[s] for s in ids]]
worst = 0.0
for a in range(k):
    got = coords[:, a]
    lam_f = float(np.dot(got, got))                  # ||v sqrt(l)||^2 = l for a unit v
    unit = got / np.sqrt(lam_f)
    residual = float(np.linalg.norm(b @ unit - lam_f * unit))
    line = f"axis {a + 1}: eigenvalue fsvd {lam_f:.10g}  residual ||Bv - lv|| {residual:.3g}"
    if not residuals_only:
        exact = vectors[:, a] * np.sqrt(max(values[a], 0.0))
        if np.dot(exact, got) < 0:
            exact = -exact
        diff = float(np.max(np.abs(exact - got)))
        worst = max(worst, diff)
        line += f"  exact {values[a]:.10g}  max |coordinate diff| {diff:.3g}"
    print(line, file=sys.stderr)
if not residuals_only:
    print(f"n={n}: fsvd vs exact max |coordinate difference| over {k} axes = {worst:.3g}", file=sys.stderr)
