#!/usr/bin/env bash
# `orbiome report` on bad input: a directory without the layout's required files, a missing
# directory, a result file without a required column. Each fails with one line naming the file,
# the documented exit code, and no output file.
set -uo pipefail
bin=$1
data=${ORBIOME_TEST_DATA:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect NAME CODE PATTERN -- command...
  local name=$1 code=$2 pattern=$3
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local lines
  lines=$(grep -c 'error:' "$tmp/err")
  if [[ $rc -ne $code ]] || ! grep -q -- "$pattern" "$tmp/err" || [[ $lines -ne 1 ]]; then
    echo "FAIL $name: exit $rc (want $code), stderr:"; cat "$tmp/err"; fail=1
  else
    echo "ok   $name: $(head -1 "$tmp/err")"
  fi
  if [[ -e $tmp/report.html ]]; then echo "FAIL $name: report.html was written"; fail=1; rm -f "$tmp/report.html"; fi
}

mkdir -p "$tmp/empty"
expect "no provenance.json" 66 "empty/provenance.json: missing" -- \
  "$bin" report --study-dir "$tmp/empty" --out "$tmp/report.html"

cp -r "$data/report/rr5_study" "$tmp/nosamples"
rm "$tmp/nosamples/samples.tsv"
expect "no samples.tsv" 66 "nosamples/samples.tsv: missing" -- \
  "$bin" report --study-dir "$tmp/nosamples" --out "$tmp/report.html"

expect "no such directory" 66 "absent: no such study directory" -- \
  "$bin" report --study-dir "$tmp/absent" --out "$tmp/report.html"

cp -r "$data/report/rr5_study" "$tmp/badcol"
sed -i '1s/p_value/pvalue/' "$tmp/badcol/alpha/tests.tsv"
expect "missing column" 65 "badcol/alpha/tests.tsv:1: no column 'p_value'" -- \
  "$bin" report --study-dir "$tmp/badcol" --out "$tmp/report.html"

cp -r "$data/report/rr5_study" "$tmp/badnum"
sed -i '3s/\t[^\t]*$/\tlots/' "$tmp/badnum/alpha/alpha.tsv"
expect "bad number" 65 "badnum/alpha/alpha.tsv:3" -- \
  "$bin" report --study-dir "$tmp/badnum" --out "$tmp/report.html"

expect "missing --out" 64 "out" -- "$bin" report --study-dir "$data/report/rr5_study"

# Files that are absent only remove their figures: a directory with just the two required files.
mkdir -p "$tmp/minimal"
cp "$data/report/rr5_study/provenance.json" "$data/report/rr5_study/samples.tsv" "$tmp/minimal/"
if "$bin" report --study-dir "$tmp/minimal" --out "$tmp/minimal.html" 2>"$tmp/err" && grep -q 'alpha/alpha.tsv is absent' "$tmp/minimal.html"; then
  echo "ok   minimal study directory: report written, absent figures listed"
else
  echo "FAIL minimal study directory"; cat "$tmp/err"; fail=1
fi
exit $fail
