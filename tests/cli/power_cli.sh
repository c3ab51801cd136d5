#!/usr/bin/env bash
# `orbiome simulate` and `orbiome power` as a user runs them on the RR-5 genus table (in the repo):
# outputs and columns as SPEC says, the same output for any --threads and for a repeated seed,
# and one-line errors with SPEC exit codes and no output for bad input. Usage: bash power_cli.sh ORBIOME
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
source "$src/tests/support/cli.sh"
g=$src/tests/parity/r_stats/rr5_genus
T=(--table "$g/genus_counts.tsv" --metadata "$g/rr5_fecal_meta.tsv" --group Treatment --reference ISS_G)

expect() {  # expect CODE PATTERN -- command...
    local code=$1 pattern=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [[ $rc -ne $code ]] || ! grep -qF -- "$pattern" "$tmp/err" || [[ $(wc -l <"$tmp/err") -gt 2 ]]; then
        echo "FAIL: $* -> exit $rc (want $code), stderr:"; cat "$tmp/err"; fail=1
    fi
}

run "$bin" simulate "${T[@]}" --n 6,8 --effect Lactobacillus=2 --seed 3 --out-dir "$tmp/sim"
for f in table.biom table.tsv metadata.tsv truth.tsv; do [[ -s $tmp/sim/$f ]] || die "simulate wrote no $f"; done
[[ $(head -1 "$tmp/sim/metadata.tsv") == $'sample_id\tgroup' ]] || die "metadata header"
[[ $(grep -c $'\treference$' "$tmp/sim/metadata.tsv") == 6 && $(grep -c $'\ttest$' "$tmp/sim/metadata.tsv") == 8 ]] ||
    die "metadata groups are not 6 reference + 8 test"
[[ $(head -1 "$tmp/sim/truth.tsv") == $'feature\tfold' ]] || die "truth header"
[[ $(awk -F'\t' 'NR > 1 && $2 != 1' "$tmp/sim/truth.tsv") == *$'Lactobacillus\t2' ]] || die "truth lacks Lactobacillus = 2"
# The simulated study is a valid input of diff.
run "$bin" diff --table "$tmp/sim/table.biom" --metadata "$tmp/sim/metadata.tsv" --formula group \
    --compare test,reference --out "$tmp/sim_diff.tsv"
run "$bin" simulate "${T[@]}" --n 6,8 --effect Lactobacillus=2 --seed 3 --out-dir "$tmp/sim2"
same "$tmp/sim/table.tsv" "$tmp/sim2/table.tsv"

P=(power "${T[@]}" --n 4,8 --effect Lactobacillus=2 --effect Dorea=3 --methods linda,wilcoxon,welch,permanova
   --replicates 20 --permutations 99 --seed 5)
run "$bin" "${P[@]}" --threads 1 --out "$tmp/p1.tsv"
run "$bin" "${P[@]}" --threads 2 --out "$tmp/p2.tsv"
same "$tmp/p1.tsv" "$tmp/p2.tsv"
grep -q $'^method\tn_per_group\tfold\tpower\tpower_low\tpower_high\tfdr\tfwer\treplicates' "$tmp/p1.tsv" ||
    die "power.tsv columns are not SPEC's"
[[ $(grep -vc '^#' "$tmp/p1.tsv") == $((1 + 2 * 3 * 3 + 2)) ]] || die "power.tsv row count"
grep -q '^#smallest n per group with power >= 0.8: linda' "$tmp/p1.tsv" || die "no smallest-n line"
# No effect: power empty, fwer filled.
run "$bin" power "${T[@]}" --n 4 --methods wilcoxon --replicates 10 --seed 5 --out "$tmp/null.tsv"
[[ $(awk -F'\t' '!/^#/ && $1 == "wilcoxon" {print ($4 == "" && $8 != "")}' "$tmp/null.tsv") == 1 ]] || die "null row"
# --progress writes progress lines to stderr, never to the output.
"$bin" power "${T[@]}" --n 4 --methods wilcoxon --replicates 10 --seed 5 --progress --out "$tmp/pr.tsv" 2>"$tmp/pr.err" ||
    die "power --progress failed"
grep -q "studies" "$tmp/pr.err" || die "no progress line with --progress"
same "$tmp/null.tsv" "$tmp/pr.tsv"

expect 64 "taxon 'Nonexistentia' is not in the table" -- "$bin" "${P[@]}" --effect Nonexistentia=2 --out "$tmp/bad.tsv"
expect 64 "the reference group has 1 sample; the simulator needs at least 3" -- \
    "$bin" power "${T[@]}" --where SamID=446 --n 5 --replicates 5 --seed 1 --out "$tmp/bad.tsv"
expect 64 "500 samples per group is more than the simulator supports" -- \
    "$bin" power "${T[@]}" --n 5,500 --replicates 5 --seed 1 --out "$tmp/bad.tsv"
expect 64 "--effect expects TAXON=FOLD" -- "$bin" simulate "${T[@]}" --n 5 --effect Dorea --seed 1 --out-dir "$tmp/bad"
expect 64 "power needs at least 2 samples per group" -- "$bin" power "${T[@]}" --n 1,5 --replicates 5 --seed 1 --out "$tmp/bad.tsv"
expect 64 "unknown method 'deseq2'" -- "$bin" power "${T[@]}" --n 5 --methods deseq2 --seed 1 --out "$tmp/bad.tsv"
[[ -e $tmp/bad.tsv || -e $tmp/bad ]] && die "output written on error"
exit $fail
