#!/usr/bin/python3
"""Simulates Illumina-like paired reads from real genomes with known truth (fixed seed).

Each pair comes from a fragment ("insert") drawn from one genome. When the insert is shorter
than the read, the sequencer reads through into the TruSeq adapter (read 1: the read-1 adapter,
read 2: the read-2 adapter) and then into random bases, so the planted adapter starts exactly at
the insert length. Qualities follow a declining profile with random dips (so quality trimming has
work to do); substitution errors are drawn from the qualities.

Read names carry the truth: <source>.<index>.ins<insert>/1 and /2, where source is the genome's
label ("host" for --host genomes). Usage:

  simulate.py --out PREFIX --pairs N --seed S [--short-fraction F] [--host FASTA...] [--host-pairs N] GENOME.fa.gz...

writes PREFIX_1.fq and PREFIX_2.fq.
"""
import argparse
import gzip
import random

ADAPTER1 = "AGATCGGAAGAGCACACGTCTGAACTCCAGTCA"
ADAPTER2 = "AGATCGGAAGAGCGTCGTGTAGGGAAAGAGTGT"
COMP = str.maketrans("ACGTacgtN", "TGCAtgcaN")


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    seqs, cur = [], []
    with opener(path, "rt") as f:
        for line in f:
            if line.startswith(">"):
                if cur:
                    seqs.append("".join(cur).upper())
                cur = []
            else:
                cur.append(line.strip())
    if cur:
        seqs.append("".join(cur).upper())
    return "N".join(seqs)


def revcomp(s):
    return s.translate(COMP)[::-1]


def quals(rng, n):
    q = []
    for i in range(n):
        base = 38 - 18 * (i / n) ** 2  # declining towards the 3' end
        v = int(rng.gauss(base, 4))
        if rng.random() < 0.01:
            v = rng.randint(2, 12)  # isolated dips
        q.append(max(2, min(41, v)))
    if rng.random() < 0.15:  # a tail that collapses
        start = rng.randint(n // 2, n - 1)
        for i in range(start, n):
            q[i] = rng.randint(2, 15)
    return q


def add_errors(rng, s, q):
    out = list(s)
    for i, v in enumerate(q):
        if rng.random() < 10 ** (-v / 10):
            out[i] = rng.choice([b for b in "ACGT" if b != out[i]])
    return "".join(out)


def simulate(rng, genomes, labels, n, read_len, short_fraction, start, f1, f2):
    total = sum(len(g) for g in genomes)
    weights = [len(g) / total for g in genomes]
    i = 0
    while i < n:
        gi = rng.choices(range(len(genomes)), weights)[0]
        g = genomes[gi]
        if rng.random() < short_fraction:
            insert = rng.randint(10, read_len - 1)
        else:
            insert = max(read_len, int(rng.gauss(350, 60)))
        if insert >= len(g):
            continue
        pos = rng.randrange(0, len(g) - insert)
        frag = g[pos:pos + insert]
        if "N" in frag:
            continue
        if rng.random() < 0.5:
            frag = revcomp(frag)
        tail1 = "".join(rng.choice("ACGT") for _ in range(read_len))
        tail2 = "".join(rng.choice("ACGT") for _ in range(read_len))
        r1 = (frag + ADAPTER1 + tail1)[:read_len]
        r2 = (revcomp(frag) + ADAPTER2 + tail2)[:read_len]
        q1, q2 = quals(rng, read_len), quals(rng, read_len)
        r1, r2 = add_errors(rng, r1, q1), add_errors(rng, r2, q2)
        name = f"{labels[gi]}.{start + i}.ins{insert}"
        f1.write(f"@{name}/1\n{r1}\n+\n{''.join(chr(v + 33) for v in q1)}\n")
        f2.write(f"@{name}/2\n{r2}\n+\n{''.join(chr(v + 33) for v in q2)}\n")
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--pairs", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--read-length", type=int, default=150)
    ap.add_argument("--short-fraction", type=float, default=0.3)
    ap.add_argument("--host", nargs="*", default=[])
    ap.add_argument("--host-pairs", type=int, default=0)
    ap.add_argument("genomes", nargs="+")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    genomes = [load(p) for p in a.genomes]
    labels = [p.split("/")[-1].split(".")[0].replace("_", "-") for p in a.genomes]
    with open(a.out + "_1.fq", "w") as f1, open(a.out + "_2.fq", "w") as f2:
        if a.host:
            host = [load(p) for p in a.host]
            simulate(rng, host, ["host"] * len(host), a.host_pairs, a.read_length, a.short_fraction, 0, f1, f2)
        simulate(rng, genomes, labels, a.pairs, a.read_length, a.short_fraction, a.host_pairs, f1, f2)


if __name__ == "__main__":
    main()
