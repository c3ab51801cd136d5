#!/usr/bin/env python3
"""Labels of N DADA2 assignTaxonomy runs (dada2_taxonomy_runs.R) against orbiome's taxonomy.tsv:
how many ASVs change label between DADA2 runs, and per run how many differ from orbiome, of
which how many have every level's DADA2 bootstrap more than 5 from the cutoff 50.
Usage: compare_taxonomy.py ORBIOME_TAXONOMY_TSV RUN_DIR N"""
import csv
import sys

orb = {r["Feature ID"]: r["Taxon"] for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
runs = [{r["id"]: (r["taxon"], float(r["near"])) for r in csv.DictReader(open("%s/run%d.tsv" % (sys.argv[2], k)), delimiter="\t")}
        for k in range(1, int(sys.argv[3]) + 1)]
ids = list(runs[0])
vary = {i for i in ids if len({run[i][0] for run in runs}) > 1}
print("ASVs %d; label differs between the %d DADA2 runs: %d" % (len(ids), len(runs), len(vary)))
for k, run in enumerate(runs, 1):
    diff = [i for i in ids if run[i][0] != orb[i]]
    print("run %d: %d differ from orbiome, %d of them with every bootstrap > 5 from 50" %
          (k, len(diff), sum(run[i][1] > 5 for i in diff)))
print("same label in every DADA2 run but not orbiome's: %d" % sum(runs[0][i][0] != orb[i] for i in ids if i not in vary))
