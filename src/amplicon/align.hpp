#pragma once
/// \file align.hpp
/// The pairwise alignments DADA2 1.26 uses, reimplemented with the same scores, band and tie
/// rules so that the same alignment (not just the same score) comes out:
///  - `align_banded`: ends-free Needleman-Wunsch inside a band around the diagonal (DADA2's
///    vectorized aligner): the band is `band` cells either side, widened on one side by the
///    length difference; end gaps score 0; on equal scores a gap in the second sequence wins,
///    then a gap in the first, then the diagonal.
///  - `align_endsfree`: the same without a band (mergePairs), same tie order.
/// Gaps are '-' in the returned aligned strings.

#include <string>
#include <string_view>

namespace orbiome::amplicon {

struct Alignment {
    std::string a, b;  ///< aligned rows (same length), '-' = gap
};

/// Banded ends-free alignment; `band` < 0 means no band.
Alignment align_banded(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band);

/// Gapless alignment: s1 and s2 side by side, the shorter padded with end gaps.
Alignment align_gapless(std::string_view s1, std::string_view s2);

}  // namespace orbiome::amplicon
