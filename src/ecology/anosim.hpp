#pragma once
/// \file anosim.hpp
/// Analysis of similarities (Clarke 1993, doi:10.1111/j.1442-9993.1993.tb00438.x) as scikit-bio
/// 0.5.8's `anosim`: the condensed distances are ranked (ties get their average rank), and
/// R = (mean between-group rank - mean within-group rank) / (n (n - 1) / 4). Group labels are
/// permuted (permutation i from Rng::stream(seed, i)); one-sided:
/// p = (#{R* >= R - kTieTolerance} + 1) / (permutations + 1).

#include <cstddef>
#include <string>
#include <vector>

#include "ecology/design.hpp"
#include "ecology/distance_matrix.hpp"
#include "io/metadata.hpp"

namespace orbiome::ecology {

/// ANOSIM on group codes (one per sample, 0..G-1). Throws ParseError when there is only one
/// group or every group has a single sample (no within-group distances; scikit-bio's rules).
/// O(n^2 log n) to rank, O(n^2) per permutation.
PermutationTestResult anosim(DistanceMatrix const& dm, std::vector<std::size_t> const& groups,
                             PermutationOptions const& options);

/// Groups from metadata column `column` (values as text; missing values are an error naming the
/// samples; samples of the matrix missing from the metadata are an error naming `dm_origin`).
PermutationTestResult anosim(DistanceMatrix const& dm, std::string const& dm_origin, io::Metadata const& md,
                             std::string const& column, PermutationOptions const& options);

/// Checks a grouping for the group tests: at least two groups and not all singletons. Throws
/// ParseError naming `what` (e.g. the metadata file and column).
void check_grouping(std::vector<std::size_t> const& groups, std::string const& what);

/// Average ranks (1-based, ties averaged) of `v`, as scipy's rankdata(method="average").
std::vector<double> average_ranks(std::vector<double> const& v);

}  // namespace orbiome::ecology
