#!/usr/bin/python3
"""Regenerates tests/data/profiler/ from ../shared/data/genomes (run from the repo root):
   /usr/bin/python3 tests/data/profiler/make_data.py ../shared/data/genomes tests/data/profiler
Three 30 kb slices of real genomes, a lineage TSV, an NCBI-style dump, a seqid2taxid map and
reads with known origin (exact slices, a reverse complement, a mutated read, a chimera, random,
short and all-N reads)."""
import gzip, os, random, sys

src, out = sys.argv[1], sys.argv[2]
SLICES = [  # file, first sequence id, start, new id, taxid
    ("GCF_000005845.2_ASM584v2_genomic.fna.gz", 1_000_000, "ecoli_MG1655_1000000", 562),
    ("GCF_000006945.1_ASM694v1_genomic.fna.gz", 1_000_000, "salmonella_LT2_1000000", 28901),
    ("akkermansia_muciniphila_ATCC_BAA-835.fa.gz", 500_000, "akkermansia_BAA835_500000", 239935),
]
LEN = 30_000
seqs = {}
for fname, start, sid, _ in SLICES:
    with gzip.open(os.path.join(src, fname), "rt") as f:
        f.readline()
        buf = []
        n = 0
        for line in f:
            if line.startswith(">"):
                break
            buf.append(line.strip())
            n += len(buf[-1])
            if n > start + LEN:
                break
    seqs[sid] = "".join(buf)[start:start + LEN].upper()
for i, (fname, start, sid, _) in enumerate(SLICES):
    with open(os.path.join(out, f"ref{i + 1}.fa"), "w") as f:
        s = seqs[sid]
        f.write(f">{sid} slice {start}-{start + LEN} of {fname}\n")
        for j in range(0, len(s), 70):
            f.write(s[j:j + 70] + "\n")
with open(os.path.join(out, "seqid2taxid.tsv"), "w") as f:
    for _, _, sid, tid in SLICES:
        f.write(f"{sid}\t{tid}\n")
with open(os.path.join(out, "seqid2taxid_strain.tsv"), "w") as f:  # Akkermansia at strain level
    for _, _, sid, tid in SLICES:
        f.write(f"{sid}\t{349741 if tid == 239935 else tid}\n")
with open(os.path.join(out, "lineages.tsv"), "w") as f:
    f.write("taxid\tlineage\n")
    f.write("562\tk__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Enterobacteriales;f__Enterobacteriaceae;g__Escherichia;s__Escherichia coli\n")
    f.write("28901\tk__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Enterobacteriales;f__Enterobacteriaceae;g__Salmonella;s__Salmonella enterica\n")
    f.write("239935\tk__Bacteria;p__Verrucomicrobia;c__Verrucomicrobiae;o__Verrucomicrobiales;f__Akkermansiaceae;g__Akkermansia;s__Akkermansia muciniphila\n")
nodes = [(1, 1, "no rank", "root"), (2, 1, "superkingdom", "Bacteria"), (1224, 2, "phylum", "Proteobacteria"),
         (1236, 1224, "class", "Gammaproteobacteria"), (91347, 1236, "order", "Enterobacteriales"),
         (543, 91347, "family", "Enterobacteriaceae"), (561, 543, "genus", "Escherichia"),
         (562, 561, "species", "Escherichia coli"), (590, 543, "genus", "Salmonella"),
         (28901, 590, "species", "Salmonella enterica"), (74201, 2, "phylum", "Verrucomicrobia"),
         (203494, 74201, "class", "Verrucomicrobiae"), (48461, 203494, "order", "Verrucomicrobiales"),
         (1647988, 48461, "family", "Akkermansiaceae"), (239934, 1647988, "genus", "Akkermansia"),
         (239935, 239934, "species", "Akkermansia muciniphila"), (349741, 239935, "strain", "Akkermansia muciniphila ATCC BAA-835")]
os.makedirs(os.path.join(out, "taxdump"), exist_ok=True)
with open(os.path.join(out, "taxdump", "nodes.dmp"), "w") as f:
    for t, p, r, _ in nodes:
        f.write(f"{t}\t|\t{p}\t|\t{r}\t|\t\t|\n")
with open(os.path.join(out, "taxdump", "names.dmp"), "w") as f:
    for t, _, _, n in nodes:
        f.write(f"{t}\t|\t{n}\t|\t\t|\tscientific name\t|\n")

rng = random.Random(20240601)
comp = str.maketrans("ACGT", "TGCA")
e, s, a = seqs["ecoli_MG1655_1000000"], seqs["salmonella_LT2_1000000"], seqs["akkermansia_BAA835_500000"]
mut = list(a[12000:12150])
for p in (20, 60, 100, 140):
    mut[p] = "A" if mut[p] != "A" else "C"
reads = [
    ("ecoli_exact", e[5000:5150]),
    ("salmonella_revcomp", s[20000:20150].translate(comp)[::-1]),
    ("akkermansia_4_mismatches", "".join(mut)),
    ("random", "".join(rng.choice("ACGT") for _ in range(150))),
    ("chimera_ecoli_salmonella", e[8000:8075] + s[8000:8075]),
    ("short_20bp", e[100:120]),
    ("all_N", "N" * 150),
    ("ecoli_with_N_run", e[15000:15070] + "NNNNNNNNNN" + e[15080:15150]),
]
with open(os.path.join(out, "reads.fq"), "w") as f:
    for name, seq in reads:
        f.write(f"@{name}\n{seq}\n+\n{'I' * len(seq)}\n")
# Mates: mate 2 is the reverse complement of the slice 250 bases downstream.
with open(os.path.join(out, "pairs_1.fq"), "w") as f1, open(os.path.join(out, "pairs_2.fq"), "w") as f2:
    for i, (sid, seq) in enumerate([("e", e), ("s", s), ("a", a)] * 20):
        st = 1000 * i % (LEN - 500)
        f1.write(f"@pair{i}_{sid}/1\n{seq[st:st + 150]}\n+\n{'I' * 150}\n")
        m2 = seq[st + 250:st + 400].translate(comp)[::-1]
        f2.write(f"@pair{i}_{sid}/2\n{m2}\n+\n{'I' * 150}\n")
