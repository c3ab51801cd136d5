# A small shotgun study from reads, for the whole-process tests (sourced, not run; not a test):
#   shotgun_index SHARED OUT BIN      index of E. coli K-12 W3110 and the four CAMISIM genomes that
#                                     SHARED/genomes holds, lineages from genomes.tsv -> OUT/db.idx
#   fastq_samples SHARED DIR NAME...  one gzip FASTQ per NAME in DIR/reads/: a share of the simulated
#                                     E. coli K-12 reads (shotgun/sylph_k12, all of quality 17; 400
#                                     for a name starting with A, 100 otherwise) and 150 real gut
#                                     reads of shotgun/kneaddata_demo; DIR/metadata.tsv (group = the
#                                     name's first letter) and DIR/samples.tsv
#   shotgun_toml FILE DB QC_LINES     the study file of those samples (see below)
shotgun_index() {
    local shared=$1 out=$2 bin=$3 genomes=() g here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    /usr/bin/python3 "$here/bench/profiler/prepare.py" "$shared/genomes" "$out/ref" >/dev/null || return 1
    for g in GCA_000242255.3_ASM24225v3 GCA_000445015.1_ASM44501v1 GCA_000235405.3_ASM23540v3 GCA_000092825.1_ASM9282v1; do
        genomes+=("$shared/genomes/$g.fa.gz")
    done
    genomes+=("$shared/genomes/e.coli-K12-W3110.fasta.gz")
    "$bin" db build --genomes "${genomes[@]}" --lineages "$out/ref/lineages.tsv" --seqid2taxid "$out/ref/seqid2taxid.tsv" \
        --out "$out/db.idx" --threads 2 >/dev/null 2>&1
}

fastq_samples() {
    local shared=$1 dir=$2
    shift 2
    mkdir -p "$dir/reads"
    /usr/bin/python3 - "$shared/shotgun" "$dir" "$@" <<'PY'
import gzip, sys
src, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
def fastq(path):
    lines = open(path).read().split("\n")
    return [lines[i:i + 4] for i in range(0, len(lines) - 3, 4)]
k12, gut = fastq(src + "/sylph_k12/k12_R1.fq"), fastq(src + "/kneaddata_demo/demo.fastq")
for i, n in enumerate(names):
    take = k12[i * 400:i * 400 + (400 if n[0] == "A" else 100)] + gut[i * 150:(i + 1) * 150]
    with gzip.open(f"{out}/reads/{n}.fq.gz", "wt") as f:
        f.write("".join("\n".join(r) + "\n" for r in take))
with open(f"{out}/metadata.tsv", "w") as f:
    f.write("sample_id\tgroup\n" + "".join(f"{n}\t{n[0]}\n" for n in names))
with open(f"{out}/samples.tsv", "w") as f:
    f.write("sample\treads\n" + "".join(f"{n}\treads/{n}.fq.gz\n" for n in names))
PY
}

# shotgun_toml FILE DB QC_LINES: the study file of such samples (B against A; [qc] holding QC_LINES,
# none when empty; [profile] on DB; species-level alpha, Bray-Curtis and Wilcoxon tests).
shotgun_toml() {
    local file=$1 db=$2 qc=$3
    {
        printf '[study]\nname = "shotgun reads"\n[inputs]\nreads = "samples.tsv"\nkind = "shotgun"\nmetadata = "metadata.tsv"\n'
        printf '[design]\ngroup = "group"\n[[comparisons]]\ntest = "B"\nreference = "A"\n'
        printf '[filter]\nmin_count = 1\nmin_samples = 2\n'
        [[ -z $qc ]] || printf '[qc]\n%s\n' "$qc"
        printf '[profile]\ndb = "%s"\n[analysis]\nranks = ["species"]\nalpha = ["observed", "shannon"]\n' "$db"
        printf 'beta = ["braycurtis"]\ndiff_methods = ["wilcoxon"]\npermutations = 99\n'
    } >"$file"
}
