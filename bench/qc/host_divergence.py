#!/usr/bin/python3
"""Breaks down the E. coli pairs that host depletion against a related host lost, by how far each
pair is from the host genome (bench/qc/host.sh).

usage: host_divergence.py DIR KEPT...
DIR holds self_1.tsv, self_2.tsv (read name, bowtie2 edit distance to E. coli, NA if unaligned)
and host_1.tsv, host_2.tsv (the same against the host). A mate's divergence from the host is its
edit distance to the host minus that to its own genome (which holds its sequencing errors); a
pair's is its closer mate's, since a pair is removed when either mate looks like host. KEPT are
files of kept pair names, one per tool. Prints, per divergence class, all E. coli pairs and the
pairs each tool lost.
"""
import collections
import sys


def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            name, nm = line.rstrip("\n").split("\t")
            out[name] = None if nm == "NA" else int(nm)
    return out


def divergence_class(d):
    if d is None:
        return "no alignment to host"
    for hi, label in ((1, "0-1"), (3, "2-3"), (6, "4-6")):
        if d <= hi:
            return label + " differences"
    return ">6 differences"


def main():
    folder, kept_files = sys.argv[1], sys.argv[2:]
    div = {}
    for m in "12":
        own, host = load(f"{folder}/self_{m}.tsv"), load(f"{folder}/host_{m}.tsv")
        for name, nm in own.items():
            h = host.get(name)
            d = None if h is None or nm is None else max(0, h - nm)
            if name not in div or (d is not None and (div[name] is None or d < div[name])):
                div[name] = d
    classes = {name: divergence_class(d) for name, d in div.items()}
    order = ["0-1 differences", "2-3 differences", "4-6 differences", ">6 differences", "no alignment to host"]
    lost = []
    for path in kept_files:
        with open(path) as f:
            kept = {line.strip() for line in f}
        lost.append(collections.Counter(c for name, c in classes.items() if name not in kept))
    everyone = collections.Counter(classes.values())
    print("E. coli pairs by divergence from the host", "all", *kept_files, sep="\t")
    for c in order:
        print(c, everyone[c], *(x[c] for x in lost), sep="\t")
    print("total", len(classes), *(sum(x.values()) for x in lost), sep="\t")


if __name__ == "__main__":
    main()
