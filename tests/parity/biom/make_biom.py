#!/usr/bin/python3
"""Writes the RR-5 fecal table (with its tax_table) with biom-format, as BIOM 2.1 HDF5 and
BIOM 1.0 JSON, so orbiome's readers can be checked against files another implementation wrote.

Usage: /usr/bin/python3 make_biom.py SHARED_DATA_DIR OUT_DIR
"""
import sys

import h5py
import numpy as np
from biom.table import Table

shared, out = sys.argv[1], sys.argv[2]
base = shared + "/rr5/16S_fecal/"

with open(base + "otu_table.txt") as f:
    lines = [l.rstrip("\n").split("\t") for l in f]
samples = lines[0]                      # R write.table: the header has no row-name cell
obs = [r[0] for r in lines[1:]]
counts = np.array([[int(x) for x in r[1:]] for r in lines[1:]], dtype=float)

with open(base + "tax_table.txt") as f:
    tax_lines = [l.rstrip("\n").split("\t") for l in f]
taxonomy = {r[0]: r[1:] for r in tax_lines[1:]}  # Kingdom..Species, "" where R wrote nothing
metadata = [{"taxonomy": taxonomy[o]} for o in obs]

table = Table(counts, obs, samples, observation_metadata=metadata, table_id="RR-5 fecal")
gen = "biom-format parity script (orbiome tests/parity/biom/make_biom.py)"
with h5py.File(out + "/rr5_fecal_biomformat.biom", "w") as h:
    table.to_hdf5(h, gen)
with open(out + "/rr5_fecal_biomformat.json", "w") as f:
    f.write(table.to_json(gen))
