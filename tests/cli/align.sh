#!/usr/bin/env bash
# orbiome db build-protein + orbiome align (issue #13) as a whole process, on the DIAMOND
# parity case in the repo: BLAST tabular with 12 columns, the same file for any --threads,
# mates as separate queries, --top / --max-target-seqs / --evalue, and clear errors (bad
# protein FASTA names file, line and record; no output left behind).
# Usage: bash align.sh /path/to/orbiome
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/cli.sh"
case_dir=$here/../parity/diamond/humann_demo

run "$bin" db build-protein --proteins "$case_dir/proteins.fna" --out "$tmp/demo.pdb"
run "$bin" align --db "$tmp/demo.pdb" --reads "$case_dir/reads.fq" --out "$tmp/t1.m8" --threads 1 --quiet
run "$bin" align --db "$tmp/demo.pdb" --reads "$case_dir/reads.fq" --out "$tmp/t2.m8" --threads 2 --quiet
same "$tmp/t1.m8" "$tmp/t2.m8"
[[ $(awk -F'\t' 'NF != 12' "$tmp/t1.m8" | wc -l) -eq 0 ]] || die "a line without 12 columns"
n=$(cut -f1 "$tmp/t1.m8" | sort -u | wc -l)
[[ $n -ge 315 && $n -le 330 ]] || die "$n reads aligned, want about 318 (DIAMOND: 318)"
# The first hit of a read is DIAMOND's best hit.
agree=$(join -t$'\t' <(awk -F'\t' '!s[$1]++ {print $1"\t"$2}' "$tmp/t1.m8" | sort) \
                     <(awk -F'\t' '!s[$1]++ {print $1"\t"$2}' "$case_dir/diamond.m8" | sort) | awk -F'\t' '$2 == $3' | wc -l)
[[ $agree -ge 315 ]] || die "only $agree best hits agree with DIAMOND"
# --top 0 keeps only the best-scoring proteins; --evalue 1e-30 drops everything weaker.
run "$bin" align --db "$tmp/demo.pdb" --reads "$case_dir/reads.fq" --out "$tmp/top.m8" --top 0 --quiet
[[ $(wc -l <"$tmp/top.m8") -le $(wc -l <"$tmp/t1.m8") ]] || die "--top 0 gave more lines"
run "$bin" align --db "$tmp/demo.pdb" --reads "$case_dir/reads.fq" --out "$tmp/strict.m8" --evalue 1e-15 --quiet
awk -F'\t' '$11 > 1e-15 {exit 1}' "$tmp/strict.m8" || die "--evalue 1e-15 let a weaker hit through"
# Paired input: each mate is a query of its own.
head -8 "$case_dir/reads.fq" | sed 's/^@\([^ ]*\)/@\1\/1/' >"$tmp/r1.fq"
head -8 "$case_dir/reads.fq" | sed 's/^@\([^ ]*\)/@\1\/2/' >"$tmp/r2.fq"
run "$bin" align --db "$tmp/demo.pdb" --reads "$tmp/r1.fq" --reads2 "$tmp/r2.fq" --out "$tmp/pair.m8" --quiet
# A CDS file translated into a PDB.
printf '>g1\nATGGCCTGGTAA\n' >"$tmp/c.ffn"
run "$bin" db build-protein --translate "$tmp/c.ffn" --out "$tmp/c.pdb"

# Errors: bad letters, an empty record, nucleotides given as proteins, a missing database.
printf '>a\nMKT\n>b\nMK7T\n' >"$tmp/bad.faa"
"$bin" db build-protein --proteins "$tmp/bad.faa" --out "$tmp/bad.pdb" 2>"$tmp/err" && die "bad letter accepted"
grep -q "bad.faa:4: record 2 ('b'): '7' at position 3 is not an amino-acid letter" "$tmp/err" || die "message: $(cat "$tmp/err")"
[[ -e $tmp/bad.pdb ]] && die "output left after an error"
printf '>a\n\n>b\nMKT\n' >"$tmp/empty.faa"
"$bin" db build-protein --proteins "$tmp/empty.faa" --out "$tmp/e.pdb" 2>"$tmp/err"
[[ $? -eq 65 ]] || die "empty record: exit code"
grep -q "empty sequence record" "$tmp/err" || die "empty record message: $(cat "$tmp/err")"
printf '>g2\nATGGCCTGGAAACCCGGGTTTACGTACGTACGTTAA\n' >"$tmp/long.ffn"
"$bin" db build-protein --proteins "$tmp/long.ffn" --out "$tmp/n.pdb" 2>"$tmp/err" && die "nucleotides accepted as protein"
grep -q "use 'orbiome db build-protein --translate'" "$tmp/err" || die "nucleotide hint: $(cat "$tmp/err")"
"$bin" align --db "$tmp/missing.pdb" --reads "$case_dir/reads.fq" --out "$tmp/x.m8" 2>"$tmp/err"
[[ $? -eq 66 ]] || die "missing database: exit code"
"$bin" align --db "$case_dir/proteins.fna" --reads "$case_dir/reads.fq" --out "$tmp/x.m8" 2>"$tmp/err"
[[ $? -eq 65 ]] || die "a FASTA given as --db: exit code"
grep -q "not a valid protein database" "$tmp/err" || die "message: $(cat "$tmp/err")"
exit $fail
