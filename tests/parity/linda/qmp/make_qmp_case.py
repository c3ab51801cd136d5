#!/usr/bin/python3
"""Builds a sequencing-like count table with a known absolute-abundance truth from ANCOM-BC's QMP
data (Vandeputte et al. 2017 quantitative microbiome profiling: absolute abundances, cells/g,
106 samples x 91 genera), as in ANCOM-BC's real-data-based simulations.

Cases (written to tests/data/diffabund/linda_qmp/):
  dcsc:  the real sample groups (sample-id prefix DC, 66 samples, vs SC, 40 samples);
  spike: a random 53/53 split (seed 5); in group B, 9 random genera of prevalence >= 50 % are
         multiplied by 4 in ABSOLUTE abundance (true log2 fold change 2, others 0).
Counts: per sample, a multinomial draw of depth U{10000..40000} from the relative abundances
(numpy default_rng(95)), i.e. what sequencing sees; the absolute table is kept as the truth.
Truth per genus: OLS log2 fold change of ABSOLUTE abundance, log2(a + c_i) with c_i = half the
genus's smallest non-zero absolute abundance (so zeros do not dominate).

Usage (in this folder): /usr/bin/python3 make_qmp_case.py /work/shared/data/tables/ancombc_qmp/QMP_ancombc.tsv
"""
import sys
import numpy as np

OUT = "../../../data/diffabund/linda_qmp/"


def read_qmp(path):
    lines = open(path).read().splitlines()
    taxa = lines[0].split("\t")[1:]
    samples, rows = [], []
    for line in lines[1:]:
        c = line.split("\t")
        samples.append(c[0])
        rows.append([float(v) for v in c[1:]])
    return samples, taxa, np.array(rows).T  # taxa x samples


def abs_lfc(a, group):
    x = np.column_stack([np.ones(a.shape[1]), group])
    out = []
    for row in a:
        c = 0.5 * row[row > 0].min()
        beta = np.linalg.lstsq(x, np.log2(row + c), rcond=None)[0]
        out.append(beta[1])
    return np.array(out)


def write_case(name, samples, taxa, a, group, labels, spiked):
    rng = np.random.default_rng(95)
    rel = a / a.sum(axis=0)
    counts = np.zeros_like(a)
    for j in range(a.shape[1]):
        counts[:, j] = rng.multinomial(int(rng.integers(10000, 40001)), rel[:, j])
    keep = counts.sum(axis=1) > 0  # genera never sequenced are not testable
    truth = abs_lfc(a, group)
    prev = (a > 0).mean(axis=1)
    with open(OUT + name + "_counts.tsv", "w") as f:
        f.write("#QMP (ANCOM-BC data/QMP.rda) absolute abundances sequenced in silico by make_qmp_case.py\n")
        f.write("feature_id\t" + "\t".join(samples) + "\n")
        for i in np.nonzero(keep)[0]:
            f.write(f"g{taxa[i]}\t" + "\t".join(str(int(v)) for v in counts[i]) + "\n")
    with open(OUT + name + "_metadata.tsv", "w") as f:
        f.write("sample-id\tgroup\n")
        for s, l in zip(samples, labels):
            f.write(f"{s}\t{l}\n")
    with open(OUT + name + "_truth.tsv", "w") as f:
        f.write("feature\tabsolute_log2fc\tprevalence\tspiked\n")
        for i in np.nonzero(keep)[0]:
            f.write(f"g{taxa[i]}\t{truth[i]:.17g}\t{prev[i]:.17g}\t{int(i in spiked)}\n")
    print(name, "genera kept", int(keep.sum()), "of", len(taxa), "; median truth", np.median(truth[keep]))


samples, taxa, a = read_qmp(sys.argv[1])
dc = np.array([1.0 if s.startswith("DC") else 0.0 for s in samples])
# test level "SC" vs reference "DC" (orbiome: 2nd sorted level vs 1st), so group = SC indicator
write_case("dcsc", samples, taxa, a, 1 - dc, ["DC" if v else "SC" for v in dc], set())

rng = np.random.default_rng(5)
labels = np.array(["A"] * 53 + ["B"] * 53)
rng.shuffle(labels)
prevalent = np.nonzero((a > 0).mean(axis=1) >= 0.5)[0]
spiked = set(int(i) for i in rng.choice(prevalent, 9, replace=False))
b = a.copy()
inb = labels == "B"
for i in spiked:
    b[i, inb] *= 4
write_case("spike", samples, taxa, b, inb.astype(float), list(labels), spiked)
