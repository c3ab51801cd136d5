#!/usr/bin/env bash
# orbiome function quantify / pathways against HUMAnN 3.9's own outputs, frozen in
# tests/parity/humann/<case>/ (PROVENANCE.md there says how each was made): every row, 1e-9.
set -u
bin=$1
src=${ORBIOME_SOURCE:?}
shared=${ORBIOME_SHARED_DATA:?}
p=$src/tests/parity/humann
humann_data=$shared/../peers/humann-3.9/humann/tests/data
fdemo=$shared/functional/humann_demo
[[ -d $fdemo && -f $humann_data/demo.sam ]] || { echo "skip: ../shared data or HUMAnN demo inputs absent"; exit 77; }
source "$src/tests/support/cli.sh"
check() {  # check EXPECTED ACTUAL
    awk -F'\t' -f "$p/compare.awk" "$1" "$2" 2>"$tmp/cmp" >"$tmp/cmpout" || { die "$2 vs $1"; head "$tmp/cmpout"; }
    echo "$(basename "$(dirname "$1")")/$(basename "$1"): $(cat "$tmp/cmp")"
}

# Gene families from HUMAnN's demo inputs.
run "$bin" function quantify --blast-tab "$humann_data/demo.m8" --out "$tmp/m8_genefamilies.tsv"
check "$p/demo_m8/demo_genefamilies.tsv" "$tmp/m8_genefamilies.tsv"
run "$bin" function quantify --sam "$humann_data/demo.sam" --out "$tmp/sam_genefamilies.tsv"
check "$p/demo_sam/demo_genefamilies.tsv" "$tmp/sam_genefamilies.tsv"
bash "$p/demo_sam_v3/convert.sh" "$humann_data/demo.sam" >"$tmp/demo_v3.sam"
run "$bin" function quantify --sam "$tmp/demo_v3.sam" --out "$tmp/v3_genefamilies.tsv"
check "$p/demo_sam_v3/demo_v3_genefamilies.tsv" "$tmp/v3_genefamilies.tsv"

# Pathways from stratified gene-family tables over the demo reaction map, MinPath on and off.
/usr/bin/python3 "$p/make_genefamilies.py" "$fdemo/metacyc_reactions_level4ec_only.uniref.bz2" "$tmp" ||
    { echo "skip: /usr/bin/python3 absent"; exit 77; }
# The tables must be the ones HUMAnN was run on (checksums recorded when the outputs were frozen).
(cd "$tmp" && sha256sum -c --quiet "$p/genefamilies.sha256") || die "generated gene-family tables differ from the frozen ones"
# The same maps read from an FDB (--db; one gene is enough, only its maps are read), with the
# strata computed on 2 threads: the same numbers.
printf '>g1|k__Bacteria.g__B.s__B_x|UniRef90_A|UniRef50_A|30\nACGTACGTACGTACGTACGTAAAACCCGGG\n' >"$tmp/pan.fa"
run "$bin" db build-function --pangenomes "$tmp/pan.fa" --reactions "$fdemo/metacyc_reactions_level4ec_only.uniref.bz2" \
    --pathways "$fdemo/metacyc_pathways_structured_filtered_v24_subreactions" --out "$tmp/maps.fdb"
for c in three_species two_species_dense one_species_sparse; do
    for m in on off; do
        run "$bin" function pathways --genefamilies "$tmp/${c}_genefamilies.tsv" \
            --reactions "$fdemo/metacyc_reactions_level4ec_only.uniref.bz2" \
            --pathways "$fdemo/metacyc_pathways_structured_filtered_v24_subreactions" \
            --pathway-names "$fdemo/map_metacyc-pwy_name.txt.gz" --minpath $m --out-dir "$tmp/pw_$m"
        check "$p/pathways_${c}_minpath_$m/${c}_pathabundance.tsv" "$tmp/pw_$m/${c}_pathabundance.tsv"
        check "$p/pathways_${c}_minpath_$m/${c}_pathcoverage.tsv" "$tmp/pw_$m/${c}_pathcoverage.tsv"
        run "$bin" function pathways --genefamilies "$tmp/${c}_genefamilies.tsv" --db "$tmp/maps.fdb" \
            --pathway-names "$fdemo/map_metacyc-pwy_name.txt.gz" --minpath $m --threads 2 --out-dir "$tmp/db_$m"
        for f in pathabundance pathcoverage reactions; do
            cmp -s <(tail -n +2 "$tmp/pw_$m/${c}_$f.tsv") <(tail -n +2 "$tmp/db_$m/${c}_$f.tsv") ||
                die "$c minpath $m: --db --threads 2 gives another ${f} table than --reactions/--pathways"
        done
    done
done
exit $fail
