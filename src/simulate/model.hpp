#pragma once
/// \file model.hpp
/// A generative model of a microbiome study fitted to the reference group of a real pilot table
/// (`orbiome simulate`, `orbiome power`; docs/power.md).
///
/// The model is a Gaussian copula with empirical zero-inflated marginals, in the spirit of
/// MIDASim's nonparametric mode (He et al., Microbiome 12:135, 2024) and SparseDOSSA2 (Ma et al.,
/// 2021); no code of either is used. Fit, from the r reference samples only (features absent
/// from all of them are left out):
///  * marginals: per feature f, the fraction of zeros pi0_f and the sorted log relative
///    abundances of its non-zero values (relative to the sample total over all features);
///  * dependence: normal scores s_fj = Phi^-1((rank_fj - 0.5) / r) of each feature's mid-ranks
///    (zeros tied lowest), centred and scaled to unit length per feature, so that S S' is the
///    correlation matrix R of the normal scores (rank r - 1 at most); it is shrunk to the
///    identity, R_lambda = (1 - lambda) R + lambda I, with the Schafer-Strimmer intensity
///    (Stat. Appl. Genet. Mol. Biol. 4:32, 2005), estimated over the (at most kShrinkFeatures)
///    most prevalent features;
///  * library sizes: the r reference totals.
/// Draw of one sample (its own Rng stream):
///  1. z = sqrt(1 - lambda) S g + sqrt(lambda) e with g ~ N(0, I_r), e ~ N(0, I_m): z ~ N(0, R_lambda);
///  2. u_f = Phi(z_f); the feature is absent when u_f < pi0_f, else its log relative abundance is
///     the empirical quantile of its non-zero values at (u_f - pi0_f) / (1 - pi0_f), linearly
///     interpolated between plotting positions (i - 0.5) / k and held at the extremes (no
///     extrapolation beyond the observed range);
///  3. test-group samples multiply the relative abundance of each spiked feature by its fold
///     (a change of absolute abundance; prevalence is unchanged), then the sample is rescaled to
///     sum 1 (composition);
///  4. depth: a reference library size drawn uniformly (`match`), or that size times D / median
///     (`--depth D`, keeping the spread); counts = depth x p rounded stochastically (floor + a
///     Bernoulli of the fraction), at least 1 for a present feature (so the copula, not a second
///     sampling step, decides presence and prevalence is kept).
/// Properties: prevalence and mean relative abundance per feature follow the template up to the
/// renormalisation of step 3; the mean-variance relation and the correlation structure follow
/// from the empirical marginals and the copula; library sizes are the template's.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "io/metadata.hpp"
#include "table/feature_table.hpp"

namespace orbiome::simulate {

/// Fewest reference samples a fit accepts: two samples give one rank comparison per feature.
inline constexpr std::size_t kMinReferenceSamples = 3;
/// Largest group a simulation accepts, as a multiple of the reference samples: every simulated
/// value is an interpolation of the r observed ones, so a study far larger than the pilot
/// would measure the model's smoothing rather than the pilot's variation (docs/power.md).
inline constexpr std::size_t kMaxScale = 10;
/// Features used to estimate the shrinkage intensity (its cost is quadratic in them).
inline constexpr std::size_t kShrinkFeatures = 400;

/// The fitted model (see file comment). Immutable after fit; safe to share between threads.
struct Model {
    std::vector<std::string> feature_ids, lineages;  ///< kept features; lineages empty if unknown
    std::vector<std::size_t> template_feature;       ///< index in the template table
    std::size_t n_reference = 0;                     ///< r
    std::vector<double> zero_fraction;               ///< pi0 per feature
    std::vector<std::vector<double>> log_nonzero;    ///< sorted log relative abundances per feature
    std::vector<double> scores;                      ///< S: features x r, unit-length rows (or 0)
    std::vector<double> depths;                      ///< reference library sizes, sorted
    double shrinkage = 1;                            ///< lambda
    std::size_t n_features() const { return feature_ids.size(); }
    std::size_t max_group_size() const { return kMaxScale * n_reference; }
};

/// The table samples whose metadata column `column` equals `level` and that pass every
/// (column, value) filter of `where`; samples absent from the metadata are not reference samples.
/// Throws UsageError for an unknown column or a level no sample has (listing the levels).
std::vector<std::size_t> reference_samples(table::FeatureTable const& t, io::Metadata const& md, std::string const& column,
                                           std::string const& level,
                                           std::vector<std::pair<std::string, std::string>> const& where);

/// Fits the model to samples `reference` of `t` (counts; values are scaled per sample).
/// Throws UsageError when fewer than kMinReferenceSamples samples are given or fewer than 2
/// features are present among them, ParseError when a reference sample has total 0.
/// O(nnz + m r log r + min(m, kShrinkFeatures)^2 r).
Model fit_model(table::FeatureTable const& t, std::vector<std::size_t> const& reference, std::string const& origin);

/// Library sizes: `depth` = nullopt draws the template's (match); a value rescales them to that median.
struct SimulationSpec {
    std::size_t n_reference = 0, n_test = 0;
    std::optional<double> depth;
    std::vector<double> fold;  ///< per model feature (1 = no effect); empty = no effect
};

/// A simulated study: samples "reference_1".."reference_A", then "test_1".."test_B".
struct Study {
    table::FeatureTable table;
    std::vector<std::string> group;  ///< "reference" or "test" per sample
};

/// Draws a study. Sample j of the reference group uses Rng::stream(seed, 2j), sample j of the
/// test group Rng::stream(seed, 2j + 1): a larger study extends a smaller one with the same seed
/// (common random numbers across sample sizes), and no draw depends on threads.
/// Throws UsageError when a group is empty or larger than max_group_size().
Study simulate_study(Model const& m, SimulationSpec const& spec, std::uint64_t seed);

/// Checks a group size against the model's limit; UsageError naming the option otherwise.
void check_group_size(Model const& m, std::size_t n, std::string const& option);

/// Features (model indices) whose id is `taxon`, or whose lineage (or, without lineages, whose
/// id read as a lineage) names `taxon` at the deepest named rank (the table's rank after a collapse). Throws UsageError when none matches, naming
/// the taxon and saying whether it is in the template but absent from the reference group.
std::vector<std::size_t> match_taxon(Model const& m, table::FeatureTable const& t, std::string const& taxon);

/// `k` = round(fraction x features) distinct features chosen uniformly with `rng` (sorted).
std::vector<std::size_t> random_features(Model const& m, double fraction, Rng& rng);

/// Standard normal draw (Box–Muller, so the sequence is the same with every standard library).
double normal_draw(Rng& rng);

}  // namespace orbiome::simulate
