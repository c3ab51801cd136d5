#!/usr/bin/python3
"""Adapter-trimming accuracy from simulate.py reads (names carry the insert size).

For each read of length n with insert s, the planted adapter is the last n - min(s, n) bases.
Given the trimmed length L of the read in a tool's output (0 when the read is missing):
  adapter bases removed = n - max(L, min(s, n))    (recall = removed / planted)
  genomic bases removed = max(0, min(s, n) - L)    (false trimming)
Usage: evaluate_adapters.py LABEL IN_1.fq IN_2.fq OUT_1.fq[.gz] OUT_2.fq[.gz]
"""
import gzip
import sys


def lengths(path):
    opener = gzip.open if path.endswith(".gz") else open
    out = {}
    with opener(path, "rt") as f:
        while True:
            h = f.readline()
            if not h:
                break
            s = f.readline().rstrip("\n")
            f.readline()
            f.readline()
            out[h[1:].split()[0]] = len(s)
    return out


def main():
    label, in1, in2, out1, out2 = sys.argv[1:6]
    planted = removed = genomic = genomic_removed = reads_false = reads = reads_missed = 0
    for src, dst in ((in1, out1), (in2, out2)):
        inl = lengths(src)
        outl = lengths(dst)
        for name, n in inl.items():
            s = int(name.split(".ins")[1].split("/")[0])
            keep = min(s, n)
            L = outl.get(name, 0)
            reads += 1
            planted += n - keep
            removed += n - max(L, keep)
            genomic += keep
            g = max(0, keep - L)
            genomic_removed += g
            reads_false += g > 0
            reads_missed += L > keep
    print(f"{label}\tadapter_recall={removed / planted:.5f}\tadapter_bases={planted}\tremoved={removed}"
          f"\treads_with_adapter_left={reads_missed}\tfalse_trim_bases={genomic_removed}"
          f"\tfalse_trim_rate={genomic_removed / genomic:.6f}\treads_falsely_trimmed={reads_false}\treads={reads}")


if __name__ == "__main__":
    main()
