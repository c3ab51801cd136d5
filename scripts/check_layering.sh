#!/usr/bin/env bash
# Layering check (issue #19), run by .ci/run:
#  1. no domain includes a domain above it: src/<d>/ may include only <d>/ and the domains it
#     depends on, directly or not, as the orbiome_domain(...) lines of CMakeLists.txt declare
#     (src/cli/ is the top and may include every domain);
#  2. no source file in src/ is longer than ORBIOME_MAX_LINES (default 700) lines;
#  3. repeated blocks: `duplicates --repo src` when that tool is on PATH (informative: it prints
#     what it finds and never fails the check; a note when the tool is absent).
# Exit 0 when 1 and 2 hold, 1 otherwise (each violation on one line: file:line: what).
set -euo pipefail
cd "$(dirname "$0")/.."
max=${ORBIOME_MAX_LINES:-700}
fail=0

# 1. The dependency closure of each domain, from CMakeLists.txt.
declare -A deps
while read -r name rest; do
  deps[$name]=$(grep -o 'orbiome::[a-z_]*' <<<"$rest" | sed 's/orbiome:://' | tr '\n' ' ' || true)
done < <(sed -n 's/^orbiome_domain(\([a-z_]*\)\(.*\))$/\1 \2/p' CMakeLists.txt)
closure() {  # closure DOMAIN: the domain and everything below it
  local todo=("$1") seen=" $1 " d x
  while [[ ${#todo[@]} -gt 0 ]]; do
    d=${todo[0]}; todo=("${todo[@]:1}")
    for x in ${deps[$d]:-}; do [[ $seen == *" $x "* ]] || { seen+="$x "; todo+=("$x"); }; done
  done
  echo "$seen"
}
n_domains=0
for dir in src/*/; do
  d=$(basename "$dir")
  [[ $d == cli ]] && continue
  if [[ -z ${deps[$d]+x} ]]; then echo "src/$d: not declared by an orbiome_domain() line in CMakeLists.txt"; fail=1; continue; fi
  n_domains=$((n_domains + 1))
  allowed=$(closure "$d")
  while IFS=: read -r file line inc; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$inc")
    [[ -n ${deps[$target]+x} || $target == cli ]] || continue  # not a domain (e.g. orbiome/version.hpp)
    [[ $allowed == *" $target "* ]] || { echo "$file:$line: $d includes $target, which is not below it"; fail=1; }
  done < <(grep -Hn '^#include "[a-z_]*/' "$dir"*.hpp "$dir"*.cpp 2>/dev/null || true)
done

# 2. File length.
while read -r n file; do
  [[ $file == total ]] && continue
  [[ $n -le $max ]] || { echo "$file:1: $n lines (more than $max)"; fail=1; }
done < <(find src -name '*.cpp' -o -name '*.hpp' | sort | xargs wc -l)

# 3. Repeated blocks (informative).
if command -v duplicates >/dev/null; then
  echo "duplicates --repo src (informative):"
  duplicates --repo src 2>&1 | sed 's/^/  /' | head -40 || true
else
  echo "note: the 'duplicates' tool is not on PATH; repeated blocks not checked"
fi

[[ $fail -eq 0 ]] && echo "layering: $n_domains domains include only what they depend on; no file over $max lines"
exit $fail
