#pragma once
/// \file pcoa.hpp
/// Principal coordinate analysis (classical metric scaling; Gower 1966,
/// doi:10.1093/biomet/53.3-4.325) with scikit-bio 0.5.8's `pcoa(method="eigh")` conventions:
///  * eigen-decomposition of Gower's centred matrix G (design.hpp) with Eigen's
///    SelfAdjointEigenSolver (all n eigenpairs, LAPACK-free, O(n^3));
///  * eigenvalues with |lambda| <= kZeroEigenvalue are set to 0 (scikit-bio's np.isclose to 0);
///  * negative eigenvalues (a non-Euclidean distance) are reported, then set to 0 and their
///    axes' coordinates to 0 — scikit-bio warns and does the same; no correction
///    (Lingoes/Cailliez) is applied;
///  * proportion explained = eigenvalue / sum of the (clamped, hence non-negative) eigenvalues;
///  * coordinates = eigenvector * sqrt(eigenvalue), axes by decreasing eigenvalue.
/// Axis signs are arbitrary in any eigen-solver; orbiome fixes them: on each axis the coordinate
/// of largest magnitude is positive (on ties, the first sample's such coordinate).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "ecology/distance_matrix.hpp"

namespace orbiome::ecology {

/// Eigenvalues this close to zero count as zero (scikit-bio's np.isclose(x, 0) absolute
/// tolerance).
inline constexpr double kZeroEigenvalue = 1e-8;

struct PcoaResult {
    std::vector<std::string> ids;
    Eigen::MatrixXd coordinates;            ///< samples x axes
    std::vector<double> eigenvalues;        ///< per axis, >= 0 after clamping
    std::vector<double> proportion_explained;
    std::size_t n_negative = 0;             ///< eigenvalues below -kZeroEigenvalue (set to 0)
    double smallest_eigenvalue = 0;         ///< before clamping
    double largest_eigenvalue = 0;
};

/// PCoA of `dm`, keeping the first `dimensions` axes (0 = all n, as scikit-bio). Throws
/// UsageError if `dimensions` > n, ParseError for fewer than 2 samples. O(n^3).
PcoaResult pcoa(DistanceMatrix const& dm, std::size_t dimensions = 0);

/// The leading `dimensions` axes only (1 <= dimensions <= n), for matrices too large for `pcoa`
/// (scikit-bio's `method="fsvd"` serves the same purpose): a randomized block Krylov method with
/// Rayleigh-Ritz (Halko, Martinsson & Tropp 2011, doi:10.1137/090771806; Musco & Musco 2015) on
/// Gower's centred matrix, applied to vectors straight from the condensed distances, so memory
/// stays at the distance matrix plus 32 x (dimensions + 10) vectors of n doubles (the basis of at
/// most 16 blocks and its images; then a restart from the best Ritz vectors). It iterates until
/// every kept axis's residual ||G v - lambda v|| is below 1e-11 of the largest eigenvalue (at most
/// 400 block products), which puts the axes within rounding of the exact ones unless eigenvalues
/// nearly tie. Same clamping and
/// sign conventions as `pcoa`, but the proportion explained divides by the trace of G (the sum of
/// ALL eigenvalues, negative ones included, as scikit-bio's fsvd does), since the other
/// eigenvalues are not computed. Start vectors from `seed`; results are identical for any
/// n_threads. Cost per block product O(n^2 x dimensions).
PcoaResult pcoa_fsvd(DistanceMatrix const& dm, std::size_t dimensions, std::uint64_t seed = 0, int n_threads = 1);

namespace detail {
/// Stores axis `axis` of `res` (coordinates sized already): coordinates = unit_vector x sqrt(lambda),
/// signed so the largest-magnitude coordinate is positive; appends lambda and lambda / sum.
void set_axis(PcoaResult& res, Eigen::Index axis, Eigen::VectorXd const& unit_vector, double lambda,
              double eigenvalue_sum);
}  // namespace detail

}  // namespace orbiome::ecology
