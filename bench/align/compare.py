#!/usr/bin/env python3
"""Compares two BLAST-tabular hit files (orbiome align vs DIAMOND blastx) read by read.

Usage: compare.py OURS.m8 DIAMOND.m8 [--truth TRUTH.tsv] [--min-identity 0]

Prints: reads aligned by each; of the reads DIAMOND aligns, the fraction whose best hit
(first line of the read) is the same protein in both (and the fraction where ours is one of
DIAMOND's best-scoring ties); the e-value ratio of the shared best hits (median, 99th
percentile, fraction within 10 %). With --truth (read<TAB>true protein id), the fraction of
all reads whose best hit is the true protein, for both tools.
"""
import sys, statistics, argparse

def best_hits(path, min_id):
    best, ties = {}, {}
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) < 12 or float(f[2]) < min_id:
            continue
        q, s, bits, ev = f[0], f[1], float(f[11]), float(f[10])
        if q not in best:
            best[q] = (s, bits, ev)
            ties[q] = {s}
        elif bits == best[q][1]:
            ties[q].add(s)
    return best, ties

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ours'); ap.add_argument('diamond')
    ap.add_argument('--truth'); ap.add_argument('--min-identity', type=float, default=0.0)
    ap.add_argument('--reads', type=int, default=0, help='total reads (for sensitivity)')
    a = ap.parse_args()
    ob, ot = best_hits(a.ours, a.min_identity)
    db, dt = best_hits(a.diamond, a.min_identity)
    same = sum(1 for q in db if q in ob and ob[q][0] == db[q][0])
    tie = sum(1 for q in db if q in ob and ob[q][0] in dt[q])
    ratios = sorted(ob[q][2] / db[q][2] for q in db if q in ob and ob[q][0] == db[q][0] and db[q][2] > 0 and ob[q][2] > 0)
    n = len(db)
    print(f"aligned_ours\t{len(ob)}")
    print(f"aligned_diamond\t{n}")
    print(f"diamond_reads_also_aligned_by_ours\t{sum(1 for q in db if q in ob)}")
    print(f"same_best_hit\t{same}\t{same / max(n, 1):.4f}")
    print(f"same_best_hit_or_tie\t{tie}\t{tie / max(n, 1):.4f}")
    if ratios:
        within = sum(1 for r in ratios if abs(r - 1) <= 0.10)
        print(f"evalue_ratio_median\t{statistics.median(ratios):.4f}")
        print(f"evalue_ratio_p01_p99\t{ratios[len(ratios) // 100]:.4f}\t{ratios[-1 - len(ratios) // 100]:.4f}")
        print(f"evalue_within_10pct\t{within}\t{within / len(ratios):.4f}")
    if a.reads:
        print(f"sensitivity_ours\t{len(ob) / a.reads:.4f}")
        print(f"sensitivity_diamond\t{n / a.reads:.4f}")
    if a.truth:
        truth = dict(l.rstrip('\n').split('\t')[:2] for l in open(a.truth))
        tot = len(truth)
        for name, b in (('ours', ob), ('diamond', db)):
            ok = sum(1 for q, t in truth.items() if q in b and b[q][0] == t)
            print(f"true_ortholog_best_hit_{name}\t{ok}\t{ok / max(tot, 1):.4f}")

main()
