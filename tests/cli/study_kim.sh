#!/usr/bin/env bash
# A study that is not RR-5 (issue #17): the KANG autism 2017 genera and fecal metabolites with
# a covariate (Age) and a table without lineages, run as a user would. Checks that covariates
# reach PERMANOVA (a row for Age before the group) and LinDA, that the steps that cannot adjust
# are turned off with a note, that the report of this ~320 x 61 association stays small (< 5 MB;
# it was 23 MB for a 30 x 462 one) with a top-hits table and a bounded heat map, and links the
# full TSV. Skips (77) without ../shared/data. Usage: bash study_kim.sh ORBIOME
set -u
bin=$1
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same
source "$(dirname "$0")/../support/kim_study.sh"
shared=$(cd "${ORBIOME_SHARED_DATA:-$(dirname "$0")/../../../shared/data}" 2>/dev/null && pwd) || shared=/nonexistent
kim_study "$shared" "$tmp/kim" || { echo "skip: ../shared/data/tables/metabolome_KANG_AUTISM_2017 is absent"; exit 77; }

"$bin" run "$tmp/kim/kim.toml" --out "$tmp/out" >"$tmp/o" 2>"$tmp/e" || { cat "$tmp/e"; exit 1; }
grep -q 'step alpha skipped: analysis.alpha = \[\]' "$tmp/e" || die "no note for the skipped alpha step"
grep -qP '^ASD_vs_NT\tbraycurtis\tAge\t1\t' "$tmp/out/beta/permanova.tsv" || die "PERMANOVA without the covariate"
grep -qP '^ASD_vs_NT\tbraycurtis\tStudy.Group\t1\t' "$tmp/out/beta/permanova.tsv" || die "PERMANOVA without the group"
grep -q 'covariate' "$tmp/out/diff/ASD_vs_NT.feature.linda.tsv" || die "LinDA does not name the covariate"
grep -q 'partial correlation given Age' "$tmp/out/assoc/assoc.tsv" || die "assoc does not adjust for Age"
size=$(stat -c %s "$tmp/out/report.html")
[[ $size -lt 5000000 ]] || die "report is $size bytes (want < 5 MB)"
/usr/bin/python3 - "$tmp/out/report.html" <<'PY' || die "report contents"
import json, re, sys
page = open(sys.argv[1]).read()
blocks = {i: json.loads(b) for i, b in re.findall(r'<script type="application/json" class="[^"]+" id="([^"]+)">(.*?)</script>', page, re.S)}
heat = blocks['figure-data-assoc-heatmap']
assert len(heat['params']['features']) == 30 and len(heat['params']['variables']) == 30, heat['params']
table = blocks['table-data-table-assoc']
assert len(table['rows']) == 100 and table['source'] == 'assoc/assoc.tsv', (len(table['rows']), table['source'])
q = table['columns'].index('q_value')
assert all(a[q] <= b[q] for a, b in zip(table['rows'], table['rows'][1:])), 'top hits not sorted by q'
meta = blocks['orbiome-meta']
assert any('Step alpha not run' in m for m in meta['methods']), meta['methods']
PY
echo "KANG study: covariates honoured, report $size bytes"
exit $fail
