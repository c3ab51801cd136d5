#!/usr/bin/env bash
# Bad input to `orbiome diff` / `orbiome assoc`: clear message, right exit code, no output file,
# and never NaN in a successful output. Usage: bash diff_errors.sh /path/to/orbiome
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
g=$src/tests/parity/r_stats/rr5_genus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() {  # expect CODE PATTERN -- command...
    local code=$1 pattern=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [[ $rc -ne $code ]] || ! grep -qF -- "$pattern" "$tmp/err"; then
        echo "FAIL: $* -> exit $rc (want $code), stderr:"; cat "$tmp/err"; fail=1
    fi
}

# A group with one sample (grouping by mouse: one final sample each).
expect 65 "has 1 sample; at least 2 are needed per group" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula SamID \
    --where Time=final --where Treatment=ISS --method kruskal --out "$tmp/d.tsv"
[[ -e $tmp/d.tsv ]] && { echo "FAIL: output written on error"; fail=1; }

# Formulas go through the ecology parser.
expect 64 "formula 'Treatment +' has an empty term" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula "Treatment +" \
    --where Time=final --compare ISS,ISS_G --out "$tmp/d.tsv"

# LinDA switches out of range.
expect 64 "unknown --zero-handling 'zeros'" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula Treatment \
    --where Time=final --compare ISS,ISS_G --zero-handling zeros --out "$tmp/d.tsv"
expect 64 "unknown --bias-se 'exact'" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula Treatment \
    --where Time=final --compare ISS,ISS_G --bias-se exact --out "$tmp/d.tsv"
expect 64 "--winsor-quantile must be in (0, 1]" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula Treatment \
    --where Time=final --compare ISS,ISS_G --winsor-quantile 1.5 --out "$tmp/d.tsv"

# NaN in a numeric formula term.
awk -F'\t' 'BEGIN{OFS="\t"} NR==1{print "sample-id" $0, "weight"; next} {print $0, (($5 == "LAR" && !done++) ? "NaN" : NR)}' \
    "$g/rr5_fecal_meta.tsv" > "$tmp/md_nan.tsv"
expect 65 "column 'weight' is missing (NA/NaN/empty) for samples" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$tmp/md_nan.tsv" --formula "Treatment + weight" \
    --compare LAR,LAR_G --out "$tmp/d.tsv"

# A constant phenotype.
awk -F'\t' 'BEGIN{OFS="\t"} NR==1{print "sample-id" $0, "bmd"; next} {print $0, "1.5"}' \
    "$g/rr5_fecal_meta.tsv" > "$tmp/md_const.tsv"
expect 65 "variable 'bmd' is constant (1.5) in all 140 samples" -- \
    "$bin" assoc --table "$g/genus_counts.tsv" --metadata "$tmp/md_const.tsv" --vars bmd --out "$tmp/a.tsv"

# A metabolite table whose ids do not overlap the table's samples.
printf 'id\tlactate\tbutyrate\nM1\t1.5\t2\nM2\t2.5\t3\n' > "$tmp/mtb.tsv"
expect 65 "no row or column id matches a sample id of" -- \
    "$bin" assoc --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --with "$tmp/mtb.tsv" --out "$tmp/a.tsv"

# A non-numeric cell in the metabolite table names file and line.
printf 'id\tX204.014D.final\tX204.014D.pre\nlactate\t1.5\thigh\n' > "$tmp/mtb2.tsv"
expect 65 "mtb2.tsv:2" -- \
    "$bin" assoc --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --with "$tmp/mtb2.tsv" --out "$tmp/a.tsv"

# Linear models (issue #17): a formula column that is not in the metadata, a continuous term
# with a missing value, a random intercept whose subjects have one sample each.
expect 64 "rr5_fecal_meta.tsv: no metadata column 'Weight'" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula "Treatment + Weight" \
    --where Time=final --out "$tmp/d.tsv"
awk -F'\t' 'BEGIN{OFS="\t"} $1=="X204.014D.final" {$2="NA"} {print}' "$g/rr5_fecal_meta.tsv" > "$tmp/md_na.tsv"
expect 65 "md_na.tsv:2: 'X204.014D.final': column 'Cage' is missing (NA/NaN/empty) for samples X204.014D.final" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$tmp/md_na.tsv" --formula "Cage + Treatment" \
    --where Time=final --method lm --out "$tmp/d.tsv"
expect 65 "rr5_fecal_meta.tsv: column 'SamID' gives every sample its own subject (20 samples)" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula "Treatment + (1|SamID)" \
    --where Time=final --compare LAR,LAR_G --out "$tmp/d.tsv"
[[ -e $tmp/d.tsv ]] && { echo "FAIL: output written on error"; fail=1; }
# --missing drop leaves the sample out and says so.
"$bin" diff --table "$g/genus_counts.tsv" --metadata "$tmp/md_na.tsv" --formula "Cage + Treatment" --where Time=final \
    --method lm --missing drop --out "$tmp/drop.tsv" || { echo "FAIL: --missing drop"; fail=1; }
grep -q '^#dropped for a missing value in a formula column (--missing drop): 1$' "$tmp/drop.tsv" \
    || { echo "FAIL: dropped count"; fail=1; }

# Three levels for a two-group method is a usage error.
expect 64 "compares two groups" -- \
    "$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula Treatment \
    --where Time=final --method wilcoxon --out "$tmp/d.tsv"

# A valid run: all-zero and constant cases give numbers, never NaN.
"$bin" diff --table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --formula Treatment --where Time=final \
    --compare ISS,ISS_G --method wilcoxon --out "$tmp/ok.tsv" || { echo "FAIL: valid diff"; fail=1; }
if cut -f3- "$tmp/ok.tsv" | grep -qiw 'nan'; then echo "FAIL: NaN in output"; fail=1; fi
head -1 "$tmp/ok.tsv" | grep -q '^#orbiome diff ' || { echo "FAIL: header"; fail=1; }
grep -q $'^feature\tlineage\teffect\tse\tstatistic\tp_value\tq_value\tmean_ISS\tmean_ISS_G\tprevalence_ISS\tprevalence_ISS_G$' \
    "$tmp/ok.tsv" || { echo "FAIL: columns"; fail=1; }
exit $fail
