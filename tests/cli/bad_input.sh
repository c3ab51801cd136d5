#!/usr/bin/env bash
# The bad-input suite (issue #7): malformed or inconsistent input across commands. Each case
# asserts the exit code, that the one error line names the file and the line/record (or the
# sample, column or key at fault), and that no output file is left behind. Inputs a user
# expects to be accepted (BOM, CRLF) are checked to give the right numbers.
# Usage: bash bad_input.sh /path/to/orbiome
set -u
bin=$1
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0 n=0

# expect NAME CODE PATTERN OUTPUT -- command...: exit CODE, stderr matches PATTERN (ERE) on its
# first line, a single error line, and no output file is left (OUTPUT is a path in the working
# folder, or - when the case has none).
expect() {
  local name=$1 code=$2 pattern=$3 out=$4
  shift 5
  n=$((n + 1))
  "$@" >stdout.txt 2>stderr.txt
  local rc=$?
  local first
  first=$(grep -m1 'error:' stderr.txt)
  if [[ $rc -ne $code ]]; then echo "FAIL [$name]: exit $rc, want $code: $(cat stderr.txt)"; fail=1; return; fi
  if ! grep -qE -- "$pattern" <<<"$first"; then echo "FAIL [$name]: message '$first' does not match /$pattern/"; fail=1; fi
  if [[ $(grep -c 'error:' stderr.txt) -ne 1 ]]; then echo "FAIL [$name]: not one error line: $(cat stderr.txt)"; fail=1; fi
  # No output file: neither OUTPUT nor a temporary beside it, nor a file inside OUTPUT when it
  # is an output directory (an empty directory may remain).
  if [[ $out != - ]] && [[ -n $(find . -maxdepth 1 -name "$out*" -type f) || ( -d $out && -n $(find "$out" -type f) ) ]]; then
    echo "FAIL [$name]: output left: $(find . -name "$out*")"; fail=1
  fi
}
# accept NAME CHECK -- command...: exit 0 and CHECK (a shell condition) holds.
accept() {
  local name=$1 check=$2
  shift 3
  n=$((n + 1))
  if ! "$@" >stdout.txt 2>stderr.txt; then echo "FAIL [$name]: $(cat stderr.txt)"; fail=1; return; fi
  eval "$check" || { echo "FAIL [$name]: check '$check' failed"; fail=1; }
}

# --- inputs --------------------------------------------------------------------------------
printf '#OTU ID\tS1\tS2\tS3\nf1\t10\t0\t5\nf2\t3\t7\t1\nf3\t0\t2\t9\n' > good.tsv
printf 'f1\tk__Bacteria;p__Firmicutes;g__Dorea\nf2\tk__Bacteria;p__Bacteroidetes;g__Bacteroides\nf3\tk__Bacteria;p__Firmicutes;g__\n' > tax.tsv
printf 'sample-id\tgroup\tage\nS1\ta\t3\nS2\ta\t4\nS3\tb\t5\n' > md.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\t10\t0\nf2\t3\t7\t1\n' > ragged.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\t10\tx\t5\n' > nonnum.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\t10\t-2\t5\n' > negative.tsv
printf '#OTU ID\tS1\tS1\tS3\nf1\t10\t2\t5\n' > dupsample.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\t10\t2\t5\nf1\t1\t1\t1\n' > dupfeature.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\tNaN\t2\t5\n' > nan.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\tInf\t2\t5\n' > inf.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\t0.5\t2\t5\n' > fractional.tsv
printf '#OTU ID\tS1\tS2\tS3\nf1\t1\t0\t5\nf2\t2\t0\t5\n' > zerosample.tsv
: > empty.tsv
head -c 3000 /dev/urandom | tr -d '\n' > garbage.bin
printf '\xef\xbb\xbf#OTU ID\tS1\tS2\tS3\r\nf1\t10\t0\t5\r\nf2\t3\t7\t1\r\nf3\t0\t2\t9\r\n' > bom_crlf.tsv
"$bin" table convert good.tsv good.biom >/dev/null 2>&1 || echo "FAIL: could not make good.biom"
head -c 2000 good.biom > truncated.biom
printf 'sample-id\tgroup\nS1\ta\nS2\ta\tx\nS3\tb\n' > md_ragged.tsv
printf 'sample-id\tgroup\nS1\ta\nS1\ta\nS3\tb\n' > md_dup.tsv
printf 'sample-id\tgroup\nS1\ta\nS2\ta\n' > md_missing.tsv
printf 'sample-id\tgroup\tage\nS1\ta\t3\nS2\ta\tNA\nS3\tb\t5\n' > md_na.tsv
printf '#OTU ID\tS1\tS2\tS3\tS4\nf1\t10\t0\t5\t4\nf2\t3\t7\t1\t2\n' > good4.tsv
printf 'sample-id\tgroup\tage\nS1\ta\t3\nS2\ta\tNA\nS3\tb\t5\nS4\tb\t6\n' > md4_na.tsv
printf 'metabolite\tX1\tX2\tX3\nlactate\t1.5\t2.5\t0.5\n' > mtb_other.tsv
printf 'sample-id\tgroup\nS1\ta\nS2\tb\nS3\tb\n' > md_single.tsv
printf '\tS1\tS2\tS3\nS1\t0\t0.5\t0.2\nS2\t0.4\t0\t0.3\nS3\t0.2\t0.3\t0\n' > asym.tsv
printf '\tS1\tS2\tS3\nS1\t0\tNaN\t0.2\nS2\tNaN\t0\t0.3\nS3\t0.2\t0.3\t0\n' > dm_nan.tsv
printf '\tS1\tS2\tS3\nS1\t1\t0.5\t0.2\nS2\t0.5\t0\t0.3\nS3\t0.2\t0.3\t0\n' > dm_diag.tsv
printf '\tS1\tS2\tS3\nS1\t0\t0.5\t0.2\nS2\t0.5\t0\t0.3\nS3\t0.2\t0.3\t0\n' > dm.tsv
printf '((f1:0.1,f2:0.2):0.3,f3:0.4;\n' > unbalanced.nwk
printf '((f1:0.1,f2:-0.2):0.3,f3:0.4);\n' > negbranch.nwk
printf '((f1:0.1,f2:0.2):0.3,fX:0.4);\n' > missingtip.nwk
printf '[study]\nname = "x"\n[inputs]\ntable = "good.tsv"\nmetadata = "md.tsv"\n[design]\ngroup = "group"\n[[comparisons]]\ntest = "a"\nreference = "c"\n' > study.toml
mkdir -p readonly && chmod 555 readonly

# --- feature tables ------------------------------------------------------------------------
expect ragged_tsv 65 "ragged.tsv:2: .*3 values|ragged.tsv:2:" out1.tsv -- "$bin" table convert ragged.tsv out1.tsv
expect nonnumeric_count 65 "nonnum.tsv:2: .*'x'" out2.tsv -- "$bin" table convert nonnum.tsv out2.tsv
expect negative_count 65 "negative.tsv:2: .*negative" out3.tsv -- "$bin" table convert negative.tsv out3.tsv
expect duplicate_sample 65 "dupsample.tsv(:1)?: .*duplicate sample id 'S1'" out4.tsv -- "$bin" table convert dupsample.tsv out4.tsv
expect duplicate_feature 65 "dupfeature.tsv(:3)?: .*'f1'" out5.tsv -- "$bin" table convert dupfeature.tsv out5.tsv
expect nan_count 65 "nan.tsv:2: .*'NaN'" out6.tsv -- "$bin" table convert nan.tsv out6.tsv
expect inf_count 65 "inf.tsv:2: .*'Inf'" out7.tsv -- "$bin" table convert inf.tsv out7.tsv
expect empty_file 65 "empty.tsv" out8.tsv -- "$bin" table convert empty.tsv out8.tsv
expect binary_garbage 65 "garbage.bin" out9.tsv -- "$bin" table convert garbage.bin out9.tsv
expect truncated_hdf5 65 "truncated.biom" out10.tsv -- "$bin" table convert truncated.biom out10.tsv
expect missing_input 66 "nope.tsv: no such file" out11.tsv -- "$bin" table convert nope.tsv out11.tsv
expect directory_input 66 "readonly: is a directory" out12.tsv -- "$bin" table convert readonly out12.tsv
expect output_dir_missing 74 "no/such/dir/out.tsv: cannot create output" - -- "$bin" table convert good.tsv no/such/dir/out.tsv
expect disk_full 74 "/dev/full: write failed" - -- "$bin" table convert good.tsv /dev/full --to tsv
expect unknown_extension 64 "out.xyz|extension" out.xyz -- "$bin" table convert good.tsv out.xyz
head -2 tax.tsv > tax_short.tsv
expect taxonomy_missing_ids 65 "tax_short.tsv: .*'f3'" out13.tsv -- "$bin" table convert good.tsv out13.tsv --taxonomy tax_short.tsv
expect rarefy_fractional 65 "fractional|integer" out14.tsv -- "$bin" table rarefy --table fractional.tsv --depth 1 --seed 1 --out out14.tsv
expect rarefy_too_deep 64 "no sample has 1000 counts" out15.tsv -- "$bin" table rarefy --table good.tsv --depth 1000 --seed 1 --out out15.tsv
expect collapse_no_lineage 64 "no lineages" out16.tsv -- "$bin" table collapse --table good.tsv --rank genus --out out16.tsv
expect collapse_bad_rank 64 "unknown rank 'genre'" out17.tsv -- "$bin" table collapse --table good.tsv --taxonomy tax.tsv --rank genre --out out17.tsv
expect relabund_zero_sample 65 "'S2': sample has no counts" out18.tsv -- "$bin" table relabund --table zerosample.tsv --out out18.tsv
expect filter_no_rule 64 "no filter rule" out19.tsv -- "$bin" table filter --table good.tsv --out out19.tsv
expect unknown_flag 64 "--bogus" out20.tsv -- "$bin" table filter --table good.tsv --bogus 3 --out out20.tsv
expect merge_same_sample 65 "good.tsv.*'S1'.*also present" out21.tsv -- "$bin" table merge good.tsv good.tsv --out out21.tsv
accept bom_crlf_accepted "grep -q \$'^f2\\t3\\t7\\t1\$' out22.tsv" -- "$bin" table convert bom_crlf.tsv out22.tsv

# --- diversity -----------------------------------------------------------------------------
expect alpha_zero_sample 65 "S2" out23.tsv -- "$bin" alpha --table zerosample.tsv --out out23.tsv
expect faith_without_tree 64 "faith_pd needs a tree" out24.tsv -- "$bin" alpha --table good.tsv --metrics faith_pd --out out24.tsv
expect unknown_metric 64 "unknown.*'bray'|'bray'" out25.tsv -- "$bin" beta --table good.tsv --metric bray --out out25.tsv
expect tree_missing_feature 65 "missingtip.nwk.*f3|f3.*missingtip.nwk" out26.tsv -- "$bin" beta --table good.tsv --metric unweighted_unifrac --tree missingtip.nwk --out out26.tsv
expect negative_branch 65 "negbranch.nwk:1: .*negative" out27.tsv -- "$bin" beta --table good.tsv --metric unweighted_unifrac --tree negbranch.nwk --out out27.tsv
expect unbalanced_newick 65 "unbalanced.nwk:1: " out28.tsv -- "$bin" alpha --table good.tsv --metrics faith_pd --tree unbalanced.nwk --out out28.tsv

# --- distance matrices and metadata --------------------------------------------------------
expect dm_asymmetric 65 "asym.tsv:[0-9]+: matrix is not symmetric" out29.tsv -- "$bin" pcoa --dm asym.tsv --out out29.tsv
expect dm_nan 65 "dm_nan.tsv:2: .*'NaN'" out30.tsv -- "$bin" pcoa --dm dm_nan.tsv --out out30.tsv
expect dm_diagonal 65 "dm_diag.tsv:2: non-zero diagonal" out31.tsv -- "$bin" pcoa --dm dm_diag.tsv --out out31.tsv
expect formula_unknown_column 64 "md.tsv.*'colour'|'colour'.*md.tsv" out32.tsv -- "$bin" permanova --dm dm.tsv --metadata md.tsv --formula colour --permutations 9 --seed 1 --out out32.tsv
expect formula_na 65 "'age'.*S2|S2.*'age'" out33.tsv -- "$bin" permanova --dm dm.tsv --metadata md_na.tsv --formula age --permutations 9 --seed 1 --out out33.tsv
expect metadata_missing_sample 65 "S3" out34.tsv -- "$bin" permanova --dm dm.tsv --metadata md_missing.tsv --formula group --permutations 9 --seed 1 --out out34.tsv
expect metadata_ragged 65 "md_ragged.tsv:3: " out35.tsv -- "$bin" permanova --dm dm.tsv --metadata md_ragged.tsv --formula group --permutations 9 --seed 1 --out out35.tsv
expect metadata_duplicate 65 "md_dup.tsv:3: .*'S1'" out36.tsv -- "$bin" permanova --dm dm.tsv --metadata md_dup.tsv --formula group --permutations 9 --seed 1 --out out36.tsv
expect one_sample_group 65 "'a'.*1 sample|1 sample.*'a'" out37.tsv -- "$bin" diff --table good.tsv --metadata md_single.tsv --formula group --method wilcoxon --out out37.tsv

# --- differential abundance and association ------------------------------------------------
expect diff_na_covariate 65 "md4_na.tsv.*'age'.*S2" out38.tsv -- "$bin" diff --table good4.tsv --metadata md4_na.tsv --formula "group + age" --method wilcoxon --out out38.tsv
expect diff_absent_level 64 "'c'" out39.tsv -- "$bin" diff --table good.tsv --metadata md.tsv --formula group --compare c,a --method wilcoxon --out out39.tsv
expect assoc_no_overlap 65 "mtb_other.tsv: no row or column id matches a sample id of good.tsv" out40.tsv -- "$bin" assoc --table good.tsv --metadata md.tsv --with mtb_other.tsv --method spearman --out out40.tsv
expect assoc_unknown_var 64 "'bmd'" out41.tsv -- "$bin" assoc --table good.tsv --metadata md.tsv --vars bmd --method spearman --out out41.tsv

# --- study files ---------------------------------------------------------------------------
expect study_absent_group 65 "study.toml:10: comparison 'a_vs_c': no samples of group 'c'" - -- "$bin" run study.toml --out study_out
expect study_missing 66 "nostudy.toml: no such file" - -- "$bin" run nostudy.toml --out study_out2
expect output_not_a_directory 74 "good.tsv/demo.*cannot create directory" - -- "$bin" demo --out good.tsv/demo

# --- reads and index (when the profiler is built) ------------------------------------------
if "$bin" db info --help >/dev/null 2>&1; then
  printf '@r1\nACGTACGTAC\n+\nIIIIIIIIII\n@r2\nACGTACGTAC\nIIIIIIIIII\n' > noplus.fq
  printf '@r1\nACGTACGTAC\n+\nIIIII\n' > qualmismatch.fq
  printf '@r1/1\nACGTACGTAC\n+\nIIIIIIIIII\n@r2/1\nACGTACGTAC\n+\nIIIIIIIIII\n' > m1.fq
  printf '@r1/2\nACGTACGTAC\n+\nIIIIIIIIII\n' > m2.fq
  printf '@rX/2\nACGTACGTAC\n+\nIIIIIIIIII\n@r2/2\nACGTACGTAC\n+\nIIIIIIIIII\n' > m2names.fq
  for i in $(seq 1 2000); do printf '@r%d\nACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT\n+\nIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII\n' "$i"; done | gzip > full.fq.gz
  head -c 600 full.fq.gz > truncated.fq.gz
  printf 'ORBIOMEX not an index at all, version 999\n' > wrong.db
  expect db_wrong_format 65 "wrong.db" - -- "$bin" db info wrong.db
  D=${ORBIOME_TEST_DATA:-}/profiler
  if [[ -d $D ]] && "$bin" db build --genomes "$D/ref1.fa" "$D/ref2.fa" "$D/ref3.fa" --taxdump "$D/taxdump" \
       --seqid2taxid "$D/seqid2taxid.tsv" --out test.db >/dev/null 2>&1; then
    db=test.db
    head -c 8 test.db > old_version.db && printf '\x63\x00\x00\x00' >> old_version.db && tail -c +13 test.db >> old_version.db
    expect db_other_version 65 "old_version.db" prof0 -- "$bin" profile --db old_version.db --reads full.fq.gz --sample s --out-dir prof0
    expect fastq_no_plus 65 "noplus.fq:[0-9]+: record 2" prof1 -- "$bin" profile --db "$db" --reads noplus.fq --sample s --out-dir prof1
    expect fastq_qual_mismatch 65 "qualmismatch.fq:[0-9]+: record 1" prof2 -- "$bin" profile --db "$db" --reads qualmismatch.fq --sample s --out-dir prof2
    expect mates_unequal 65 "m2.fq" prof3 -- "$bin" profile --db "$db" --reads m1.fq --reads2 m2.fq --sample s --out-dir prof3
    expect mates_names 65 "m2names.fq:[0-9]+: record 1" prof4 -- "$bin" profile --db "$db" --reads m1.fq --reads2 m2names.fq --sample s --out-dir prof4
    expect truncated_gzip 65 "truncated.fq.gz" prof5 -- "$bin" profile --db "$db" --reads truncated.fq.gz --sample s --out-dir prof5
  else
    echo "FAIL: could not build the test index from $D"; fail=1
  fi
fi

echo "$n bad-input cases run"
[[ $fail -eq 0 ]] && echo "all bad-input cases passed"
exit $fail
