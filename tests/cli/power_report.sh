#!/usr/bin/env bash
# Power curves in the report (issue #16): `orbiome report --power power.tsv` alone and with a
# study, its errors, and the RR-5 demo's "how many mice" panel: the power table simulated from
# the demo's own ground-control mice at the fold changes the demo's LinDA estimated. With
# Debian's Chromium the power report is opened and checked in a real browser (as report_browser.sh).
# Usage: bash power_report.sh ORBIOME
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
source "$src/tests/support/cli.sh"

run "$bin" demo --out "$tmp/demo"
d=$tmp/demo
[[ -s $d/power/power.tsv ]] || die "the fecal demo wrote no power/power.tsv"
# The panel's folds are 2^(LinDA log2 fold change) of the demo's own ISS vs ISS_G genus results.
for g in Lactobacillus Dorea; do
    want=$(awk -F'\t' -v g=";$g\$" '!/^#/ && $1 ~ g {printf "%.6g", 2 ^ $3}' "$d/diff/ISS_vs_ISS_G.genus.linda.tsv")
    got=$(awk -F'\t' -v g="$g" '!/^#/ && $1 == "linda" && $10 == g {printf "%.6g", $3; exit}' "$d/power/power.tsv")
    [[ -n $want && $want == "$got" ]] || die "$g: power fold $got, demo LinDA fold $want"
done
# linda and wilcoxon at n = 5..40, kDemoPowerReplicates each; power rises from n = 5 to 40 for Dorea.
[[ $(awk -F'\t' '!/^#/ && $10 == "Dorea"' "$d/power/power.tsv" | wc -l) == 12 ]] || die "Dorea rows: want 2 methods x 6 n"
awk -F'\t' '!/^#/ && $1 == "linda" && $10 == "Dorea" {p[$2] = $4; r = $9} END {exit !(r == 200 && p[40] > p[5] + 0.5)}' \
    "$d/power/power.tsv" || die "linda power for Dorea does not rise from n = 5 to 40 (200 replicates)"
grep -q '"kind": *"power"' "$d/manifest.json" || die "manifest.json has no power entry"
grep -q '"kind":"power_curve"' "$d/report.html" || die "the demo report has no power curve"
grep -q 'How many animals' "$d/report.html" || die "the demo report has no power section"
# The oral demo has no panel.
run "$bin" demo --study oral --out "$tmp/oral"
[[ ! -e $tmp/oral/power ]] || die "the oral demo wrote a power panel"

# report --power alone, and added to a study.
in=$d/inputs/rr5/16S_fecal
run "$bin" power --table "$in/otu_table.txt" --taxonomy "$in/tax_table.txt" --metadata "$in/meta_table.txt" --rank genus \
    --group Treatment --reference ISS_G --n 5,10 --effect Lactobacillus=4 --effect Dorea=4 \
    --methods linda,wilcoxon,permanova --replicates 30 --permutations 99 --seed 3 --out "$tmp/power.tsv"
run "$bin" report --power "$tmp/power.tsv" --out "$tmp/power.html"
for id in figure-data-power-lactobacillus figure-data-power-dorea figure-data-power-community figure-data-power-false-calls; do
    grep -q "id=\"$id\"" "$tmp/power.html" || die "report --power: no figure $id"
done
run "$bin" report --study-dir "$tmp/oral" --power "$tmp/power.tsv" --out "$tmp/both.html"
grep -q 'figure-data-power-dorea' "$tmp/both.html" && grep -q '"kind":"volcano"' "$tmp/both.html" ||
    die "report --study-dir --power lacks the study's or the power figures"

"$bin" report --out "$tmp/none.html" >"$tmp/out" 2>"$tmp/err"
[[ $? == 64 && ! -e $tmp/none.html ]] && grep -q -- "--study-dir, --power or both" "$tmp/err" || { die "report without input"; cat "$tmp/err"; }
"$bin" report --power "$tmp/absent.tsv" --out "$tmp/none.html" >"$tmp/out" 2>"$tmp/err"
[[ $? == 66 && ! -e $tmp/none.html ]] && grep -q "absent.tsv" "$tmp/err" || { die "report --power of a missing file"; cat "$tmp/err"; }
"$bin" report --power "$in/meta_table.txt" --out "$tmp/none.html" >"$tmp/out" 2>"$tmp/err"
[[ $? == 65 && ! -e $tmp/none.html ]] && grep -q "method" "$tmp/err" || { die "report --power of a non-power table"; cat "$tmp/err"; }

if [[ -x /usr/bin/chromium ]] && command -v node >/dev/null && [[ -d $src/report/node_modules/playwright-core ]]; then
    art=$(cd "$(dirname "$bin")" && pwd)/test-artifacts/report
    mkdir -p "$art"
    node "$src/tests/browser/report_check.js" "$tmp/power.html" "$art/power.png" power_curve >"$tmp/browser" 2>&1 ||
        { die "the power report failed in Chromium"; cat "$tmp/browser"; }
else
    echo "note: no chromium/node/report node_modules: the power report was not opened in a browser"
fi
[[ $fail -eq 0 ]] && echo "power report and demo panel checked"
exit $fail
