#!/usr/bin/env bash
# A study file with a typo'd column, a comparison naming an absent group, a missing input file,
# an unknown key or broken TOML stops before any work: one line naming the file, key and line,
# the documented exit code, and no output directory content. Usage: bash study_errors.sh ORBIOME
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$bin" demo --out "$tmp/demo" >/dev/null 2>&1 || { echo "FAIL: demo"; exit 1; }
study=$tmp/demo/inputs/rr5/fecal.toml

case_() {  # case_ NAME CODE PATTERN SED_EXPR
  local name=$1 code=$2 pattern=$3 expr=$4
  sed "$expr" "$study" > "$tmp/demo/inputs/rr5/$name.toml"
  "$bin" run "$tmp/demo/inputs/rr5/$name.toml" --out "$tmp/out_$name" >"$tmp/o" 2>"$tmp/e"
  local rc=$?
  if [[ $rc -ne $code ]] || ! grep -qE -- "$pattern" "$tmp/e" || [[ $(grep -c 'error:' "$tmp/e") -ne 1 ]]; then
    echo "FAIL ($name): exit $rc (want $code), stderr:"; cat "$tmp/e"; fail=1
  fi
  if [[ -n $(find "$tmp/out_$name" -type f 2>/dev/null) ]]; then echo "FAIL ($name): output written"; fail=1; fi
}

case_ typo_column 65 "typo_column.toml:[0-9]+: design.group: no column 'Treatmnet' in" 's/^group = "Treatment"/group = "Treatmnet"/'
case_ absent_group 65 "absent_group.toml:19: comparison 'ISS_vs_ISS_G': no samples of group 'ISSS'" '0,/test = "ISS"/s//test = "ISSS"/'
case_ missing_input 66 "missing_input.toml:9: inputs.table: no such file" 's#^table = .*#table = "nope/otu.txt"#'
case_ unknown_key 65 "unknown_key.toml:[0-9]+: unknown key 'permutation' in \\[analysis\\]" 's/^permutations = 999/permutation = 999/'
case_ bad_toml 65 "bad_toml.toml:[0-9]+: invalid TOML" 's/^seed = 42/seed = = 42/'
case_ absent_where 65 "where_column.toml|no column 'Tyme'" 's/where = { Time = "final" }/where = { Tyme = "final" }/'
[[ $fail -eq 0 ]] && echo "study errors: all stop before any work with file, key and line"
exit $fail
