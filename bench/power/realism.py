#!/usr/bin/python3
"""Realism of `orbiome simulate`: simulated vs real reference-group statistics (issue #16).

For each template (a real table, its metadata, the reference group, the rank) this script
  1. writes the real table at that rank as TSV with `orbiome table collapse` / `table convert`,
  2. simulates a study of N reference samples (N = min(10 r, 200), r = real reference samples)
     with `orbiome simulate` (no effect; the one test sample is dropped),
  3. compares the simulated reference group with the real one:
     per-feature prevalence and mean relative abundance (Pearson r of the logs), library sizes
     (two-sample KS statistic), the mean-variance relation (slope of log variance on log mean of
     relative abundance, and Pearson r of log variances), pairwise Bray-Curtis dissimilarities
     of relative abundances (KS statistic), and the feature-feature Spearman correlations of the
     30 most prevalent features (Pearson r of the two sets of pairwise correlations);
  4. the noise ceiling of the prevalence and mean correlations: the same statistics for N real
     samples drawn with replacement from the real group (a perfect simulator of the real group
     would score about this; with many features seen in 1-2 samples it is well below 1, since
     both sides are then a handful of counts).
Usage: realism.py ORBIOME [SEED]   (prints a Markdown table)
"""
import gzip
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats
from scipy.spatial.distance import pdist

SHARED = os.path.join(os.path.dirname(__file__), "../../../shared/data")
RR5 = os.path.join(SHARED, "rr5/16S_fecal")
TEMPLATES = [
    # name, table, taxonomy, metadata, group column, reference level, rank
    ("RR-5 fecal, genus, ISS_G", f"{RR5}/otu_table.txt", f"{RR5}/tax_table.txt", f"{RR5}/meta_table.txt",
     "Treatment", "ISS_G", "genus"),
    ("RR-5 fecal, OTU, baseline", f"{RR5}/otu_table.txt", f"{RR5}/tax_table.txt", f"{RR5}/meta_table.txt",
     "Treatment", "baseline", ""),
    ("metagenomeSeq mouse, OTU, diet BK", f"{SHARED}/tables/metagenomeseq_mouse/mouseData_counts.tsv.gz", "",
     f"{SHARED}/tables/metagenomeseq_mouse/mouseData_pheno.tsv", "diet", "BK", ""),
    ("metagenomeSeq mouse, genus, diet BK", f"{SHARED}/tables/metagenomeseq_mouse/mouseData_counts.tsv.gz",
     f"{SHARED}/tables/metagenomeseq_mouse/mouseData_features.tsv.gz",
     f"{SHARED}/tables/metagenomeseq_mouse/mouseData_pheno.tsv", "diet", "BK", "genus"),
    ("GlobalPatterns, genus, all 26 samples", f"{SHARED}/tables/phyloseq/GlobalPatterns_otu_table.tsv",
     f"{SHARED}/tables/phyloseq/GlobalPatterns_taxonomy.tsv", None, "all", "all", "genus"),
]


def read_tsv_table(path):
    """orbiome TSV: '#' line, header feature_id, samples[, taxonomy]."""
    with open(path) as f:
        lines = [l.rstrip("\n").split("\t") for l in f if not l.startswith("#orbiome")]
    header = lines[0]
    ncol = len(header) - (1 if header[-1] == "taxonomy" else 0)
    samples = header[1:ncol]
    ids = [l[0] for l in lines[1:]]
    x = np.array([[float(v) for v in l[1:ncol]] for l in lines[1:]])
    return ids, samples, x


def read_metadata(path):
    with open(path) as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    head = [h.strip('"') for h in rows[0]]
    body = rows[1:]
    if len(head) == len(body[0]) - 1:  # R write.table: header lacks the first cell
        head = ["id"] + head
    return head, [[v.strip('"') for v in r] for r in body]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def summary(x):
    """x: features x samples counts -> relative abundances, totals."""
    tot = x.sum(axis=0)
    return x / tot, tot


def compare(real, sim):
    rr, rtot = summary(real)
    sr, stot = summary(sim)
    keep = (real > 0).any(axis=1)
    prev_r, prev_s = (real[keep] > 0).mean(axis=1), (sim[keep] > 0).mean(axis=1)
    mean_r, mean_s = rr[keep].mean(axis=1), sr[keep].mean(axis=1)
    ok = prev_s > 0
    out = {}
    out["features"] = int(keep.sum())
    out["prev_r"] = stats.pearsonr(np.log(prev_r[ok]), np.log(prev_s[ok]))[0]
    out["mean_r"] = stats.pearsonr(np.log(mean_r[ok]), np.log(mean_s[ok]))[0]
    out["depth_ks"] = stats.ks_2samp(rtot, stot).statistic
    var_r, var_s = rr[keep].var(axis=1, ddof=1), sr[keep].var(axis=1, ddof=1)
    v = ok & (var_r > 0) & (var_s > 0)
    out["mv_slope_real"] = np.polyfit(np.log(mean_r[v]), np.log(var_r[v]), 1)[0]
    out["mv_slope_sim"] = np.polyfit(np.log(mean_s[v]), np.log(var_s[v]), 1)[0]
    out["var_r"] = stats.pearsonr(np.log(var_r[v]), np.log(var_s[v]))[0]
    out["bc_ks"] = stats.ks_2samp(pdist(rr.T, "braycurtis"), pdist(sr.T, "braycurtis")).statistic
    out["bc_median"] = (np.median(pdist(rr.T, "braycurtis")), np.median(pdist(sr.T, "braycurtis")))
    top = np.argsort(-(real > 0).mean(axis=1), kind="stable")[:30]
    cr = stats.spearmanr(rr[top].T).correlation
    cs = stats.spearmanr(sr[top].T).correlation
    iu = np.triu_indices(len(top), 1)
    good = np.isfinite(cr[iu]) & np.isfinite(cs[iu])
    out["corr_r"] = stats.pearsonr(cr[iu][good], cs[iu][good])[0]
    return out


def main():
    orbiome = sys.argv[1]
    seed = sys.argv[2] if len(sys.argv) > 2 else "1"
    print("| template | r | features | N sim | prevalence r (log) | mean r (log) | library-size KS | "
          "mean-var slope real / sim | log-var r | Bray-Curtis KS | BC median real / sim | taxon-corr r | "
          "ceiling: prevalence r / mean r |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, table, tax, md, group, ref, rank in TEMPLATES:
            if md is None:  # one group of every sample
                _, samples, _ = read_tsv_table_raw(table)
                md = os.path.join(tmp, "all.tsv")
                with open(md, "w") as f:
                    f.write("sample_id\tall\n" + "".join(f"{s}\tall\n" for s in samples))
            if table.endswith(".gz"):  # the table readers take plain text
                plain = os.path.join(tmp, "table.tsv")
                with gzip.open(table, "rt") as src, open(plain, "w") as dst:
                    dst.write(src.read())
                table = plain
            if tax.endswith(".gz"):  # metagenomeSeq's feature table repeats the id as a last column
                plain = os.path.join(tmp, "taxonomy.tsv")
                with gzip.open(tax, "rt") as src, open(plain, "w") as dst:
                    for line in src:
                        f = line.rstrip("\n").split("\t")
                        dst.write("\t".join(f[:-1] if f[-1] == f[0] else f) + "\n")
                tax = plain
            real_tsv = os.path.join(tmp, "real.tsv")
            taxopt = ["--taxonomy", tax] if tax else []
            if rank:
                run([orbiome, "table", "collapse", "--table", table, *taxopt, "--rank", rank, "--out", real_tsv])
            else:
                run([orbiome, "table", "convert", table, real_tsv, *taxopt])
            head, rows = read_metadata(md)
            gi = head.index(group)
            ref_ids = {r[0] for r in rows if r[gi] == ref}
            ids, samples, x = read_tsv_table(real_tsv)
            cols = [i for i, s in enumerate(samples) if s in ref_ids]
            real = x[:, cols]
            r = len(cols)
            n = min(10 * r, 200)
            out_dir = os.path.join(tmp, "sim")
            run([orbiome, "simulate", "--table", real_tsv, "--metadata", md, "--group", group, "--reference", ref,
                 "--n", f"{n},1", "--seed", seed, "--out-dir", out_dir])
            sids, ssamples, sx = read_tsv_table(os.path.join(out_dir, "table.tsv"))
            index = {f: i for i, f in enumerate(sids)}
            sim = np.zeros((len(ids), n))
            for i, f in enumerate(ids):
                if f in index:
                    sim[i] = sx[index[f], :n]
            c = compare(real, sim)
            boot = real[:, np.random.default_rng(int(seed)).integers(0, r, n)]
            b = compare(real, boot)
            print(f"| {name} | {r} | {c['features']} | {n} | {c['prev_r']:.3f} | {c['mean_r']:.3f} | {c['depth_ks']:.3f} | "
                  f"{c['mv_slope_real']:.2f} / {c['mv_slope_sim']:.2f} | {c['var_r']:.3f} | {c['bc_ks']:.3f} | "
                  f"{c['bc_median'][0]:.3f} / {c['bc_median'][1]:.3f} | {c['corr_r']:.3f} | "
                  f"{b['prev_r']:.3f} / {b['mean_r']:.3f} |", flush=True)


def read_tsv_table_raw(path):
    with open(path) as f:
        for line in f:
            if line.startswith("#") and not line.startswith("#OTU"):
                continue
            head = line.rstrip("\n").split("\t")
            break
    samples = [h for h in head[1:] if h not in ("taxonomy", "Taxonomy")]
    return None, samples, None


if __name__ == "__main__":
    main()
