#pragma once
/// \file trim.hpp
/// The per-read rules of `orbiome qc` (docs/reads.md), as pure functions on one read or pair.
/// All trimming is at the 3' end, so each rule returns the number of leading bases to keep.
///
/// Whose behaviour is reproduced:
///  - `sliding_window_keep` and `trailing_keep`: Trimmomatic 0.39's SLIDINGWINDOW:W:Q and
///    TRAILING:Q, quirks included (a read shorter than the window, or whose first window fails,
///    is dropped; TRAILING never keeps a read on the strength of its first base alone), checked
///    read-for-read against Trimmomatic in tests/parity/trimmomatic/.
///  - `complexity`: fastp's definition, the fraction of bases that differ from the next base.
///  - `adapter_start` and `read_through_insert`: fastp's two adapter rules (a match to a known
///    adapter with one mismatch allowed per 8 compared bases; the insert size found by
///    overlapping mate 1 with the reverse complement of mate 2), with the tighter acceptance
///    described at each function; measured against fastp in bench/QC.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::qc {

/// Phred+33 offset; the only encoding accepted (Illumina 1.8+, SRA).
inline constexpr int kPhredOffset = 33;

/// Trimmomatic SLIDINGWINDOW:window:min_q on phred+33 qualities. Scans windows from the 5' end;
/// at the first window whose mean is below min_q, cuts after that window's first W-1 bases
/// (Trimmomatic keeps up to the end of the previous window); then, whether or not a window
/// failed, drops trailing bases below min_q (keeping at least one). Returns the bases to keep;
/// 0 = read dropped. O(length).
std::size_t sliding_window_keep(std::string_view qual, int window, int min_q) noexcept;

/// Trimmomatic TRAILING:min_q: drops bases below min_q from the 3' end. Returns the bases to
/// keep; 0 when no base after the first reaches min_q (Trimmomatic's loop stops at index 1).
/// O(length).
std::size_t trailing_keep(std::string_view qual, int min_q) noexcept;

/// fastp's complexity: (bases i with seq[i] != seq[i+1]) / (length - 1); 1 for reads of length
/// <= 1 (nothing to compare, never filtered). O(length).
double complexity(std::string_view seq) noexcept;

/// Number of bases that are not A, C, G or T (either case). O(length).
std::size_t count_ambiguous(std::string_view seq) noexcept;

/// Smallest 0-based position p at which `adapter` (or its prefix, when the read ends first)
/// matches `read` with at most (compared bases) / 8 mismatches, comparing at least `min_match`
/// bases and starting at most at `max_pos`; `read.size()` when there is none. N in the read is a
/// mismatch. O(length x adapter) in the worst case, about O(length) on real reads (a comparison
/// stops at the first excess mismatch).
std::size_t adapter_start(std::string_view read, std::string_view adapter, std::size_t min_match,
                          std::size_t max_pos = static_cast<std::size_t>(-1)) noexcept;

/// Reverse complement helper: the complement of a base (ACGT either case -> upper-case
/// complement, anything else -> 'N').
char complement(char c) noexcept;

/// Insert size of a pair whose insert is shorter than a mate (the sequencer read through into
/// the adapter), from the overlap of mate 1 with the reverse complement of mate 2; 0 when the
/// mates do not read through.
///
/// Insert sizes S = min(len1, len2) - 1 down to `min_overlap` are tried; the first accepted is
/// returned unless the mates also overlap as a normal insert (S >= min(len1, len2)), which fastp
/// tries first, so that a repeat cannot pass for a read-through. S is accepted
/// when the overlapping bases differ in at most min(5, overlap / 5) positions (fastp's limits)
/// for S >= 30, and for shorter S when additionally at most overlap / 8 differ and the bases
/// after S in either mate match a known adapter (`adapters`). With qualities (phred+33, same
/// lengths as the reads), a mismatch where either base is below Q15 is a likely sequencing
/// error: it does not count against those limits, but such mismatches may make up at most a
/// quarter of the overlap. (fastp counts every mismatch, so it misses read-throughs whose
/// overlap lies in low-quality 3' ends.) O(len1 + len2) tries, each stopping at its first
/// excess mismatch.
std::size_t read_through_insert(std::string_view r1, std::string_view r2, std::string_view q1, std::string_view q2,
                                std::vector<std::string> const& adapters, std::size_t min_overlap = 12) noexcept;
/// The same without qualities (every mismatch counts).
std::size_t read_through_insert(std::string_view r1, std::string_view r2, std::vector<std::string> const& adapters,
                                std::size_t min_overlap = 12) noexcept;

/// The built-in adapters: Illumina TruSeq read 1 and read 2 (their common 13-base start
/// AGATCGGAAGAGC included), Nextera / Nextera XT transposase.
std::vector<std::string> builtin_adapters();

}  // namespace orbiome::qc
