#!/usr/bin/env bash
# The Snakemake workflow (issue #15): `orbiome run --emit-snakemake` for a shotgun study from reads
# (four FASTQ samples from ../shared/data/shotgun, [qc] + [profile]; tests/support/shotgun_study.sh),
# run by Debian's snakemake with --cores 2: one job per sample, then the study job. Its TSV
# outputs equal a plain `orbiome run` of the same study file byte for byte; a second snakemake
# run has nothing to do; and `orbiome run` into the workflow's folder reuses every sample's units
# (the two resume each other's work). Skips (77) without snakemake or ../shared/data.
# Usage: bash workflow_snakemake.sh ORBIOME
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source "$(dirname "$0")/../support/cli.sh"  # tmp, fail, die, run, same
source "$(dirname "$0")/../support/shotgun_study.sh"  # shotgun_index, fastq_samples, shotgun_toml
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "${ORBIOME_SHARED_DATA:-$here/../shared/data}" 2>/dev/null && pwd) || shared=/nonexistent
[[ -f $shared/shotgun/sylph_k12/k12_R1.fq ]] || { echo "skip: ../shared/data is absent"; exit 77; }
command -v snakemake >/dev/null || { echo "skip: snakemake is not installed"; exit 77; }

shotgun_index "$shared" "$tmp" "$bin" || die "index"
fastq_samples "$shared" "$tmp/study" A1 A2 B1 B2 || die "FASTQ samples"
shotgun_toml "$tmp/study/study.toml" "$tmp/db.idx" "min_quality = 15"
run "$bin" run "$tmp/study/study.toml" --out "$tmp/plain"
run "$bin" run "$tmp/study/study.toml" --out "$tmp/wf_out" --emit-snakemake "$tmp/wf" --threads 1
[[ -f $tmp/wf/Snakefile && -f $tmp/wf/config.yaml ]] || die "no Snakefile or config.yaml"
cmp -s "$tmp/wf/Snakefile" "$here/workflow/Snakefile" || die "the emitted Snakefile is not the repo's workflow/Snakefile"
(cd "$tmp" && snakemake --snakefile "$tmp/wf/Snakefile" --cores 2 >"$tmp/sm.log" 2>&1) || { cat "$tmp/sm.log"; die "snakemake failed"; }
grep -q "6 of 6 steps (100%) done" "$tmp/sm.log" || die "snakemake did not run 4 sample jobs, the study job and all: $(tail -5 "$tmp/sm.log")"
n=0
while IFS= read -r f; do
    cmp -s "$tmp/plain/$f" "$tmp/wf_out/$f" || die "$f differs between orbiome run and the workflow"
    n=$((n + 1))
done < <(cd "$tmp/plain" && find . -name '*.tsv' -not -path './samples/*' | sort)
[[ $n -ge 8 ]] || die "only $n TSV files compared"
(cd "$tmp" && snakemake --snakefile "$tmp/wf/Snakefile" --cores 2 >"$tmp/sm2.log" 2>&1) || die "second snakemake run failed"
grep -q "Nothing to be done" "$tmp/sm2.log" || die "a second snakemake run redid work: $(tail -5 "$tmp/sm2.log")"
"$bin" run "$tmp/study/study.toml" --out "$tmp/wf_out" >"$tmp/o" 2>"$tmp/e" || die "orbiome run after the workflow"
[[ $(grep -c "reused from" "$tmp/e") == 8 ]] || die "orbiome run did not reuse the workflow's units: $(cat "$tmp/e")"
echo "workflow: $n TSV files equal orbiome run's; the two resume each other's work"
exit $fail
