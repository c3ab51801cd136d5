#pragma once
/// \file permdisp.hpp
/// Test of homogeneity of multivariate dispersions (PERMDISP; Anderson 2006,
/// doi:10.1111/j.1541-0420.2005.00440.x): the distance of each sample to its group's centre in
/// principal-coordinate space, compared between groups by a one-way ANOVA F. Two flavours:
///  * `skbio` (default), scikit-bio 0.5.8's `permdisp`: coordinates are scikit-bio's PCoA
///    (negative-eigenvalue axes set to zero, pcoa.hpp); the centre is the geometric median
///    (`test="median"`, default) or the centroid; each permutation relabels the samples and
///    recomputes the centres and F.
///  * `vegan`, vegan 2.6-4's `betadisper` + `permutest`: axes with |eigenvalue| above
///    sqrt(eps) (relative to the largest) are kept, those with negative eigenvalues as
///    imaginary, so z = sqrt(max(0, |x+ - c+|^2 - |x- - c-|^2)); the centre is the spatial median
///    (`type="median"`, default; found separately in the real and the imaginary subspace, as
///    vegan's ordimedian) or the centroid; permutations permute the residuals of z from their
///    group means and refit (vegan's permutest.betadisper), centres are not recomputed.
/// Permutation i draws from Rng::stream(seed, i); p = (#{F* >= F - kTieTolerance} + 1) / (n + 1).
/// The geometric median is computed by Weiszfeld's iteration with the Vardi–Zhang (2000,
/// doi:10.1073/pnas.97.4.1423) step at data points, to kMedianTolerance; the peers stop earlier
/// (hdmedians: step < 1e-7; vegan: BFGS optimiser), so median flavours agree with them to about
/// 1e-6 relative, centroid flavours to rounding.

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "ecology/design.hpp"
#include "ecology/distance_matrix.hpp"
#include "io/metadata.hpp"

namespace orbiome::ecology {

enum class PermdispFlavour { skbio, vegan };
enum class DispersionCentre { median, centroid };

/// Parse "skbio"|"vegan" and "median"|"centroid"; UsageError otherwise.
PermdispFlavour parse_permdisp_flavour(std::string const& s);
DispersionCentre parse_dispersion_centre(std::string const& s);

/// Convergence of the geometric median: stop when a step moves less than this (absolute,
/// coordinates are in distance units).
inline constexpr double kMedianTolerance = 1e-12;
/// Iteration cap of the geometric median (Weiszfeld converges linearly).
inline constexpr std::size_t kMedianMaxIterations = 100000;

struct PermdispOptions {
    PermutationOptions permutation;
    PermdispFlavour flavour = PermdispFlavour::skbio;
    DispersionCentre centre = DispersionCentre::median;
};

/// Geometric (spatial) median of the rows of `points` (rows x dims). O(iterations x rows x dims).
Eigen::VectorXd geometric_median(Eigen::MatrixXd const& points);

/// PERMDISP on group codes (0..G-1, one per sample). Throws ParseError when a group has fewer
/// than 2 samples or there is a single group. skbio flavour: O(n^3) PCoA plus, per permutation,
/// O(n^2) for centroids or O(iterations x n^2) for medians; vegan flavour: O(n^3) once, O(n) per
/// permutation.
PermutationTestResult permdisp(DistanceMatrix const& dm, std::vector<std::size_t> const& groups,
                               PermdispOptions const& options);

/// Groups from metadata column `column`, as for anosim().
PermutationTestResult permdisp(DistanceMatrix const& dm, std::string const& dm_origin, io::Metadata const& md,
                               std::string const& column, PermdispOptions const& options);

}  // namespace orbiome::ecology
