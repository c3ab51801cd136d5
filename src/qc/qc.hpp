#pragma once
/// \file qc.hpp
/// Read QC of one sample (issue #14; docs/reads.md): adapter trimming, quality trimming, length,
/// ambiguous-base and low-complexity filters, host depletion, as one streaming pass.
///
/// Steps, in order, each counted in NAME.qc.tsv (reads and bases in and out):
///  1. adapter     pairs: the insert size from the mates' overlap (read-through); then, and for
///                 single reads, the first match of a known adapter (qc/trim.hpp);
///  2. quality     Trimmomatic SLIDINGWINDOW:window:min_quality then TRAILING:min_quality;
///  3. length      reads shorter than min_length (or emptied by step 2) are removed;
///  4. ambiguous   reads with more than max_n non-ACGT bases are removed (fastp's N limit);
///  5. complexity  reads with fastp complexity below min_complexity are removed;
///  6. host        pairs (single reads) classified as host (`HostHits`) are removed;
/// and a last row `total` (the input against the kept reads). For pairs, a removal removes both
/// mates (counted as two reads), so the two output files stay in step.
///
/// Outputs, in `out_dir`: NAME_R1.fastq.gz [NAME_R2.fastq.gz], optionally NAME_host_R1.fastq.gz
/// [NAME_host_R2.fastq.gz], and NAME.qc.tsv. All are written to temporaries and renamed into
/// place only after the whole input was read without error, NAME.qc.tsv last, so its presence
/// means the sample's outputs are complete (the study runner's per-sample cache relies on that).
/// On any error no new output appears and files of an earlier run are left as they were.
///
/// Threads: the ordered pipeline (core/pipeline.hpp); each batch is trimmed, filtered and
/// gzip-compressed on a worker, and written in input order, so the output files are
/// byte-identical for any thread count, and memory is O(threads x batch), independent of the
/// number of reads.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "index/index.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::qc {

/// Options of one QC run (defaults: docs/reads.md, compared there with fastp, KneadData and
/// Trimmomatic).
struct QcOptions {
    bool builtin_adapters = true;          ///< TruSeq and Nextera adapters (`builtin_adapters()`)
    std::vector<std::string> adapters;     ///< more adapters (`--adapters FASTA`)
    bool pair_overlap = true;              ///< read-through detection from the mates' overlap
    int min_quality = 20;                  ///< SLIDINGWINDOW / TRAILING quality; 0 = no quality trimming
    int window = 4;                        ///< SLIDINGWINDOW width
    std::size_t min_length = 50;           ///< reads shorter than this after trimming are removed
    int max_n = 5;                         ///< more non-ACGT bases than this removes a read; < 0 = off
    double min_complexity = 0.3;           ///< fastp complexity below this removes a read; 0 = off
    double host_min_fraction = 0.5;        ///< host: fraction of a pair's minimizers found in the host index (bench/QC.md)
    std::uint32_t host_min_hits = 2;       ///< host: and at least this many minimizer hits in the pair
    bool write_host = false;               ///< also write the host reads
    int n_threads = 1;
    /// Bases per pipeline batch. Each batch becomes one gzip member of the outputs, so the output
    /// bytes depend on it (never on n_threads); the default is what the CLI always uses.
    std::size_t batch_bases = std::size_t{1} << 22;
    seqio::OnInvalid on_invalid = seqio::OnInvalid::fail;
};

/// The sample to process.
struct QcInput {
    std::string sample;   ///< output file prefix
    std::string reads;    ///< mate 1 (or single-end) FASTQ/FASTA, plain or gzip
    std::string reads2;   ///< mate 2; empty = single-end
    std::string out_dir;  ///< created if missing
};

/// One row of NAME.qc.tsv.
struct StepCounts {
    std::string step;
    std::uint64_t reads_in = 0, reads_out = 0, bases_in = 0, bases_out = 0;
};

struct QcResult {
    std::vector<StepCounts> steps;     ///< the rows of NAME.qc.tsv, in order
    std::vector<std::string> outputs;  ///< paths written, NAME.qc.tsv last
    std::uint64_t n_skipped = 0;       ///< fragments dropped as malformed (OnInvalid::skip)
    std::string first_skipped;
};

/// A read's (or pair's) minimizers and how many of them are in the host index.
struct HostHits {
    std::uint32_t minimizers = 0, hits = 0;
    HostHits& operator+=(HostHits const& o) noexcept {
        minimizers += o.minimizers;
        hits += o.hits;
        return *this;
    }
    /// Host call: at least `min_hits` hits, making up at least `min_fraction` of the minimizers.
    /// A pair is called on both mates' counts pooled (docs/reads.md: per-mate calls lose the
    /// non-host pairs whose one mate falls in a region shared with the host). O(1).
    bool host(double min_fraction, std::uint32_t min_hits) const noexcept {
        return hits >= min_hits && hits > 0 && static_cast<double>(hits) >= min_fraction * static_cast<double>(minimizers);
    }
};

/// Counts `seq`'s minimizers found in `host`. `mins` is scratch. O(read length).
HostHits host_hits(index::Index const& host, std::string_view seq, std::vector<index::Minimizer>& mins);

/// Runs QC on one sample and writes its outputs (see the file comment). `host` = nullptr: no
/// host depletion (the caller loads the index once for many samples). Throws UsageError for
/// invalid options, IoError for unreadable inputs or failed writes, ParseError for malformed
/// input (file, line and record), including qualities outside phred+33.
/// `tsv_comment`, when not empty, is written as the first line of NAME.qc.tsv.
QcResult run_qc(QcInput const& in, QcOptions const& opt, index::Index const* host, std::string const& tsv_comment = {});

/// Reads adapter sequences from a FASTA file (plain or gzip). Throws ParseError for an empty
/// file or a sequence with characters other than ACGT.
std::vector<std::string> read_adapters(std::string const& path);

/// Writes NAME.qc.tsv's rows (header line `step reads_in reads_out bases_in bases_out`).
/// `comment_line`, when not empty, comes first (the CLI's "#orbiome ..." line).
void write_qc_tsv(std::ostream& os, std::vector<StepCounts> const& steps, std::string const& comment_line);

}  // namespace orbiome::qc
