#!/usr/bin/env bash
# The study runner on designs other than the RR-5 demo (issue #17), each problem of the issue
# as one check that failed before the fix:
#  - `ratio` off when absent or [], and SILVA 138 / GTDB phylum names found;
#  - covariates: a clear up-front error naming a step that cannot adjust (alpha, wilcoxon),
#    before any output;
#  - a feature-level rank (`otu`); a table without lineages is an up-front message;
#  - design.subject as PERMANOVA strata in a paired design (equal to `orbiome permanova --strata`);
#  - --out replaced only on success; a directory that is not a study is refused; a rerun leaves
#    no file of the previous run; timings printed only with --progress.
# Usage: bash study_runner.sh ORBIOME
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same

run "$bin" demo --out "$tmp/demo"
rr=$tmp/demo/inputs/rr5
base=$rr/fecal.toml
study() {  # study NAME SED_EXPR [EXTRA TOML]: a variant of the fecal study file
  sed "$2" "$base" > "$rr/$1.toml"
  [[ $# -ge 3 ]] && printf '%s\n' "$3" >> "$rr/$1.toml"
  echo "$rr/$1.toml"
}
expect_error() {  # expect_error NAME CODE PATTERN STUDY_FILE
  "$bin" run "$4" --out "$tmp/out_$1" >"$tmp/o" 2>"$tmp/e"
  local rc=$?
  [[ $rc -eq $2 ]] && grep -qE -- "$3" "$tmp/e" || { die "$1: exit $rc (want $2), stderr: $(cat "$tmp/e")"; }
  [[ -e $tmp/out_$1 ]] && die "$1: output written"
  ls -a "$tmp" | grep -q orbiome-tmp && die "$1: temporary folder left behind"
}

# Timings only with --progress (every run printed `[orbiome::run load 0.0058s]`).
run "$bin" run "$base" --out "$tmp/plain"
grep -q '\[orbiome::run' "$tmp/log" && die "timings printed without --progress"
run "$bin" run "$base" --out "$tmp/plain" --progress
grep -q '\[orbiome::run diff ' "$tmp/log" || die "no timings with --progress"

# Ratio off when absent or [] (it looked for Bacteroidetes regardless): a note, no ratio/.
for variant in absent empty; do
  if [[ $variant == absent ]]; then f=$(study ratio_$variant '/^ratio = /d'); else f=$(study ratio_$variant 's/^ratio = .*/ratio = []/'); fi
  "$bin" run "$f" --out "$tmp/$variant" >/dev/null 2>"$tmp/e" || die "ratio $variant: run failed: $(cat "$tmp/e")"
  [[ -e $tmp/$variant/ratio ]] && die "ratio $variant: ratio/ written"
  grep -q 'step ratio skipped' "$tmp/e" || die "ratio $variant: no note on stderr"
  grep -q '"step": "ratio"' "$tmp/$variant/manifest.json" || die "ratio $variant: not in manifest.json skipped"
  grep -q 'Step ratio not run' "$tmp/$variant/report.html" || die "ratio $variant: no note in the report"
done

# SILVA 138 / GTDB names: the same lineages spelled Bacillota / Bacteroidota give the same ratio.
sed -e 's/\tFirmicutes\t/\tBacillota\t/' -e 's/\tBacteroidetes\t/\tBacteroidota\t/' \
    "$rr/16S_fecal/tax_table.txt" > "$rr/16S_fecal/tax_silva138.txt"
f=$(study silva 's#^taxonomy = .*#taxonomy = "16S_fecal/tax_silva138.txt"#')
run "$bin" run "$f" --out "$tmp/silva"
diff <(cut -f1,4- "$tmp/plain/ratio/tests.tsv" | sed 1d) <(cut -f1,4- "$tmp/silva/ratio/tests.tsv" | sed 1d) >/dev/null \
  || die "SILVA 138 names: ratio tests differ"
grep -q 'Bacillota' "$tmp/silva/ratio/log2_ratio.tsv" || die "SILVA 138 names: ratio does not name the taxa used"
expect_error ratio_name 65 "silva_bad.toml:[0-9]+: step ratio: no feature of .* has 'Tenericute' " \
  "$(study silva_bad 's/^ratio = .*/ratio = ["Firmicutes", "Tenericute"]/; s#^taxonomy = .*#taxonomy = "16S_fecal/tax_silva138.txt"#')"

# Covariates: an up-front error naming the step that cannot adjust, before any output.
expect_error cov_alpha 65 "cov_alpha.toml:[0-9]+: step alpha: its group tests \(Wilcoxon rank-sum\) cannot adjust for design.covariates" \
  "$(study cov_alpha 's/^subject = .*/&\ncovariates = ["Cage"]/')"
expect_error cov_diff 65 "step diff: method wilcoxon cannot adjust" \
  "$(study cov_diff 's/^subject = .*/&\ncovariates = ["Cage"]/; /^ratio = /d; s/^alpha = .*/alpha = []/')"
# (Covariates honoured by PERMANOVA and LinDA: study_kim.sh, on a design whose covariate is not
# confounded with the group as RR-5's cages are.)

# A feature-level rank, spelled otu; a table without lineages is an up-front message.
f=$(study otu 's/^ranks = .*/ranks = ["otu"]/')
run "$bin" run "$f" --out "$tmp/otu"
[[ -s $tmp/otu/diff/ISS_vs_ISS_G.feature.linda.tsv ]] || die "ranks = [\"otu\"]: no feature-level diff"
expect_error no_lineages 65 "no_lineages.toml:[0-9]+: step ratio: the ratio of two phyla needs lineages" \
  "$(study no_lineages '/^taxonomy = /d')"
expect_error no_lineages_diff 65 "step diff: rank 'phylum' needs lineages.*|hint: give inputs.taxonomy" \
  "$(study no_lineages_diff '/^taxonomy = /d; /^ratio = /d')"

# --out: a folder that is not a study is refused and left alone; a rerun replaces the study.
mkdir -p "$tmp/mine" && echo keep > "$tmp/mine/notes.txt"
"$bin" run "$base" --out "$tmp/mine" >/dev/null 2>"$tmp/e"
[[ $? -eq 64 ]] && grep -q 'not an orbiome study directory' "$tmp/e" || die "non-study --out not refused: $(cat "$tmp/e")"
[[ $(ls "$tmp/mine") == notes.txt ]] || die "non-study --out was changed"
f=$(study fewer 's/^diff_methods = .*/diff_methods = ["linda"]/')
run "$bin" run "$f" --out "$tmp/plain"
ls "$tmp/plain/diff" | grep -q wilcoxon && die "rerun left files of the previous run"
# A failing run leaves the previous study as it was.
before=$(find "$tmp/plain" -type f | sort | xargs md5sum | md5sum)
"$bin" run "$(study silva_bad2 's/^ratio = .*/ratio = ["Firmicutes", "Nope"]/')" --out "$tmp/plain" >/dev/null 2>&1 && die "bad ratio ran"
[[ $(find "$tmp/plain" -type f | sort | xargs md5sum | md5sum) == "$before" ]] || die "a failed run changed --out"

# design.subject as PERMANOVA strata when each subject is seen in both groups (oral swabs of the
# LAR mice before launch and at 4 weeks): equal to `orbiome permanova --strata`.
cat > "$rr/paired.toml" <<'TOML'
[inputs]
table = "16S_oral/otu_table.txt"
taxonomy = "16S_oral/tax_table.txt"
metadata = "16S_oral/meta_table.txt"
[design]
group = "Time"
subject = "Animal_ID"
[[comparisons]]
name = "t1_vs_t0"
test = "t.1"
reference = "t.0"
where = { Treatment = "LAR" }
[analysis]
ranks = ["phylum"]
alpha = ["shannon"]
beta = ["braycurtis"]
diff_methods = ["wilcoxon"]
permutations = 199
seed = 5
TOML
run "$bin" run "$rr/paired.toml" --out "$tmp/paired"
grep -q '"t1_vs_t0": "Animal_ID"' "$tmp/paired/manifest.json" || die "paired: subject not used as strata"
meta=$rr/16S_oral/meta_table.txt
awk -F'\t' 'NR>1 && $7=="LAR" && ($2=="t.0" || $2=="t.1") {print $1}' "$meta" > "$tmp/ids"
awk -F'\t' 'NR==FNR {keep[$1] = 1; next}
    FNR==1 {line = ""; for (i = 2; i <= NF; i++) if ($i in keep) {col[i] = 1; line = line "\t" $i}; print line; next}
    ($1 in keep) {line = $1; for (i = 2; i <= NF; i++) if (i in col) line = line "\t" $i; print line}' \
    "$tmp/ids" <(grep -v '^#' "$tmp/paired/beta/braycurtis.dm.tsv") > "$tmp/dm_paired.tsv"
run "$bin" permanova --dm "$tmp/dm_paired.tsv" --metadata "$meta" --formula Time --strata Animal_ID \
    --permutations 199 --seed 5 --out "$tmp/perm_strata.tsv"
diff <(grep -v '^#' "$tmp/perm_strata.tsv" | tail -n +2) <(cut -f3- "$tmp/paired/beta/permanova.tsv" | tail -n +2) >/dev/null \
  || die "paired: PERMANOVA differs from permanova --strata Animal_ID"

[[ $fail -eq 0 ]] && echo "study runner: ratio, covariates, ranks, lineages, strata and --out behave as issue #17 asks"
exit $fail
