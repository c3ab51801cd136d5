#!/usr/bin/env bash
# Study designs of issue #17 on the RR-5 files `orbiome demo` writes, each a check that failed
# before the change:
#  - repeated measures: LAR mice (SamID) at final vs pre. design.subject gives diff's paired
#    Wilcoxon (equal to R's wilcox.test(paired = TRUE), tests/parity/r_blocked), the alpha
#    tests' paired form, and PERMANOVA strata; it was ignored by diff and alpha;
#  - covariates with `lm` (it was refused: only linda could adjust), the covariate's rows written;
#  - covariates with the ratio step on: an up-front error naming the step, nothing written (it
#    failed at the ratio step after tables, alpha and beta were written);
#  - a sample with fewer than 1,000 reads (the oral swab Pre3C4E, 590 reads, kept without
#    rarefaction) is named on stderr, in the manifest and in the report (it was analysed silently).
# Usage: bash study_designs.sh ORBIOME
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same
src=$(cd "$(dirname "$0")/../.." && pwd)
run "$bin" demo --out "$tmp/demo"
rr=$tmp/demo/inputs/rr5

# Repeated measures: the ten LAR mice before launch and at the end, the feature filter off so
# that relative abundances are R's (tests/parity/r_blocked/r_reference.R).
cat > "$rr/lar.toml" <<'TOML'
[study]
name = "LAR mice: final vs pre"
[inputs]
table = "16S_fecal/otu_table.txt"
taxonomy = "16S_fecal/tax_table.txt"
metadata = "16S_fecal/meta_table.txt"
[design]
group = "Time"
subject = "SamID"
[[comparisons]]
name = "final_vs_pre"
test = "final"
reference = "pre"
where = { Treatment = "LAR" }
[filter]
min_total = 0
[analysis]
ranks = ["genus"]
alpha = ["shannon", "observed"]
beta = ["braycurtis"]
diff_methods = ["wilcoxon"]
permutations = 99
TOML
run "$bin" run "$rr/lar.toml" --out "$tmp/lar"
/usr/bin/python3 - "$tmp/lar" "$src/tests/parity/r_blocked/lar_final_vs_pre_paired_wilcoxon.tsv" <<'PY' || die "LAR paired design"
import json, sys
out, ref_path = sys.argv[1:]
ref = {c[0]: (float(c[1]), float(c[2])) for c in (l.split("\t") for l in open(ref_path).read().splitlines()[1:])}
lines = open(out + "/diff/final_vs_pre.genus.wilcoxon.tsv").read().splitlines()
assert any("paired Wilcoxon signed-rank (R wilcox.test paired = TRUE), subject 'SamID': 10 subjects" in l for l in lines), lines[:6]
rows = [l.split("\t") for l in lines if not l.startswith("#")]
col = {c: i for i, c in enumerate(rows[0])}
seen = 0
for r in rows[1:]:
    if r[col["feature"]] in ref:
        v, p = ref[r[col["feature"]]]
        assert float(r[col["statistic"]]) == v and abs(float(r[col["p_value"]]) - p) <= 1e-12 * p, (r, v, p)
        seen += 1
assert seen == len(ref), (seen, len(ref))
alpha = [l.split("\t") for l in open(out + "/alpha/tests.tsv").read().splitlines()]
assert all(a[-1].startswith("paired Wilcoxon signed-rank") and "10 subjects" in a[-1] for a in alpha[1:]), alpha
m = json.load(open(out + "/manifest.json"))["methods"]
assert m["beta"]["permanova_strata"]["final_vs_pre"] == "SamID", m["beta"]
assert m["diff"]["subject"]["final_vs_pre/wilcoxon"] == "SamID", m["diff"]
PY

# The same with two threads: byte-identical results.
run "$bin" run "$rr/lar.toml" --out "$tmp/lar2" --threads 2
for f in diff/final_vs_pre.genus.wilcoxon.tsv alpha/tests.tsv beta/permanova.tsv; do
  cmp -s "$tmp/lar/$f" "$tmp/lar2/$f" || die "$f differs with --threads 2"
done

# Covariates with lm: allowed, one row per feature and term, the covariate's too.
# (RR-5's cages nest in treatments: final vs pre over all mice, adjusted for the treatment.)
sed 's/^subject = .*/&\ncovariates = ["Treatment"]/; s/^diff_methods = .*/diff_methods = ["lm"]/; s/^alpha = .*/alpha = []/; /^where = /d' \
  "$rr/lar.toml" > "$rr/lm.toml"
run "$bin" run "$rr/lm.toml" --out "$tmp/lm"
grep -qP '\tTreatmentLAR$' "$tmp/lm/diff/final_vs_pre.genus.lm.tsv" || die "lm with covariates: no Treatment rows"
grep -q 'SamID' "$tmp/lm/diff/final_vs_pre.genus.lm.tsv" || die "lm with covariates: no subject random intercept"

# Covariates with the ratio step on: up front, nothing written.
sed 's/^subject = .*/&\ncovariates = ["Cage"]/; s/^alpha = .*/alpha = []/; s/^diff_methods = .*/diff_methods = ["linda"]/' \
  "$rr/fecal.toml" > "$rr/cov_ratio.toml"
"$bin" run "$rr/cov_ratio.toml" --out "$tmp/cov_ratio" >/dev/null 2>"$tmp/e"
[[ $? -eq 65 ]] && grep -q "cov_ratio.toml:[0-9]*: step ratio: its tests (Welch, Wilcoxon) cannot adjust for design.covariates" "$tmp/e" \
  || die "covariates with ratio: $(cat "$tmp/e")"
[[ -e $tmp/cov_ratio ]] && die "covariates with ratio: output written"

# A shallow sample kept (no rarefaction): warned on stderr, in the manifest and the report.
sed '/^\[rarefy\]/,/^seed/d' "$rr/oral.toml" > "$rr/shallow.toml"
grep -q '^depth' "$rr/shallow.toml" && die "the oral study's [rarefy] was not removed"
"$bin" run "$rr/shallow.toml" --out "$tmp/shallow" >/dev/null 2>"$tmp/e" || die "shallow run: $(cat "$tmp/e")"
grep -q 'warning: sample Pre3C4E has only 590 reads (below 1000)' "$tmp/e" || die "no low-depth warning: $(cat "$tmp/e")"
[[ $(grep -c 'warning' "$tmp/e") -eq 1 ]] || die "low-depth warnings for deep samples: $(cat "$tmp/e")"
grep -q '"sample": "Pre3C4E"' "$tmp/shallow/manifest.json" || die "low-depth sample not in manifest.json"
grep -q 'Pre3C4E' "$tmp/shallow/report.html" || die "low-depth sample not in the report"
[[ $fail -eq 0 ]] && echo "study designs: paired subjects = R, lm covariates, ratio refused up front, shallow sample named"
exit $fail
