#!/usr/bin/python3
"""Reference and truth for the HUMAnN demo reads (bench/profiler/real_reads.sh).

usage: prepare_humann.py HUMANN_DEMO_DIR OUT
Writes into OUT/:
  taxonomy/nodes.dmp, taxonomy/names.dmp  NCBI-style dump (used by both tools)
  seqid2taxid.tsv                          first header word -> species taxid, every reference
  references.txt                           the reference FASTA files, one a line
  truth.tsv                                read name, truth taxid (0 = not from an organism), group

References: the ChocoPhlAn v296 B. dorei gene centroids (taxid 357276, the header's first field)
and the three ChocoPhlAn DEMO SGB pangenomes, labelled per vOct22_SGB_mapping.tsv: SGB1871 =
Bacteroides ovatus, SGB2301 = Alistipes finegoldii, SGB2091 = an unnamed Corynebacterium SGB.
Taxids and the ranks above species are those of demo_metaphlan_bugs_list.tsv in the same folder
(NCBI); the genus of B. dorei and B. vulgatus is Bacteroides as in vOct22_SGB_mapping.tsv and the
read names (NCBI has since moved both to Phocaeicola, 909656). The SGB without an NCBI species
gets id 9000001. B. vulgatus (821) is in the taxonomy only so the truth can name it: no reference
sequence of it is indexed.
"""
import gzip, os, sys
from taxdump import write_taxdump

DEMO, OUT = sys.argv[1], sys.argv[2]
RANKS = ["superkingdom", "phylum", "class", "order", "family", "genus", "species"]
# (lineage taxids, lineage names) from the MetaPhlAn profile of the demo folder.
BACTEROIDES = ([2, 976, 200643, 171549, 815, 816],
               ["Bacteria", "Bacteroidetes", "Bacteroidia", "Bacteroidales", "Bacteroidaceae", "Bacteroides"])
ALISTIPES = ([2, 976, 200643, 171549, 171550, 239759],
             ["Bacteria", "Bacteroidetes", "Bacteroidia", "Bacteroidales", "Rikenellaceae", "Alistipes"])
CORYNE = ([2, 201174, 1760, 85007, 1653, 1716],
          ["Bacteria", "Actinobacteria", "Actinomycetia", "Corynebacteriales", "Corynebacteriaceae",
           "Corynebacterium"])
SPECIES = [  # file (None = truth only), taxid, name, upper lineage
    ("g__Bacteroides.s__Bacteroides_dorei.centroids.v296_201901.ffn.gz", 357276, "Bacteroides dorei", BACTEROIDES),
    ("SGB1871_pangenome90.fna.gz", 28116, "Bacteroides ovatus", BACTEROIDES),
    ("SGB2301_pangenome90.fna.gz", 214856, "Alistipes finegoldii", ALISTIPES),
    ("SGB2091_pangenome90.fna.gz", 9000001, "Corynebacterium SGB2091", CORYNE),
    (None, 821, "Bacteroides vulgatus", BACTEROIDES),
]
TRUTH = {"s__Bacteroides_dorei": (357276, "B. dorei (indexed)"),
         "s__Bacteroides_vulgatus": (821, "B. vulgatus (not indexed)"),
         "unclassified": (0, "no organism")}

nodes = {1: (1, "no rank", "root")}
for _, tid, name, (ids, names) in SPECIES:
    parent = 1
    for rank, i, n in zip(RANKS, ids + [tid], names + [name]):
        nodes.setdefault(i, (parent, rank, n))
        parent = i
write_taxdump(os.path.join(OUT, "taxonomy"), nodes)
with open(os.path.join(OUT, "seqid2taxid.tsv"), "w") as m, open(os.path.join(OUT, "references.txt"), "w") as r:
    for fname, tid, _, _ in SPECIES:
        if fname is None:
            continue
        path = os.path.join(DEMO, fname)
        r.write(path + "\n")
        with gzip.open(path, "rt") as fa:
            for line in fa:
                if line.startswith(">"):
                    m.write(line[1:].split()[0] + "\t" + str(tid) + "\n")
with gzip.open(os.path.join(DEMO, "demo.fastq.gz"), "rt") as fq, open(os.path.join(OUT, "truth.tsv"), "w") as t:
    for i, line in enumerate(fq):
        if i % 4:
            continue
        name = line[1:].split()[0]
        tid, group = TRUTH[name.rsplit("_read", 1)[0]]
        t.write(f"{name}\t{tid}\t{group}\n")
