#!/usr/bin/python3
"""False positives and power of `orbiome diff` methods (linda, wilcoxon, welch) on real RR-5 fecal samples (genus level).

Usage: fp_power.py ORBIOME GENUS_TABLE METADATA OUTDIR [N_RELABEL] [N_SPIKE]
Env LINDA_ARGS: extra arguments for the linda runs (e.g. "--zero-handling adaptive").
Each false-positive fraction is printed with its 95 % Clopper-Pearson interval.
- false positives: the 60 Time=final samples get random 30/30 labels (seed i); the fraction of
  relabelings with any q < 0.05 per method (no true difference exists between the random
  labels, but the 60 samples hold 5 real treatment groups, and a random 30/30 split that happens
  to be unbalanced across them carries part of a real difference);
- stratified false positives: the same count of relabelings, each treatment group split half/half
  between A and B, so the labels are orthogonal to the real treatments.
- power: random 30/30 labels, then 10 random genera with prevalence >= 50% are multiplied by a
  factor drawn from [2, 4] in group B (counts rounded); recall = spiked genera with q < 0.05 and
  the right sign; false calls among the others are counted too.
"""
import os, random, subprocess, sys
import pandas as pd
from scipy.stats import beta

orbiome, table, meta, out = sys.argv[1:5]
n_relabel = int(sys.argv[5]) if len(sys.argv) > 5 else 200
n_spike = int(sys.argv[6]) if len(sys.argv) > 6 else 50
methods = ["linda", "wilcoxon", "welch"]
linda_args = os.environ.get("LINDA_ARGS", "").split()
os.makedirs(out, exist_ok=True)
counts = pd.read_csv(table, sep="\t", comment="#", index_col=0)
tax = counts.pop("taxonomy")
md = pd.read_csv(meta, sep="\t", index_col=0)
finals = [s for s in counts.columns if md.loc[s, "Time"] == "final"]
counts = counts[finals]

def run(tab, labels, method):
    tp, mp, rp = f"{out}/t.tsv", f"{out}/m.tsv", f"{out}/r.tsv"
    t = tab.copy(); t["taxonomy"] = tax
    t.to_csv(tp, sep="\t", index_label="feature_id")
    pd.DataFrame({"grp": labels}, index=finals).to_csv(mp, sep="\t", index_label="sample-id")
    subprocess.run([orbiome, "diff", "--table", tp, "--metadata", mp, "--formula", "grp", "--compare", "B,A",
                    "--method", method, "--out", rp] + (linda_args if method == "linda" else []), check=True)
    return pd.read_csv(rp, sep="\t", comment="#", index_col=0)

def labels_for(seed):
    rng = random.Random(seed)
    lab = ["A"] * 30 + ["B"] * 30
    rng.shuffle(lab)
    return lab

def stratified_labels(seed):
    rng = random.Random(seed)
    lab = {}
    for t in sorted(set(md.loc[finals, "Treatment"])):
        members = [s for s in finals if md.loc[s, "Treatment"] == t]
        half = ["A"] * (len(members) // 2) + ["B"] * (len(members) - len(members) // 2)
        rng.shuffle(half)
        lab.update(zip(members, half))
    return [lab[s] for s in finals]

fp = {m: 0 for m in methods}
fp_strat = {m: 0 for m in methods}
for i in range(n_relabel):
    lab = labels_for(i)
    strat = stratified_labels(20_000 + i)
    for m in methods:
        fp[m] += (run(counts, lab, m)["q_value"] < 0.05).any()
        fp_strat[m] += (run(counts, strat, m)["q_value"] < 0.05).any()
prevalent = [f for f in counts.index if (counts.loc[f] > 0).mean() >= 0.5]
hits = {m: 0 for m in methods}; other = {m: 0 for m in methods}; total = 0
for i in range(n_spike):
    rng = random.Random(10_000 + i)
    lab = labels_for(10_000 + i)
    spiked = rng.sample(prevalent, 10)
    t = counts.copy()
    inb = [s for s, l in zip(finals, lab) if l == "B"]
    for f in spiked:
        t.loc[f, inb] = (t.loc[f, inb] * rng.uniform(2, 4)).round()
    total += len(spiked)
    for m in methods:
        r = run(t, lab, m)
        hits[m] += sum((r.loc[f, "q_value"] < 0.05) and (r.loc[f, "effect"] > 0) for f in spiked)
        other[m] += int(((r["q_value"] < 0.05) & ~r.index.isin(spiked)).sum())
def ci(k, n):
    lo = beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0
    hi = beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
    return f"[{lo:.3f}, {hi:.3f}]"

for m in methods:
    print(f"{m}\tfp_fraction={fp[m] / n_relabel:.3f} ({fp[m]}/{n_relabel}) 95% CI {ci(fp[m], n_relabel)}"
          f"\tfp_stratified={fp_strat[m] / n_relabel:.3f} ({fp_strat[m]}/{n_relabel})\trecall={hits[m] / total:.3f} ({hits[m]}/{total})"
          f"\tcalls_on_unspiked_per_run={other[m] / n_spike:.2f}")
