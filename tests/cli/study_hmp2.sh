#!/usr/bin/env bash
# A whole study on HMP2 (issue #17), run as a user would: MaAsLin2's HMP2 extdata as shipped
# (../shared/data/tables/maaslin2_hmp2: 87 species as proportions, samples as ROWS; metadata
# whose id column is `ID`; 19 samples without `age`; 130 subjects sampled repeatedly). All
# 1,595 samples and 87 species are used (the frozen references are on them; ~10 s, most of it
# the PCoA of 1,576 samples). Two study files written here:
#  1. antibiotics (Yes vs No) with covariates diagnosis and age and subject: the LinDA rows of
#     every species equal lmerTest 3.1.3 on LinDA's CLR (tests/parity/lmertest/
#     hmp2_lmer_converged.tsv; the same fixed effects in another order) once the bias the
#     header lists is added back, to 1e-6; PERMANOVA tests antibiotics after diagnosis and age
#     on the 1,576 samples with age (19 counted as dropped), with free permutations since not
#     every subject was sampled both on and off antibiotics (docs/study.md), and the manifest
#     says so; no low-depth warning for a table of proportions;
#  2. the same without covariates: the alpha tests use the subjects (paired Wilcoxon on each
#     subject's mean, 47 subjects sampled in both groups) and equal R's wilcox.test(paired =
#     TRUE) (tests/parity/r_blocked/hmp2_antibiotics_alpha_paired.tsv) to 1e-12.
# Both reports are opened in Chromium (tests/browser/report_check.js) when it is installed.
# Skips (77) without ../shared/data. Usage: bash study_hmp2.sh ORBIOME
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "${ORBIOME_SHARED_DATA:-$src/../shared/data}" 2>/dev/null && pwd) || shared=/nonexistent
h=$shared/tables/maaslin2_hmp2
[[ -s $h/HMP2_taxonomy.tsv && -s $h/HMP2_metadata.tsv ]] || { echo "skip: $h is absent"; exit 77; }

study() {  # study NAME EXTRA_DESIGN ALPHA BETA DIFF
  cat > "$tmp/$1.toml" <<TOML
[study]
name = "HMP2 (IBDMDB): antibiotics"
[inputs]
table = "$h/HMP2_taxonomy.tsv"
metadata = "$h/HMP2_metadata.tsv"
[design]
group = "antibiotics"
subject = "subject"
$2
[[comparisons]]
name = "antibiotics"
test = "Yes"
reference = "No"
[filter]
min_total = 0
[analysis]
ranks = ["feature"]
alpha = $3
beta = $4
diff_methods = $5
permutations = 99
TOML
  "$bin" run "$tmp/$1.toml" --out "$tmp/$1" >"$tmp/$1.out" 2>"$tmp/$1.err" || { cat "$tmp/$1.err"; exit 1; }
}

study covariates 'covariates = ["diagnosis", "age"]' '[]' '["braycurtis"]' '["linda"]'
d=$tmp/covariates
grep -q 'warning' "$d.err" && die "warnings on a table of proportions: $(head -2 "$d.err")"
/usr/bin/python3 - "$d" "$src/tests/parity/lmertest/hmp2_lmer_converged.tsv" "$h/HMP2_metadata.tsv" <<'PY' || die "HMP2 covariates study"
import json, re, sys
out, ref_path, md_path = sys.argv[1:]
lines = open(out + "/diff/antibiotics.feature.linda.tsv").read().splitlines()
bias = dict(re.findall(r"(\S+) (-?[0-9.e-]+)", lines[[i for i, l in enumerate(lines) if "bias (mode" in l][0]].split("per term:")[1].replace(";", "")))
rows = [l.split("\t") for l in lines if not l.startswith("#")]
col = {c: i for i, c in enumerate(rows[0])}
ref = {}
for l in open(ref_path).read().splitlines()[1:]:
    c = l.split("\t")
    ref[(c[0], c[1])] = [float(x) for x in c[2:]]
assert "#samples left out for a missing covariate or subject value: 19" in lines, lines[:8]
checked = 0
for r in rows[1:]:
    term = r[col["term"]]
    if term not in ("antibioticsYes", "age"):
        continue  # diagnosis has CD as reference here, nonIBD in the reference fits
    est, se = ref[(r[col["feature"]], term)][:2]
    raw = float(r[col["effect"]]) + float(bias[term])
    assert abs(raw - est) <= 1e-6 * max(abs(est), se), (r[col["feature"]], term, raw, est)
    assert abs(float(r[col["se"]]) - se) <= 1e-6 * se, (r[col["feature"]], term, r[col["se"]], se)
    checked += 1
assert checked == 2 * 87, checked
m = json.load(open(out + "/manifest.json"))["methods"]
assert m["diff"]["subject"]["antibiotics/linda"] == "subject", m["diff"]
assert m["beta"]["permanova_strata"]["antibiotics"] == "none", m["beta"]
assert m["beta"]["samples_missing_a_covariate_or_subject"]["antibiotics"] == 19, m["beta"]
perm = [l.split("\t") for l in open(out + "/beta/permanova.tsv").read().splitlines()]
assert [p[2] for p in perm[1:]] == ["diagnosis", "age", "antibiotics", "Residual", "Total"], perm
assert perm[4][3] == "1571" and perm[5][3] == "1575", perm  # 1,576 samples with age
# Why no strata: a subject sampled only on or only off antibiotics would never move.
md = [l.split("\t") for l in open(md_path).read().splitlines()]
s, a = md[0].index("subject"), md[0].index("antibiotics")
groups = {}
for r in md[1:]:
    groups.setdefault(r[s], set()).add(r[a])
assert any(len(g) == 1 for g in groups.values()) and any(len(g) == 2 for g in groups.values())
PY

study alpha '' '["simpson", "shannon"]' '[]' '["wilcoxon"]'
d=$tmp/alpha
/usr/bin/python3 - "$d" "$src/tests/parity/r_blocked/hmp2_antibiotics_alpha_paired.tsv" <<'PY' || die "HMP2 alpha tests with subject"
import sys
out, ref_path = sys.argv[1:]
ref = {c[0]: c for c in (l.split("\t") for l in open(ref_path).read().splitlines()[1:])}
rows = [l.split("\t") for l in open(out + "/alpha/tests.tsv").read().splitlines()]
col = {c: i for i, c in enumerate(rows[0])}
assert len(rows) == 3, rows
for r in rows[1:]:
    want = ref[r[col["metric"]]]
    assert r[col["method"]].startswith("paired Wilcoxon signed-rank") and " 47 subjects" in r[col["method"]], r
    assert float(r[col["statistic"]]) == float(want[2]), (r, want)
    assert abs(float(r[col["p_value"]]) - float(want[3])) <= 1e-12 * float(want[3]), (r, want)
PY
grep -q "paired Wilcoxon signed-rank (R wilcox.test paired = TRUE) on the mean of each subject 'subject'" \
  "$d/diff/antibiotics.feature.wilcoxon.tsv" || die "diff wilcoxon in the study does not use the subjects"

if [[ -x /usr/bin/chromium && -d $src/report/node_modules/playwright-core ]] && command -v node >/dev/null; then
  art=$(cd "$(dirname "$bin")" && pwd)/test-artifacts/report
  mkdir -p "$art"
  node "$src/tests/browser/report_check.js" "$tmp/covariates/report.html" "$art/hmp2_covariates.png" pcoa,volcano \
    "${ORBIOME_REPORT_MAX_SECONDS:-15}" >"$tmp/browser" 2>&1 || { cat "$tmp/browser"; die "covariates report in Chromium"; }
  node "$src/tests/browser/report_check.js" "$tmp/alpha/report.html" "$art/hmp2_alpha.png" box \
    "${ORBIOME_REPORT_MAX_SECONDS:-15}" >"$tmp/browser" 2>&1 || { cat "$tmp/browser"; die "alpha report in Chromium"; }
else
  echo "note: chromium, node or report/node_modules absent; the reports were not opened"
fi
[[ $fail -eq 0 ]] && echo "HMP2 study: LinDA = lmerTest, PERMANOVA after covariates, paired alpha tests = R"
exit $fail
