#!/usr/bin/python3
"""Reference set for the profiler benchmark, from ../shared/data/genomes/genomes.tsv.

Writes into OUT/:
  taxonomy/nodes.dmp, taxonomy/names.dmp  NCBI-style dump of the lineages (used by both tools)
  lineages.tsv                             taxid<TAB>lineage (orbiome --lineages form)
  seqid2taxid.tsv                          sequence id -> species taxid, all genomes
  genomes.tsv                              file, species_taxid, genus name, species name, indexed(0/1)
Taxids: the NCBI ids of genomes.tsv's lineage_taxids column; the three genomes without it
(lineage_inferred = yes) get derived ids 9000000+ for their ranks above species (species ids
are given) — a name seen twice gets the same id.
"""
import gzip, os, sys
from taxdump import write_taxdump

GENOMES = sys.argv[1]
OUT = sys.argv[2]
LEFT_OUT = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else set()
RANKS = ["superkingdom", "phylum", "class", "order", "family", "genus", "species"]

rows = []
with open(os.path.join(GENOMES, "genomes.tsv")) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(header, line.rstrip("\n").split("\t")))
        if r["file"].startswith("lactobacillus_cds/"):
            continue  # CDS-only sets are not whole genomes
        rows.append(r)

nodes = {1: (1, "no rank", "root")}
derived = {}
next_id = 9000000
for r in rows:
    names = [x.strip() for x in r["lineage_domain_to_species"].split(";")]
    ids = r["lineage_taxids"].split("|") if r["lineage_taxids"] else []
    if not ids:
        ids = []
        for depth, name in enumerate(names[:-1]):
            key = ";".join(names[: depth + 1])
            if key not in derived:
                derived[key] = next_id
                next_id += 1
            ids.append(str(derived[key]))
        ids.append(r["species_taxid"])
    assert len(ids) == 7 and ids[-1] == r["species_taxid"], r["file"]
    parent = 1
    for rank, tid, name in zip(RANKS, ids, names):
        tid = int(tid)
        if tid in nodes:
            assert nodes[tid][2] == name or rank != "species", (tid, nodes[tid], name)
        else:
            nodes[tid] = (parent, rank, name)
        parent = tid
    r["_ids"] = ids
    r["_names"] = names

write_taxdump(os.path.join(OUT, "taxonomy"), nodes)
with open(os.path.join(OUT, "lineages.tsv"), "w") as f:
    f.write("taxid\tlineage\n")
    seen = set()
    for r in rows:
        if r["species_taxid"] in seen:
            continue
        seen.add(r["species_taxid"])
        f.write(r["species_taxid"] + "\t" + ";".join(r["_names"]) + "\n")
with open(os.path.join(OUT, "seqid2taxid.tsv"), "w") as m, open(os.path.join(OUT, "genomes.tsv"), "w") as g:
    g.write("file\tspecies_taxid\tgenus\tspecies\tindexed\tbp\n")
    for r in rows:
        bp = 0
        with gzip.open(os.path.join(GENOMES, r["file"]), "rt") as fa:
            for line in fa:
                if line.startswith(">"):
                    m.write(line[1:].split()[0] + "\t" + r["species_taxid"] + "\n")
                else:
                    bp += len(line.strip())
        g.write("\t".join([r["file"], r["species_taxid"], r["_names"][5], r["_names"][6],
                           "0" if r["file"] in LEFT_OUT else "1", str(bp)]) + "\n")
