#pragma once
/// \file design.hpp
/// Linear-model building blocks shared by the distance-based tests: Gower's centred matrix of a
/// distance matrix and orthonormal bases of (nested) model spaces.
///
/// References: Gower, J.C. (1966) Biometrika 53:325-338 (doi:10.1093/biomet/53.3-4.325);
/// McArdle, B.H. & Anderson, M.J. (2001) Ecology 82:290-297
/// (doi:10.1890/0012-9658(2001)082[0290:FMMTCD]2.0.CO;2).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "ecology/distance_matrix.hpp"

namespace orbiome::ecology {

/// Gower's centred matrix G = -1/2 (I - 11'/n) A (I - 11'/n) with A_ij = d_ij^2. Its trace is
/// the total sum of squares of PERMANOVA, and its eigenvectors give PCoA. O(n^2) time and memory.
Eigen::MatrixXd gower_centred(DistanceMatrix const& dm);

/// Relative tolerance below which a model column is taken as aliased with the columns before it
/// (the default tolerance of R's `qr`, which vegan's model fits use).
inline constexpr double kAliasTolerance = 1e-7;

/// An orthonormal basis of the span of the column-centred columns `columns` of `x`, taken in
/// the given order by Gram–Schmidt with re-orthogonalisation: a column whose residual norm is
/// at most kAliasTolerance times its centred norm is dropped as aliased (as R's `qr` pivots it
/// out). `kept`, if given, receives the indices (into `columns`) of the columns that added a
/// basis vector, so the first k basis vectors always span the first columns in order — which
/// is what sequential (type I) sums of squares need. O(n x |columns|^2).
Eigen::MatrixXd orthonormal_basis(Eigen::MatrixXd const& x, std::vector<std::size_t> const& columns,
                                  std::vector<std::size_t>* kept = nullptr);

/// Permutation number `index` of 0..n-1 under `seed`, drawn from Rng::stream(seed, index) so it
/// does not depend on which thread asks. `perm[i]` is the sample whose data sample i takes. With
/// `strata` (block number per sample, any values) samples move only within their block (vegan's
/// `how(blocks = strata)`); empty `strata` permutes freely. O(n).
std::vector<std::size_t> draw_permutation(std::uint64_t seed, std::uint64_t index, std::size_t n,
                                          std::vector<std::size_t> const& strata);

/// Result of a one-statistic permutation test (scikit-bio's result series, snake_case).
struct PermutationTestResult {
    std::string method_name;          ///< "ANOSIM", "PERMDISP", "Mantel"
    std::string test_statistic_name;  ///< "R", "F-value", "r"/"rho"
    std::size_t sample_size = 0;
    std::size_t number_of_groups = 0;  ///< 0 where it does not apply (Mantel)
    double test_statistic = 0;
    double p_value = 0;  ///< NaN with 0 permutations (or an undefined statistic)
    std::size_t number_of_permutations = 0;
};

/// Options shared by the one-statistic permutation tests.
struct PermutationOptions {
    std::size_t permutations = 999;
    std::uint64_t seed = 0;
    int threads = 1;
};

/// Tolerance of permutation p-values: a permuted statistic counts as at least as extreme as the
/// observed one when it is >= observed - kTieTolerance, so rounding noise in equal statistics
/// does not change p (vegan's `sqrt(.Machine$double.eps)`).
inline constexpr double kTieTolerance = 1.4901161193847656e-08;

}  // namespace orbiome::ecology
