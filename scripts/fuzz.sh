#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) and runs each for SECONDS_PER_TARGET seconds
# (default 30), seeded from ../shared/data when present, else from tests/data.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     e.g. scripts/fuzz.sh 60 newick metadata
#
# Before fuzzing, every saved crash in tests/fuzz-regressions/<target>/ is replayed. Prints, per
# target, the executions and the crashes found; new crash inputs are left in
# build-fuzz/fuzz-artifacts/<target>/ (copy them into tests/fuzz-regressions/<target>/ once fixed).
# Exit status: 0 if nothing crashed, 1 otherwise.
set -euo pipefail

seconds=${1:-30}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ORBIOME_FUZZ_BUILD:-$root/build-fuzz}
shared=${ORBIOME_SHARED_DATA:-$root/../shared/data}
jobs=${ORBIOME_FUZZ_JOBS:-2}

all_targets=(newick metadata taxdump lineage distance_matrix fastx index study)
[[ -f $root/src/io/table_io.cpp ]] && all_targets+=(table)
targets=("${@:-${all_targets[@]}}")

if [[ ! -f $build/build.ninja ]]; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DORBIOME_FUZZ=ON -DORBIOME_TESTS=OFF >/dev/null
fi
if ! ninja -C "$build" -j"$jobs" "${targets[@]/#/fuzz_}" >"$build/fuzz-build.log" 2>&1; then
    tail -30 "$build/fuzz-build.log" >&2
    exit 2
fi

# max_len per target (bytes): large enough for a real small file, small enough to stay fast.
declare -A max_len=([newick]=20000 [metadata]=16384 [taxdump]=8192 [lineage]=4096
                    [distance_matrix]=16384 [table]=16384 [fastx]=16384 [index]=262144 [study]=8192)

# seed <target> <dir>: copies real inputs (each cut to max_len) into <dir>.
seed() {
    local t=$1 dir=$2 limit=${max_len[$1]} f
    local -a files=()
    case $t in
    newick)
        files=("$shared"/tables/skbio/qiime191tt_tree_*.nwk "$shared"/tables/phyloseq/gp500_tree.nwk
               "$shared"/taxonomy/woltka_107genomes/tree.nwk "$root"/tests/data/newick/*.nwk) ;;
    metadata)
        files=("$shared"/rr5/16S_fecal/meta_table.txt "$shared"/tables/skbio/stats_distance_moving_pictures_mf.tsv
               "$shared"/tables/vegan/vegan_dune_env.tsv "$shared"/amplicon/q2_dada2_tests/expected/stats-format.tsv
               "$root"/tests/data/metadata/*.t[sx][vt]) ;;
    taxdump)
        files=("$shared"/taxonomy/kraken2_tiny/nodes.dmp "$shared"/taxonomy/woltka_107genomes/taxonomy_nodes.dmp
               "$root"/tests/data/taxonomy/*nodes.dmp) ;;
    lineage)
        files=("$shared"/taxonomy/woltka_107genomes/taxonomy_lineages.txt "$root"/tests/data/taxonomy/woltka_lineages.txt)
        # single lineage strings in several styles
        printf 'k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__; g__; s__' >"$dir/gg.txt"
        printf 'D_0__Bacteria;D_1__Bacteroidetes;D_2__Bacteroidia;D_5__uncultured' >"$dir/silva.txt"
        printf 'k__Bacteria|p__Firmicutes|s__Ruminococcus_bromii|t__SGB4285' >"$dir/metaphlan.txt"
        printf 'Bacteria;NA;Clostridia;;Lachnospiraceae' >"$dir/positional.txt" ;;
    distance_matrix)
        files=("$shared"/tables/skbio/qiime191tt_*_dm.tsv "$shared"/tables/skbio/stats_distance_moving_pictures_dm.tsv
               "$shared"/tables/skbio/stats_distance_mantel_*_dm_vegan.txt "$root"/tests/data/diversity/*dm*.tsv) ;;
    table)
        files=("$shared"/tables/phyloseq/min_dense_otu_table.biom "$shared"/tables/phyloseq/min_sparse_otu_table.biom
               "$shared"/tables/phyloseq/rich_sparse_otu_table.biom "$shared"/tables/skbio/qiime191tt_otu_table.tsv
               "$shared"/rr5/16S_fecal/otu_table.txt "$root"/tests/data/diversity/*otu_table.tsv) ;;
    fastx)
        files=("$root"/tests/data/profiler/*.fq "$root"/tests/data/profiler/ref1.fa)
        # the same reads gzipped, so the gzip path is fuzzed too
        gzip -c "$root"/tests/data/profiler/reads.fq | head -c "$limit" >"$dir/reads.fq.gz" ;;
    index)
        # a real index of the three test genome slices, built by the normal build's binary
        local orbiome=${ORBIOME_BIN:-$root/build/orbiome} p=$root/tests/data/profiler
        [[ -x $orbiome ]] && "$orbiome" db build --genomes "$p/ref1.fa" "$p/ref2.fa" "$p/ref3.fa" --taxdump "$p/taxdump" \
            --seqid2taxid "$p/seqid2taxid.tsv" --out "$dir/test.idx" >/dev/null 2>&1 ;;
    study)
        files=("$root"/data/rr5/fecal.toml) ;;
    esac
    for f in "${files[@]}"; do
        [[ -f $f ]] && head -c "$limit" "$f" >"$dir/$(basename "$f")"
    done
    return 0
}

status=0
printf '%-16s %12s %8s %s\n' target executions crashes note
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/fuzz_$t
    work=$build/fuzz-work/$t
    art=$build/fuzz-artifacts/$t
    mkdir -p "$work/seed" "$work/corpus" "$art"
    seed "$t" "$work/seed"
    note=""
    regress=("$root"/tests/fuzz-regressions/"$t"/*)
    if [[ -e ${regress[0]} ]]; then
        if "$bin" "${regress[@]}" >"$work/regress.log" 2>&1; then
            note="replayed ${#regress[@]} regression input(s)"
        else
            note="REGRESSION FAILED, see $work/regress.log"
            status=1
        fi
    fi
    before=$(find "$art" -type f | wc -l)
    "$bin" -max_total_time="$seconds" -max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$art/" "$work/corpus" "$work/seed" >"$work/run.log" 2>&1 || true
    after=$(find "$art" -type f | wc -l)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/run.log" | grep -o '[0-9]*$' || echo 0)
    crashes=$((after - before))
    ((crashes > 0)) && status=1 && note="$note new artifacts in $art"
    printf '%-16s %12s %8s %s\n' "$t" "${execs:-0}" "$crashes" "$note"
done
exit $status
