#!/usr/bin/python3
"""Runs `orbiome diff` (linda, wilcoxon) on the QMP cases and compares effects with the
absolute-abundance truth. Usage: compare_qmp.py ORBIOME OUTDIR  (in this folder)"""
import subprocess, sys
import numpy as np
import pandas as pd
sys.path.insert(0, "../rr5_genus")
from linda_reference import meanshift  # noqa: E402

orbiome, out = sys.argv[1:3]
D = "../../../data/diffabund/linda_qmp/"
for case, cmp in (("dcsc", "SC,DC"), ("spike", "B,A")):
    truth = pd.read_csv(D + case + "_truth.tsv", sep="\t", index_col=0)
    res = {}
    for m in ("linda", "wilcoxon"):
        o = f"{out}/{case}_{m}.tsv"
        subprocess.run([orbiome, "diff", "--table", D + case + "_counts.tsv", "--metadata", D + case + "_metadata.tsv",
                        "--formula", "group", "--compare", cmp, "--method", m, "--out", o], check=True)
        res[m] = pd.read_csv(o, sep="\t", comment="#", index_col=0)
        bias = [l for l in open(o) if "bias" in l]
        if bias:
            print(case, bias[0].strip()[:160])
    prev = truth["prevalence"] >= 0.5
    t = truth["absolute_log2fc"]
    mode_t = meanshift(t.values)
    print(f"{case}\tmode of the true absolute log2 fold changes (same mean-shift estimator) = {mode_t:+.3f}")
    for m, r in res.items():
        e = r["effect"].reindex(truth.index)
        d = (e - t)[prev]
        dm = (e - (t - mode_t))[prev]
        line = (f"{case}\t{m}\tn={prev.sum()}\tmedian(effect-truth)={d.median():+.3f}\tmedian|effect-truth|={d.abs().median():.3f}"
                f"\tmedian|effect-(truth-mode)|={dm.abs().median():.3f}\tpearson={np.corrcoef(e[prev], t[prev])[0, 1]:.3f}\tcalls(q<0.05)={(r['q_value'] < 0.05).sum()}")
        if case == "spike":
            sp = truth["spiked"] == 1
            q = r["q_value"].reindex(truth.index)
            line += f"\trecall={((q < 0.05) & (e > 0) & sp).sum()}/{sp.sum()}\tcalls_on_unspiked={((q < 0.05) & ~sp).sum()}"
        print(line)
