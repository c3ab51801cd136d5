"""Plots scaling.tsv (bench/amplicon/scaling.sh): reads vs denoising seconds for orbiome and
DADA2 1.26, log-log, with the fitted exponent of each. Usage: plot_scaling.py TSV SVG"""
import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def slope(xs, ys):
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
reads = [int(r["reads"]) for r in rows]
fig, ax = plt.subplots(figsize=(6, 4))
for key, label, style in (("orbiome_s", "orbiome", "o-"), ("dada2_s", "DADA2 1.26 (R)", "s--")):
    ys = [float(r[key]) for r in rows]
    ax.plot(reads, ys, style, label=f"{label}: time ~ reads^{slope(reads, ys):.2f}")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("reads in the sample (forward, before filtering)")
ax.set_ylabel("wall seconds, best of N")
ax.set_title("Per-sample denoising cost, MiSeq SOP, 2 threads\n"
             "orbiome: whole amplicon denoise; DADA2: learnErrors + dada in R", fontsize=9)
ax.legend()
fig.tight_layout()
fig.savefig(sys.argv[2])
