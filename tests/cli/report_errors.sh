#!/usr/bin/env bash
# `orbiome report` on bad input, starting from a real `orbiome demo` output: a directory without
# the layout's required files (provenance.json, samples.tsv, manifest.json), a missing directory,
# a result file without a required column or with a bad number. Each fails with one line naming
# the file, the documented exit code, and no output file.
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$bin" demo --out "$tmp/demo" >/dev/null 2>&1 || { echo "FAIL: demo"; exit 1; }
study=$tmp/demo
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

cp -r "$study" "$tmp/nosamples"
rm "$tmp/nosamples/samples.tsv"
expect "no samples.tsv" 66 "nosamples/samples.tsv: missing" -- \
  "$bin" report --study-dir "$tmp/nosamples" --out "$tmp/report.html"

cp -r "$study" "$tmp/nomanifest"
rm "$tmp/nomanifest/manifest.json"
expect "no manifest.json" 66 "nomanifest/manifest.json: missing" -- \
  "$bin" report --study-dir "$tmp/nomanifest" --out "$tmp/report.html"

expect "no such directory" 66 "absent: no such study directory" -- \
  "$bin" report --study-dir "$tmp/absent" --out "$tmp/report.html"

cp -r "$study" "$tmp/badcol"
sed -i '1s/p_value/pvalue/' "$tmp/badcol/alpha/tests.tsv"
expect "missing column" 65 "badcol/alpha/tests.tsv:1: no column 'p_value'" -- \
  "$bin" report --study-dir "$tmp/badcol" --out "$tmp/report.html"

cp -r "$study" "$tmp/badnum"
sed -i '3s/\t[^\t]*$/\tlots/' "$tmp/badnum/alpha/alpha.tsv"
expect "bad number" 65 "badnum/alpha/alpha.tsv:3" -- \
  "$bin" report --study-dir "$tmp/badnum" --out "$tmp/report.html"

expect "missing --out" 64 "out" -- "$bin" report --study-dir "$study"

# A manifest that lists nothing: the report is written with the methods section and no figure.
mkdir -p "$tmp/minimal"
cp "$study/provenance.json" "$study/samples.tsv" "$tmp/minimal/"
echo '{"format": 1, "entries": [], "skipped": [{"step": "alpha", "reason": "analysis.alpha = []"}]}' > "$tmp/minimal/manifest.json"
if "$bin" report --study-dir "$tmp/minimal" --out "$tmp/minimal.html" 2>"$tmp/err" && grep -q 'Step alpha not run' "$tmp/minimal.html" \
   && ! grep -q 'class="orbiome-figure"' "$tmp/minimal.html"; then
  echo "ok   minimal study directory: report written, skipped step noted"
else
  echo "FAIL minimal study directory"; cat "$tmp/err"; fail=1
fi
exit $fail
