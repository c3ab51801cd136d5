#!/usr/bin/python3
"""Collapse the RR-5 fecal 16S table to genus with pandas and freeze it (orbiome TSV layout).

Run from this folder: /usr/bin/python3 make_genus.py /work/shared/data/rr5/16S_fecal
Key rule (SPEC "When collapsing"): Kingdom..Genus joined by ';'; an empty genus becomes the
nearest named ancestor followed by ';unassigned'.
"""
import sys
import pandas as pd

src = sys.argv[1]
# R write.table style: the header row has no cell for the row names.
otu = pd.read_csv(f"{src}/otu_table.txt", sep="\t", index_col=0)
tax = pd.read_csv(f"{src}/tax_table.txt", sep="\t", index_col=0, keep_default_na=False)
ranks = ["Kingdom", "Phylum", "Class", "Order", "Family", "Genus"]


def key(row):
    parts = []
    for r in ranks:
        v = row[r].strip()
        if v in ("", "NA"):
            return ";".join(parts + ["unassigned"]) if parts else "unassigned"
        parts.append(v)
    return ";".join(parts)


keys = tax.loc[otu.index].apply(key, axis=1)
genus = otu.groupby(keys.values).sum().sort_index()
with open("genus_counts.tsv", "w") as f:
    f.write("#frozen by make_genus.py from rr5/16S_fecal (pandas %s)\n" % pd.__version__)
    f.write("feature_id\t" + "\t".join(genus.columns) + "\ttaxonomy\n")
    for k, row in genus.iterrows():
        f.write(k + "\t" + "\t".join(str(int(v)) for v in row.values) + "\t" + k + "\n")
print(genus.shape)
