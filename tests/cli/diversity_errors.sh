#!/bin/bash
# Bad input to `orbiome alpha` / `orbiome beta`: one clear error line, the documented exit code,
# and no output file left behind. Usage: bash diversity_errors.sh /path/to/orbiome
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

printf 'feature_id\ts1\ts2\ts3\na\t3\t0\t1\nb\t0\t2\t4\nzz\t1\t1\t0\n' > "$tmp/t.tsv"
printf '((a:1,b:2):0.5,c:3);\n' > "$tmp/tree.nwk"
printf 'feature_id\ts1\ts2\ts3\na\t3\t0\t1\nb\t1\t0\t4\n' > "$tmp/empty.tsv"

# expect CODE "EXACT FIRST STDERR LINE" orbiome-args...
expect() {
  local code=$1 msg=$2
  shift 2
  rm -f "$tmp/out.tsv"
  "$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  local first
  first=$(head -n 1 "$tmp/stderr")
  if [ "$rc" != "$code" ]; then
    echo "FAIL: '$*' exited $rc, want $code; stderr: $(cat "$tmp/stderr")"; fails=$((fails + 1))
  elif [ "$first" != "$msg" ]; then
    echo "FAIL: '$*' first stderr line:"; echo "  got:  $first"; echo "  want: $msg"; fails=$((fails + 1))
  elif ls "$tmp" | grep -q '^out\.tsv'; then
    echo "FAIL: '$*' left an output file: $(ls "$tmp" | grep '^out')"; fails=$((fails + 1))
  fi
}

expect 65 "orbiome beta: error: $tmp/tree.nwk: table feature 'zz' is not a tip of the tree" \
  beta --table "$tmp/t.tsv" --tree "$tmp/tree.nwk" --metric unweighted_unifrac --out "$tmp/out.tsv"
expect 65 "orbiome alpha: error: $tmp/tree.nwk: table feature 'zz' is not a tip of the tree" \
  alpha --table "$tmp/t.tsv" --tree "$tmp/tree.nwk" --metrics faith_pd --out "$tmp/out.tsv"
expect 64 "orbiome beta: error: unknown beta metric 'bray'" \
  beta --table "$tmp/t.tsv" --metric bray --out "$tmp/out.tsv"
expect 64 "orbiome alpha: error: unknown alpha metric 'evenness'" \
  alpha --table "$tmp/t.tsv" --metrics shannon,evenness --out "$tmp/out.tsv"
expect 64 "orbiome alpha: error: metric faith_pd needs a tree" \
  alpha --table "$tmp/t.tsv" --metrics shannon,faith_pd --out "$tmp/out.tsv"
expect 64 "orbiome beta: error: metric weighted_unifrac needs a tree" \
  beta --table "$tmp/t.tsv" --metric weighted_unifrac --out "$tmp/out.tsv"
expect 64 "orbiome beta: error: --alpha applies only to --metric generalized_unifrac" \
  beta --table "$tmp/t.tsv" --metric braycurtis --alpha 0.3 --out "$tmp/out.tsv"
expect 65 "orbiome alpha: error: $tmp/empty.tsv: sample 's2' has no counts (all zero); its diversity is undefined" \
  alpha --table "$tmp/empty.tsv" --out "$tmp/out.tsv"
expect 65 "orbiome beta: error: $tmp/empty.tsv: sample 's2' has no counts (all zero); its diversity is undefined" \
  beta --table "$tmp/empty.tsv" --metric braycurtis --out "$tmp/out.tsv"
# A tree file that does not exist: exit 66 (message from the Newick reader, which names the file).
rm -f "$tmp/out.tsv"
"$bin" beta --table "$tmp/t.tsv" --tree "$tmp/missing.nwk" --metric unweighted_unifrac --out "$tmp/out.tsv" 2>"$tmp/stderr"
rc=$?
if [ "$rc" != 66 ] || ! head -n 1 "$tmp/stderr" | grep -q "^orbiome beta: error: .*missing.nwk" || [ -e "$tmp/out.tsv" ]; then
  echo "FAIL: missing tree: exit $rc, stderr: $(cat "$tmp/stderr")"; fails=$((fails + 1))
fi

[ "$fails" = 0 ] && echo "diversity_errors: all passed"
[ "$fails" = 0 ]
