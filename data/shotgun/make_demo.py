#!/usr/bin/python3
"""Makes the built-in shotgun demo study (`orbiome demo --study shotgun`) from real genomes.

Run once by a developer (needs ../shared/data/genomes, the PhiX genome of DADA2's extdata and
ART 2.5.8 `art_illumina`); its outputs are committed here and compiled into orbiome, so the demo
itself needs no files. Usage: make_demo.py SHARED_DATA PHIX_FASTA OUT_DIR

What it writes (see PROVENANCE.md):
  genomes.fa.gz    a 60 kb slice of each of six gut species (the reference the demo indexes)
  lineages.tsv, seqid2taxid.tsv   their taxonomy (NCBI taxids of genomes.tsv)
  phix.fa.gz       PhiX174, the sequencing spike-in the demo removes as "host" (+ its taxonomy:
                   phix.lineages.tsv, phix.seqid2taxid.tsv)
  reads/NAME_R{1,2}.fq.gz   400 ART HiSeq 2500 2x150 read pairs per sample, plus ~1 % PhiX pairs
  samples.tsv, metadata.tsv, truth.tsv (read pairs per sample and source)
Design: 5 "flight" (FLT) and 6 "ground" (GC) mice; GC6 is a failed library of 80 pairs (the
study's QC threshold leaves it out). Reads come from the six indexed species and
from Olsenella uli, which is not indexed (its reads must stay unclassified). Flight triples
Lactobacillus johnsonii and halves Akkermansia muciniphila against ground (RR-5's direction for
Lactobacillus); every sample's abundances carry log-normal noise (sd 0.3).
"""
import gzip
import os
import random
import subprocess
import sys
import tempfile

shared, phix_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
genomes = os.path.join(shared, "genomes")
SLICE = 60_000
PAIRS = 400
# code, file, taxid, lineage (domain..species), base abundance in ground animals
SPECIES = [
    ("Ljoh", "lactobacillus_cds/Ljoh.ffn.gz", 33959, "Bacteria;Firmicutes;Bacilli;Lactobacillales;Lactobacillaceae;Lactobacillus;Lactobacillus johnsonii", 0.10),
    ("Amuc", "akkermansia_muciniphila_ATCC_BAA-835.fa.gz", 239935, "Bacteria;Verrucomicrobia;Verrucomicrobiae;Verrucomicrobiales;Verrucomicrobiaceae;Akkermansia;Akkermansia muciniphila", 0.16),
    ("Pcop", "GCF_902167755.1_genomic.fna.gz", 165179, "Bacteria;Bacteroidetes;Bacteroidia;Bacteroidales;Prevotellaceae;Prevotella;Prevotella copri", 0.24),
    ("Esir", "GCF_000154325_Eubacterium_siraeum_DSM15702.fna.gz", 39492, "Bacteria;Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Ruminiclostridium;[Eubacterium] siraeum", 0.20),
    ("Cper", "GCA_000013285.1_ASM1328v1.fa.gz", 1502, "Bacteria;Firmicutes;Clostridia;Clostridiales;Clostridiaceae;Clostridium;Clostridium perfringens", 0.08),
    ("Ecol", "GCF_000005845.2_ASM584v2_genomic.fna.gz", 562, "Bacteria;Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Escherichia;Escherichia coli", 0.10),
]
NOT_INDEXED = ("Ouli", "GCA_000143845.1_ASM14384v1.fa.gz", 0.12)
FLIGHT_FOLD = {"Ljoh": 3.0, "Amuc": 0.5}
PHIX_FRACTION = 0.01


def read_fasta(path):
    seqs, name, parts = [], None, []
    with gzip.open(path, "rt") as f:
        for line in f:
            if line.startswith(">"):
                if name is not None:
                    seqs.append((name, "".join(parts)))
                name, parts = line[1:].split()[0], []
            else:
                parts.append(line.strip().upper())
    if name is not None:
        seqs.append((name, "".join(parts)))
    return seqs


def slice_of(path):
    """60 kb from the middle of the longest sequence (CDS sets: their genes joined in file order)."""
    seqs = read_fasta(path)
    if path.endswith(".ffn.gz"):
        whole = "".join(s for _, s in seqs)
    else:
        whole = max(seqs, key=lambda x: len(x[1]))[1]
    start = max(0, len(whole) // 2 - SLICE // 2)
    piece = whole[start:start + SLICE]
    return "".join(c if c in "ACGT" else "A" for c in piece)


def write_fasta(path, records):
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        for name, seq in records:
            f.write(f">{name}\n".encode())
            for i in range(0, len(seq), 80):
                f.write((seq[i:i + 80] + "\n").encode())


os.makedirs(os.path.join(out, "reads"), exist_ok=True)
slices = {code: slice_of(os.path.join(genomes, file)) for code, file, *_ in SPECIES}
slices[NOT_INDEXED[0]] = slice_of(os.path.join(genomes, NOT_INDEXED[1]))
write_fasta(os.path.join(out, "genomes.fa.gz"), [(f"demo_{c}", slices[c]) for c, *_ in SPECIES])
with open(os.path.join(out, "lineages.tsv"), "w") as f:
    f.write("taxid\tlineage\n" + "".join(f"{t}\t{lin}\n" for _, _, t, lin, _ in SPECIES))
with open(os.path.join(out, "seqid2taxid.tsv"), "w") as f:
    f.write("".join(f"demo_{c}\t{t}\n" for c, _, t, _, _ in SPECIES))
phix_seq = "".join(l.strip().upper() for l in open(phix_path) if not l.startswith(">"))
write_fasta(os.path.join(out, "phix.fa.gz"), [("phiX174", phix_seq)])
with open(os.path.join(out, "phix.lineages.tsv"), "w") as f:  # NCBI taxid 10847 and its ICTV lineage
    f.write("taxid\tlineage\n10847\tViruses;Phixviricota;Malgrandaviricetes;Petitvirales;Microviridae;"
            "Sinsheimervirus;Escherichia virus phiX174\n")
with open(os.path.join(out, "phix.seqid2taxid.tsv"), "w") as f:
    f.write("phiX174\t10847\n")

rng = random.Random(20261203)
base = {c: a for c, _, _, _, a in SPECIES}
base[NOT_INDEXED[0]] = NOT_INDEXED[2]
samples = [(f"FLT{i}", "FLT") for i in range(1, 6)] + [(f"GC{i}", "GC") for i in range(1, 7)]
# GC6 is a library that failed: 80 pairs, below the study's qc.min_reads, so the demo shows a
# sample stopped by a QC threshold.
pairs_of = {"GC6": 80}
truth_rows = []
with tempfile.TemporaryDirectory() as tmp:
    for si, (name, group) in enumerate(samples):
        weights = {c: a * (FLIGHT_FOLD.get(c, 1.0) if group == "FLT" else 1.0) * rng.lognormvariate(0, 0.3)
                   for c, a in base.items()}
        total = sum(weights.values())
        n_pairs = pairs_of.get(name, PAIRS)
        bio_pairs = n_pairs - round(n_pairs * PHIX_FRACTION)
        counts = {c: int(bio_pairs * w / total) for c, w in weights.items()}
        # Largest remainders get the pairs lost to rounding, so every sample has exactly PAIRS.
        rest = sorted(weights, key=lambda c: -(bio_pairs * weights[c] / total - counts[c]))
        for c in rest[:bio_pairs - sum(counts.values())]:
            counts[c] += 1
        counts["phiX"] = n_pairs - bio_pairs
        pairs = []
        for code, n in counts.items():
            if n == 0:
                continue
            seq = phix_seq if code == "phiX" else slices[code]
            ref = os.path.join(tmp, f"{code}.fa")
            with open(ref, "w") as f:
                f.write(f">{code}\n{seq}\n")
            prefix = os.path.join(tmp, f"{name}_{code}_")
            subprocess.run(["art_illumina", "-ss", "HS25", "-p", "-l", "150", "-m", "300", "-s", "30",
                            "-c", str(n), "-na", "-rs", str(1000 + 37 * si + len(code) * 7 + ord(code[0])),
                            "-i", ref, "-o", prefix], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            r1 = open(prefix + "1.fq").read().split("\n")
            r2 = open(prefix + "2.fq").read().split("\n")
            for i in range(0, len(r1) - 3, 4):
                pairs.append((r1[i:i + 4], r2[i:i + 4]))
            truth_rows.append((name, code, n))
        rng.shuffle(pairs)
        for mate in (0, 1):
            with gzip.GzipFile(os.path.join(out, "reads", f"{name}_R{mate + 1}.fq.gz"), "wb", mtime=0) as f:
                for p in pairs:
                    rec = p[mate]
                    f.write(f"{rec[0]}\n{rec[1]}\n+\n{rec[3]}\n".encode())

with open(os.path.join(out, "samples.tsv"), "w") as f:
    f.write("sample\treads\treads2\n" + "".join(f"{n}\treads/{n}_R1.fq.gz\treads/{n}_R2.fq.gz\n" for n, _ in samples))
with open(os.path.join(out, "metadata.tsv"), "w") as f:
    f.write("sample_id\tgroup\n" + "".join(f"{n}\t{g}\n" for n, g in samples))
with open(os.path.join(out, "truth.tsv"), "w") as f:
    f.write("sample\tsource\tread_pairs\n" + "".join(f"{s}\t{c}\t{n}\n" for s, c, n in truth_rows))
