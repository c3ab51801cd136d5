#!/bin/bash
# Diversity benchmark: orbiome vs its peers on the same input in the same run (see bench/DIVERSITY.md).
#   bash bench/diversity/run.sh [ORBIOME_BINARY] [THREADS]
# Defaults: build/orbiome (or $ORBIOME_BIN), 2 threads. Peers: ssu (Debian unifrac-tools, fp64
# methods, OMP_NUM_THREADS=THREADS) and scikit-bio 0.5.8 (/usr/bin/python3, single-threaded).
# Inputs: GlobalPatterns (needs ../shared/data) and seeded synthetic tables (make_inputs.py),
# all as BIOM 2.1 HDF5 so that every tool reads the same file. Takes about 2 minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${ORBIOME_BIN:-$here/../../build/orbiome}}
threads=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v ssu >/dev/null || { echo "ssu (unifrac-tools) not found" >&2; exit 77; }

echo "# orbiome: $("$bin" --version)   ssu: $(dpkg-query -W -f '${Version}' unifrac-tools 2>/dev/null)   scikit-bio: $(/usr/bin/python3 -c 'import skbio; print(skbio.__version__)' 2>/dev/null)"
echo "# host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')   threads: $threads"
/usr/bin/python3 "$here/make_inputs.py" "$work" 5000 250 500 1000 2000 2>/dev/null

cat > "$work/skbio_bc.py" <<'PY'
import sys
import biom
from skbio.diversity import beta_diversity
t = biom.load_table(sys.argv[1])
beta_diversity("braycurtis", t.matrix_data.toarray().T, ids=list(t.ids())).write(sys.argv[2])
PY
cat > "$work/maxrel.py" <<'PY'
import sys
import numpy as np
import pandas as pd
a = pd.read_csv(sys.argv[1], sep="\t", index_col=0)
b = pd.read_csv(sys.argv[2], sep="\t", index_col=0)
b = b.loc[a.index, a.columns].values
a = a.values
m = ~np.eye(len(a), dtype=bool)
print(f"{np.max(np.abs(a - b)[m] / np.maximum(np.abs(b)[m], 1e-300)):.1e}")
PY

# run NAME CMD... : wall seconds and peak RSS (MB) of one process into $work/NAME.time
run() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.err" ||
    { echo "FAILED: $*" >&2; cat "$work/$name.err" >&2; exit 1; }
}
secs() { cut -d' ' -f1 "$work/$1.time"; }
mb() { awk '{printf "%.0f", $2 / 1024}' "$work/$1.time"; }

printf '\n%-52s %10s %10s %8s %10s %10s %12s\n' "case" "orbiome_s" "peer_s" "ratio" "orbiome_MB" "peer_MB" "max_rel_diff"
compare() {  # compare CASE ORBIOME_NAME PEER_NAME
  local ratio
  ratio=$(awk -v a="$(secs "$2")" -v b="$(secs "$3")" 'BEGIN { printf "%.2f", b / (a > 0 ? a : 0.01) }')
  printf '%-52s %10s %10s %8s %10s %10s %12s\n' "$1" "$(secs "$2")" "$(secs "$3")" "${ratio}x" "$(mb "$2")" "$(mb "$3")" \
    "$(/usr/bin/python3 "$work/maxrel.py" "$work/$2.tsv" "$work/$3.tsv")"
}

unifrac_pair() {  # unifrac_pair LABEL TABLE TREE
  local label=$1 table=$2 tree=$3
  run "o_uu_$label" "$bin" beta --table "$table" --tree "$tree" --metric unweighted_unifrac --threads "$threads" --out "$work/o_uu_$label.tsv"
  run "s_uu_$label" env OMP_NUM_THREADS="$threads" ssu -i "$table" -t "$tree" -m unweighted_fp64 --pcoa 0 -o "$work/s_uu_$label.tsv"
  compare "unweighted UniFrac, $label (vs ssu)" "o_uu_$label" "s_uu_$label"
  run "o_wu_$label" "$bin" beta --table "$table" --tree "$tree" --metric weighted_unifrac --threads "$threads" --out "$work/o_wu_$label.tsv"
  run "s_wu_$label" env OMP_NUM_THREADS="$threads" ssu -i "$table" -t "$tree" -m weighted_unnormalized_fp64 --pcoa 0 -o "$work/s_wu_$label.tsv"
  compare "weighted UniFrac, $label (vs ssu)" "o_wu_$label" "s_wu_$label"
}

gp_tree=/work/shared/data/tables/phyloseq/GlobalPatterns_tree.nwk
[ -n "${ORBIOME_SHARED_DATA:-}" ] && gp_tree=$ORBIOME_SHARED_DATA/tables/phyloseq/GlobalPatterns_tree.nwk
if [ -f "$work/globalpatterns.biom" ] && [ -f "$gp_tree" ]; then
  unifrac_pair "GlobalPatterns 26x19216" "$work/globalpatterns.biom" "$gp_tree"
fi
unifrac_pair "synthetic 1000x5000" "$work/table_1000.biom" "$work/tree.nwk"

run o_bc "$bin" beta --table "$work/table_1000.biom" --metric braycurtis --threads "$threads" --out "$work/o_bc.tsv"
run k_bc /usr/bin/python3 "$work/skbio_bc.py" "$work/table_1000.biom" "$work/k_bc.tsv"
compare "Bray-Curtis, synthetic 1000x5000 (vs skbio)" o_bc k_bc

printf '\n# orbiome wall seconds against sample count (5000 features, %s threads)\n' "$threads"
printf '%-8s %12s %12s %12s\n' samples unweighted weighted braycurtis
for n in 250 500 1000 2000; do
  for m in unweighted_unifrac weighted_unifrac braycurtis; do
    run "scale_${m}_$n" "$bin" beta --table "$work/table_$n.biom" --tree "$work/tree.nwk" --metric "$m" --threads "$threads" --out "$work/scale.tsv"
  done
  printf '%-8s %12s %12s %12s\n' "$n" "$(secs scale_unweighted_unifrac_$n)" "$(secs scale_weighted_unifrac_$n)" "$(secs scale_braycurtis_$n)"
done
