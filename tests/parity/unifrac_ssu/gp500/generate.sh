#!/bin/sh
# Frozen Striped UniFrac (ssu, Debian unifrac-tools 1.2) references on gp500 (see PROVENANCE.md).
# Usage: sh generate.sh   (from this directory; needs /usr/bin/python3 with biom-format, and ssu)
set -eu
data=../../../data/diversity
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$data/gp500_otu_table.tsv" "$tmp/gp500.biom" <<'PY'
import sys
import numpy as np
import biom
from biom.util import biom_open
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
samples = rows[0][1:]
obs = [r[0] for r in rows[1:]]
data = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
t = biom.Table(data, obs, samples)
with biom_open(sys.argv[2], "w") as f:
    t.to_hdf5(f, "orbiome parity")
PY
for a in 0.5 0 1; do
  OMP_NUM_THREADS=1 ssu -i "$tmp/gp500.biom" -t "$data/gp500_tree.nwk" -m generalized_fp64 -a "$a" \
      -o "generalized_alpha$a.tsv" --pcoa 0
done
for m in unweighted weighted_normalized weighted_unnormalized; do
  OMP_NUM_THREADS=1 ssu -i "$tmp/gp500.biom" -t "$data/gp500_tree.nwk" -m "${m}_fp64" -o "$m.tsv" --pcoa 0
done
# The same unweighted matrix in ssu's HDF5 layout (with its PCoA datasets, which readers ignore).
OMP_NUM_THREADS=1 ssu -i "$tmp/gp500.biom" -t "$data/gp500_tree.nwk" -m unweighted_fp64 -o unweighted.h5 \
    --format hdf5_fp64 --pcoa 3
