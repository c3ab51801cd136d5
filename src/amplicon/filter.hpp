#pragma once
/// \file filter.hpp
/// Read trimming and filtering as DADA2 1.26 `filterAndTrim` (R/filter.R) does it, in the same
/// order: trimLeft -> truncQ (cut at the first base with Q <= truncQ, that base included) ->
/// (paired: drop a pair with an empty mate) -> drop reads shorter than truncLen -> truncate to
/// truncLen -> minLen -> maxN -> maxEE -> phiX. A pair is kept only if both mates pass.

#include <cstddef>
#include <string_view>

#include "amplicon/reads.hpp"

namespace orbiome::amplicon {

/// Options for one direction (forward or reverse); defaults are DADA2's.
struct FilterParams {
    std::size_t trim_left = 0;
    std::size_t trunc_len = 0;  ///< 0 = no truncation
    int trunc_q = 2;
    std::size_t min_len = 20;
    std::size_t max_n = 0;
    double max_ee = -1;  ///< < 0 = no limit (DADA2's Inf)
};

struct FilterOptions {
    FilterParams fwd, rev;
    bool rm_phix = true;
};

/// Filters `s` in place (kept reads, trimmed), returning the number kept.
std::size_t filter_and_trim(SampleReads& s, FilterOptions const& opt);

/// True if `seq` has >= 2 non-overlapping exact 16-mer hits to phiX on one strand (DADA2 `isPhiX`).
bool is_phix(std::string_view seq);

/// The phiX174 genome DADA2 screens against.
std::string_view phix_genome() noexcept;

}  // namespace orbiome::amplicon
