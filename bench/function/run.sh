#!/usr/bin/env bash
# orbiome function profile / pathways vs HUMAnN 3.9 (+ bowtie2) on the same reads and database,
# side by side in one run, best of N: wall time, CPU time (user+sys) and peak memory (RSS, of
# the process tree as /usr/bin/time reports it), plus gene-family agreement on the families both
# find. Usage: bench/function/run.sh ORBIOME_BIN [N=3]
set -euo pipefail
bin=$(realpath "$1"); n=${2:-3}
here=$(cd "$(dirname "$0")" && pwd); shared=$(realpath "$here/../../../shared")
S=$shared/data/shotgun/humann_demo F=$shared/data/functional/humann_demo
C=$shared/peers/humann-3.9/humann/data/chocophlan_DEMO
humann=$shared/peers/humann.sh
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pwdb=$F/metacyc_reactions_level4ec_only.uniref.bz2,$F/metacyc_pathways_structured_filtered_v24_subreactions
measure() {  # measure LABEL CMD... -> best wall, its cpu, max rss over N runs
    local label=$1; shift
    local best=999999 cpu=0 rss=0
    for ((i = 0; i < n; i++)); do
        /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
        read -r e u s m <"$work/t"
        if awk "BEGIN{exit !($e < $best)}"; then best=$e; cpu=$(awk "BEGIN{print $u+$s}"); fi
        ((m > rss)) && rss=$m
    done
    echo "$label $best $cpu $rss"
}
"$bin" db build-function --pangenomes "$C"/*.ffn.gz --reactions "$F/metacyc_reactions_level4ec_only.uniref.bz2" \
    --pathways "$F/metacyc_pathways_structured_filtered_v24_subreactions" --out "$work/dorei.fdb"
echo "# label best_wall_s cpu_s peak_rss_kb (best of $n; machine shared: see bench/FUNCTION.md)"
o=$(measure orbiome_profile "$bin" function profile --reads "$S/demo.fastq.gz" --sample demo --db "$work/dorei.fdb" \
    --out-dir "$work/orb" --threads 2)
h=$(measure humann_reads "$humann" --input "$S/demo.fastq.gz" --output "$work/hum" --nucleotide-database "$C" \
    --bypass-prescreen --bypass-translated-search --threads 2 --pathways-database "$pwdb" --remove-temp-output)
echo "$o"; echo "$h"
read -r _ ow oc om <<<"$o"; read -r _ hw hc hm <<<"$h"
awk -v a="$hw" -v b="$ow" -v c="$hc" -v d="$oc" -v e="$om" -v f="$hm" 'BEGIN{
    printf "reads->pathways: wall %.1fx, cpu %.1fx faster; memory %.2fx of HUMAnN\n", a/b, c/d, e/f}'
/usr/bin/python3 "$here/compare_genefamilies.py" "$work/hum/demo_genefamilies.tsv" "$work/orb/demo_genefamilies.tsv" \
    "$S/demo.fastq.gz"
# Pathways from a gene-family table (the three-species parity table), MinPath on, 2 threads each
# (HUMAnN runs its strata in worker processes, orbiome in threads): orbiome reading the maps from
# the FDB (--db) and, for reference, from the bz2 map and pathway file as HUMAnN does.
/usr/bin/python3 "$here/../../tests/parity/humann/make_genefamilies.py" "$F/metacyc_reactions_level4ec_only.uniref.bz2" "$work"
g=$work/three_species_genefamilies.tsv
o=$(measure orbiome_pathways_db "$bin" function pathways --genefamilies "$g" --db "$work/dorei.fdb" --out-dir "$work/orbpw" \
    --threads 2)
b=$(measure orbiome_pathways_bz2 "$bin" function pathways --genefamilies "$g" \
    --reactions "$F/metacyc_reactions_level4ec_only.uniref.bz2" \
    --pathways "$F/metacyc_pathways_structured_filtered_v24_subreactions" --out-dir "$work/orbpw2" --threads 2)
h=$(measure humann_pathways "$humann" --input "$g" --output "$work/humpw" --pathways-database "$pwdb" --minpath on \
    --threads 2)
echo "$o"; echo "$b"; echo "$h"
for f in pathabundance pathcoverage; do  # same numbers from both orbiome runs
    cmp -s <(tail -n +2 "$work/orbpw/three_species_$f.tsv") <(tail -n +2 "$work/orbpw2/three_species_$f.tsv") ||
        { echo "orbiome --db and --reactions/--pathways disagree on $f"; exit 1; }
done
read -r _ ow oc _ <<<"$o"; read -r _ bw bc _ <<<"$b"; read -r _ hw hc _ <<<"$h"
awk -v a="$hw" -v b="$ow" -v c="$hc" -v d="$oc" -v e="$bw" -v f="$bc" 'BEGIN{
    printf "genefamilies->pathways: --db wall %.1fx, cpu %.1fx faster; bz2 map wall %.1fx, cpu %.1fx\n", a/b, c/d, a/e, c/f}'
