#pragma once
/// \file mantel.hpp
/// Mantel test (Mantel 1967, Cancer Research 27:209-220) as scikit-bio 0.5.8's `mantel`:
/// the statistic is Pearson's r between the condensed distances of the two matrices, or
/// Spearman's rho (Pearson on average ranks of each condensed vector). The rows and columns of
/// the first matrix are permuted together (permutation i from Rng::stream(seed, i)); the
/// alternative is two-sided (scikit-bio's default):
/// p = (#{|r*| >= |r| - kTieTolerance} + 1) / (permutations + 1).

#include <cstddef>
#include <string>

#include "ecology/design.hpp"
#include "ecology/distance_matrix.hpp"

namespace orbiome::ecology {

enum class MantelMethod { pearson, spearman };

/// Parses "pearson" | "spearman"; UsageError otherwise.
MantelMethod parse_mantel_method(std::string const& s);

/// Mantel test of `x` against `y`. `y` must hold the same ids as `x` (any order; it is
/// reordered to x's): otherwise ParseError naming `y_origin` and listing the differing ids.
/// At least 3 samples (ParseError). A constant matrix gives statistic and p-value NaN (as
/// scikit-bio, which warns). O(n^2) per permutation.
PermutationTestResult mantel(DistanceMatrix const& x, DistanceMatrix const& y, std::string const& x_origin,
                             std::string const& y_origin, MantelMethod method, PermutationOptions const& options);

}  // namespace orbiome::ecology
