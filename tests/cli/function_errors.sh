#!/usr/bin/env bash
# Bad input to function quantify / pathways / profile and db build-function: SPEC exit code, one
# clear line naming the file (and line), and nothing written.
set -u
bin=$1
source "${ORBIOME_SOURCE:?}/tests/support/cli.sh"

# expect CODE PATTERN -- command...
expect() {
    local code=$1 pattern=$2
    shift 3
    rm -rf "$tmp/out.tsv" "$tmp/outdir" "$tmp/out.fdb"
    "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    if [[ $rc -ne $code ]]; then die "($rc != $code): $*"; cat "$tmp/stderr"; return; fi
    grep -qF -- "$pattern" "$tmp/stderr" || { die "message lacks '$pattern': $*"; cat "$tmp/stderr"; }
    [[ $(grep -c . "$tmp/stderr") -le 2 ]] || die "more than an error and a hint line: $*"
    [[ -e $tmp/out.tsv || -e $tmp/out.fdb ]] && die "output left behind: $*"
    [[ -n $(ls "$tmp/outdir" 2>/dev/null) ]] && die "files left in the output folder: $*"
    ls "$tmp" | grep -q '\.tmp' && die "temporary file left behind: $*"
}

ref='g1|k__Bacteria.g__Bacteroides.s__Bacteroides_dorei|UniRef90_A|UniRef50_A|100'
printf 'r1\t0\t%s\t1\t42\t50M\t*\t0\t0\tACGT\n' "$ref" >"$tmp/short.sam"
printf 'r1\t0\t%s\t1\t42\t50M\t*\t0\t0\tACGT\tIIII\tNM:i:0\n' "$ref" >"$tmp/nomd.sam"
printf 'r1\t0\t%s\tx\t42\t50M\t*\t0\t0\tACGT\tIIII\tMD:Z:50\n' "$ref" >"$tmp/badpos.sam"
printf 'q1|100\tUniRef90_A|900\t90.0\t30\t3\t0\t1\t90\t1\t30\t1e-10\n' >"$tmp/eleven.m8"
printf 'q1|100\tUniRef90_A|900\tninety\t30\t3\t0\t1\t90\t1\t30\t1e-10\t50\n' >"$tmp/badnum.m8"
q=("$bin" function quantify --out "$tmp/out.tsv")
expect 65 "short.sam:1: SAM record has 10 fields, needs at least 11" -- "${q[@]}" --sam "$tmp/short.sam"
expect 65 "nomd.sam:1: mapped SAM record of read 'r1' has no MD:Z tag" -- "${q[@]}" --sam "$tmp/nomd.sam"
expect 65 "badpos.sam:1: SAM POS 'x' is not an integer" -- "${q[@]}" --sam "$tmp/badpos.sam"
expect 65 "eleven.m8:1: BLAST tabular line has 11 columns, expected 12" -- "${q[@]}" --blast-tab "$tmp/eleven.m8"
expect 65 "badnum.m8:1" -- "${q[@]}" --blast-tab "$tmp/badnum.m8"
expect 66 "nope.sam" -- "${q[@]}" --sam "$tmp/nope.sam"
expect 64 "give at least one --sam FILE or --blast-tab FILE" -- "${q[@]}"
printf 'garbage\x00\n' >"$tmp/binary.sam"
expect 65 "binary.sam:1: NUL byte" -- "${q[@]}" --sam "$tmp/binary.sam"

printf '# Gene Family\ts\nUNMAPPED\t10\nUniRef90_A\t5.0\nUniRef90_A|g__B.s__C\t-2.5\n' >"$tmp/neg_genefamilies.tsv"
printf '# Gene Family\ts\nUNMAPPED\t10\nUniRef90_A\tabc\n' >"$tmp/nan_genefamilies.tsv"
printf '# Gene Family\ts\nUNMAPPED\t10\nUniRef90_A\t5.0\n' >"$tmp/ok_genefamilies.tsv"
printf 'R1\t1.1.1.1\tUniRef90_A\nR2-no-tab-here\n' >"$tmp/bad_rxn.tsv"
printf 'R1\t1.1.1.1\tUniRef90_A\n' >"$tmp/rxn.tsv"
printf 'P1\t ( R1 R2 )\nP2\t R1 ) R2\n' >"$tmp/bad_pwy.tsv"
printf 'P1\t ( R1 R2 )\nP2 without a tab\n' >"$tmp/notab_pwy.tsv"
printf 'P1\t ( R1 R2 )\n' >"$tmp/pwy.tsv"
pw() { "$bin" function pathways --out-dir "$tmp/outdir" "$@"; }
expect 65 "neg_genefamilies.tsv:4: negative gene-family value -2.5 for 'UniRef90_A|g__B.s__C'" -- \
    pw --genefamilies "$tmp/neg_genefamilies.tsv" --reactions "$tmp/rxn.tsv" --pathways "$tmp/pwy.tsv"
expect 65 "nan_genefamilies.tsv:3" -- pw --genefamilies "$tmp/nan_genefamilies.tsv" --reactions "$tmp/rxn.tsv" --pathways "$tmp/pwy.tsv"
expect 65 "bad_rxn.tsv:2: reaction map line is not REACTION<TAB>EC<TAB>GENE" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --reactions "$tmp/bad_rxn.tsv" --pathways "$tmp/pwy.tsv"
expect 65 "bad_pwy.tsv:2: pathway P2: ')' without a matching '('" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --reactions "$tmp/rxn.tsv" --pathways "$tmp/bad_pwy.tsv"
expect 65 "notab_pwy.tsv:2: pathway line has no tab" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --reactions "$tmp/rxn.tsv" --pathways "$tmp/notab_pwy.tsv"
expect 64 "--minpath" -- pw --genefamilies "$tmp/ok_genefamilies.tsv" --reactions "$tmp/rxn.tsv" --pathways "$tmp/pwy.tsv" --minpath maybe
printf 'BZh91AY&SYgarbage' >"$tmp/corrupt.bz2"
expect 65 "corrupt.bz2:1: corrupt or truncated bzip2 stream" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --reactions "$tmp/corrupt.bz2" --pathways "$tmp/pwy.tsv"

printf '>%s\nACGTACGTACGTACGTACGTAAAACCCGGGTTT\n' "$ref" >"$tmp/pan.fa"
expect 65 "bad_pwy.tsv:2" -- "$bin" db build-function --pangenomes "$tmp/pan.fa" --reactions "$tmp/rxn.tsv" \
    --pathways "$tmp/bad_pwy.tsv" --out "$tmp/out.fdb"
run "$bin" db build-function --pangenomes "$tmp/pan.fa" --reactions "$tmp/rxn.tsv" --pathways "$tmp/pwy.tsv" --out "$tmp/ok.fdb"
head -c 100 "$tmp/ok.fdb" >"$tmp/trunc.fdb"
printf '@r1\nACGTACGTACGTACGTACGT\n+\nIIIIIIIIIIIIIIIIIIII\n' >"$tmp/r.fq"
expect 65 "trunc.fdb: not a valid orbiome functional database" -- \
    "$bin" function profile --reads "$tmp/r.fq" --sample s --db "$tmp/trunc.fdb" --out-dir "$tmp/outdir"
head -c -3 "$tmp/ok.fdb" >"$tmp/tail.fdb"  # genes section cut short
expect 65 "tail.fdb: not a valid orbiome functional database" -- \
    "$bin" function profile --reads "$tmp/r.fq" --sample s --db "$tmp/tail.fdb" --out-dir "$tmp/outdir"
cp "$tmp/ok.fdb" "$tmp/flip.fdb"
printf 'X' | dd of="$tmp/flip.fdb" bs=1 seek=30 conv=notrunc 2>/dev/null  # a byte of the maps section
expect 65 "flip.fdb: not a valid orbiome functional database (checksum mismatch" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --db "$tmp/flip.fdb"
expect 65 "trunc.fdb: not a valid orbiome functional database" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --db "$tmp/trunc.fdb"
expect 64 "--reactions excludes --db" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --db "$tmp/ok.fdb" --reactions "$tmp/rxn.tsv"
expect 64 "give --reactions MAP and --pathways FILE, or --db FDB" -- \
    pw --genefamilies "$tmp/ok_genefamilies.tsv" --reactions "$tmp/rxn.tsv"
expect 64 "issue #13" -- "$bin" function profile --reads "$tmp/r.fq" --sample s --db "$tmp/ok.fdb" \
    --protein-db "$tmp/ok.fdb" --out-dir "$tmp/outdir"
exit $fail
