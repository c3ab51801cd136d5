#!/usr/bin/python3
"""Where the reads of each truth group were classified (bench/profiler/real_reads.sh).

usage: evaluate_real.py NODES_DMP TRUTH_TSV TOOL PER_READ
  TRUTH_TSV: read name, truth species taxid (0 = not from an organism), group label
  PER_READ:  Kraken2-style per-read output (both tools); a "/1" or "/2" suffix is removed
Prints one TSV row per group: tool, group, reads, then counts of
  unclassified     no call
  species_ok       the call's species is the truth species
  species_false    the call has a species, another one
  genus_ok         no species in the call, its genus is the truth's genus
  genus_false      no species in the call, a genus other than the truth's
  above_genus      the call has no genus (family or higher)
  genus_correct    calls whose genus (of the species call or the call itself) is the truth's
A truth species that is not indexed can never be species_ok; genus_ok/genus_correct then say
whether its reads at least landed in the right genus.
"""
import sys
from collections import defaultdict

nodes_path, truth_path, tool, per_read = sys.argv[1:5]
parent, rank = {}, {}
for line in open(nodes_path):
    f = [x.strip() for x in line.split("|")]
    parent[int(f[0])] = int(f[1])
    rank[int(f[0])] = f[2]


def anc(t, r):
    while t in parent:
        if rank[t] == r:
            return t
        if parent[t] == t:
            return None
        t = parent[t]
    return None


truth, order = {}, []
for line in open(truth_path):
    name, tid, group = line.rstrip("\n").split("\t")
    truth[name] = (int(tid), group)
    if group not in order:
        order.append(group)
cols = ["unclassified", "species_ok", "species_false", "genus_ok", "genus_false", "above_genus", "genus_correct"]
count = defaultdict(lambda: dict.fromkeys(["reads"] + cols, 0))
for line in open(per_read):
    f = line.split("\t", 3)
    name = f[1][:-2] if f[1].endswith(("/1", "/2")) else f[1]
    if name not in truth:
        continue
    t, group = truth[name]
    c = count[group]
    c["reads"] += 1
    call = int(f[2])
    if call == 0:
        c["unclassified"] += 1
        continue
    sp, ge = anc(call, "species"), anc(call, "genus")
    tg = anc(t, "genus") if t else None
    if sp is not None:
        c["species_ok" if sp == t else "species_false"] += 1
    elif ge is not None:
        c["genus_ok" if ge == tg else "genus_false"] += 1
    else:
        c["above_genus"] += 1
    if ge is not None and ge == tg:
        c["genus_correct"] += 1
for g in order:
    print("\t".join([tool, g] + [str(count[g][k]) for k in ["reads"] + cols]))
