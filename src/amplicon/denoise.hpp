#pragma once
/// \file denoise.hpp
/// `orbiome amplicon denoise`: reads -> primer removal -> filterAndTrim -> learnErrors -> dada
/// per sample (optionally pseudo-pooled) -> mergePairs -> consensus chimera removal -> ASV table,
/// with DADA2 1.26's numbers at each step (see the headers of filter, dada, errors and merge).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "amplicon/dada.hpp"
#include "amplicon/errors.hpp"
#include "amplicon/filter.hpp"
#include "amplicon/merge.hpp"

namespace orbiome::amplicon {

/// One row of the sample sheet: id and one or two FASTQ paths.
struct SampleInput {
    std::string id;
    std::string reads, reads2;
};

/// Reads a sample sheet: a TSV with a header naming columns `sample`, `reads` and optionally
/// `reads2` (any order; other columns ignored). Relative paths are taken from the sheet's
/// directory. Errors (ParseError, 65) name the file and line: a missing column, an empty or
/// duplicate sample id, a sheet mixing single and paired rows, no rows.
std::vector<SampleInput> read_samplesheet(std::string const& path);

enum class Pool { none, pseudo };

struct DenoiseOptions {
    std::string primer_fwd, primer_rev;  ///< IUPAC; empty = no primer removal
    FilterOptions filter;
    int min_overlap = 12;
    int max_mismatch = 0;
    Pool pool = Pool::none;
    BimeraOptions bimera;
    bool remove_chimeras = true;
    /// learnErrors' sample budget: whole samples until more than this many bases (DADA2's
    /// nbases = 1e8), or, if `learn_reads` > 0, reads (q2-dada2 passes the deprecated nreads).
    double learn_bases = 1e8;
    double learn_reads = 0;
    int threads = 1;
    /// Called once per sample when its denoising is done, and for warnings (from any thread,
    /// serialised by the caller's function if needed).
    std::function<void(std::string const&)> progress;
    std::function<void(std::string const&)> warn;
};

/// Reads kept at each step, per sample (q2-dada2's denoising stats plus the primer step).
struct SampleStats {
    std::string id;
    std::uint64_t input = 0, primer = 0, filtered = 0, denoised = 0, merged = 0, non_chimeric = 0;
};

struct DenoiseResult {
    bool paired = false;
    std::vector<SampleStats> stats;
    SeqTable table;             ///< chimeras removed, columns by total count, descending
    std::vector<std::string> sample_ids;
    std::size_t n_bimeras = 0;
    LearnResult err_fwd, err_rev;
};

/// Runs the whole pipeline on the samples, in memory. Results do not depend on `threads`.
DenoiseResult denoise(std::vector<SampleInput> const& samples, DenoiseOptions const& opt);

/// Writes DIR/asv_table.tsv, asv_table.biom (HDF5 BIOM 2.1), asv.fasta, stats.tsv,
/// errors.fwd.tsv (and errors.rev.tsv when paired); feature ids are the MD5 of the sequences
/// (as q2-dada2). Each file is written atomically.
void write_denoise_outputs(DenoiseResult const& r, std::string const& dir, std::string const& header);

/// Removes an IUPAC primer from the start of `read` if it matches with at most 10% mismatches
/// (cutadapt's default error rate, anchored, no indels); returns false if it does not match.
bool trim_primer(Read& read, std::string_view primer);

}  // namespace orbiome::amplicon
