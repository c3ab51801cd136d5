#pragma once
/// \file derep.hpp
/// Dereplication as DADA2 `derepFastq`: unique sequences ordered by abundance, descending, ties
/// in lexical order (ShortRead sorts the uniques before R's stable `order`), each with the mean
/// quality per position and the map read -> unique.

#include <cstdint>
#include <string>
#include <vector>

#include "amplicon/reads.hpp"

namespace orbiome::amplicon {

struct Derep {
    std::vector<std::string> seqs;
    std::vector<std::uint32_t> abund;
    std::vector<std::vector<double>> quals;  ///< mean Phred per position of each unique
    std::vector<std::uint32_t> map;          ///< read index -> unique index
    std::uint64_t n_reads() const noexcept;
};

/// Dereplicates `reads` (empty reads are not allowed: the filter removes them).
Derep dereplicate(std::vector<Read> const& reads);

}  // namespace orbiome::amplicon
