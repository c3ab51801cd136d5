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

/// Banded ends-free alignment; `band` < 0 means no band. Uses the SIMD path when the build has
/// it and the scores fit its 16-bit lanes, else the scalar one; both give the same alignment.
Alignment align_banded(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band);
/// The same into `out`, reusing its strings' capacity (no allocation per alignment in loops).
void align_banded(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band,
                  Alignment& out);

/// The row-by-row scalar recurrence: the oracle the SIMD path is tested against.
Alignment align_banded_scalar(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band);

/// The same recurrence computed along anti-diagonals with SSE2 (8 x 16-bit lanes), as DADA2's
/// `nwalign_vectorized2`; returns false (and leaves `out` alone) when the build has no SSE2 or
/// the scores could leave 16-bit range (very long sequences).
bool align_banded_simd(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band,
                       Alignment& out);

/// Gapless alignment: s1 and s2 side by side, the shorter padded with end gaps.
Alignment align_gapless(std::string_view s1, std::string_view s2);
void align_gapless(std::string_view s1, std::string_view s2, Alignment& out);

}  // namespace orbiome::amplicon
