#pragma once
/// \file beta.hpp
/// Beta diversity: a distance between every pair of samples of a table.
///
/// With x_if the value of feature f in sample i, T_i = sum_f x_if, S_i the number of features
/// present (x_if > 0):
///  - braycurtis: sum_f |x_if - x_jf| / sum_f (x_if + x_jf) on the values as given (no
///    scaling), as scipy/scikit-bio `braycurtis` and vegan `vegdist(method = "bray")`. Computed
///    as (T_i + T_j - 2 sum_f min(x_if, x_jf)) / (T_i + T_j), which is exact for whole-number
///    counts (below 2^53); for fractional values the absolute error is ~1e-16 x 2.
///  - jaccard: presence/absence Jaccard distance 1 - |A & B| / |A | B| = (S_i + S_j - 2 I) /
///    (S_i + S_j - I), I = shared features (vegan `vegdist(method = "jaccard", binary = TRUE)`).
///    NOTE scipy's `jaccard` on raw counts is a different quantity (it compares values).
///  - aitchison: Euclidean distance between centred log-ratio transforms (Aitchison 1986),
///    clr(x)_f = ln(x_f + c) - mean_g ln(x_g + c), over ALL features of the table, with a
///    pseudocount c added to every cell (default 1, `--pseudocount`; the same for every sample,
///    so a pair's distance never depends on the other samples). c = 0 is allowed only when the
///    table has no zero.
///  - unweighted_unifrac, weighted_unifrac (unnormalized), weighted_normalized_unifrac,
///    generalized_unifrac (parameter alpha, default 0.5): see unifrac.hpp; need a tree.
/// An all-zero sample is an error for every metric (see `require_nonempty_samples`).
/// Parallel over blocks of pairs, each pair summed in one fixed order: bit-identical results for
/// any thread count. Cost: braycurtis and jaccard O(n_samples x nnz) (each pair walks one
/// sample's non-zeros against the other scattered densely); aitchison O(n_samples^2 x
/// n_features); UniFrac see unifrac.hpp. Memory: the distance matrix (n^2 / 2 doubles), plus
/// n_samples x n_features doubles for aitchison.

#include <string>
#include <string_view>

#include "ecology/distance_matrix.hpp"
#include "ecology/dm_partition.hpp"
#include "io/newick.hpp"
#include "table/feature_table.hpp"

namespace orbiome::ecology {

enum class BetaMetric {
    braycurtis,
    jaccard,
    aitchison,
    unweighted_unifrac,
    weighted_unifrac,
    weighted_normalized_unifrac,
    generalized_unifrac
};

/// Command-line name of a metric ("weighted_normalized_unifrac").
std::string_view beta_metric_name(BetaMetric m);
/// Parses a metric name; throws UsageError (64) naming it and listing the valid names.
BetaMetric parse_beta_metric(std::string_view name);
/// True for the UniFrac family (needs a tree).
bool is_phylogenetic(BetaMetric m);

/// Aitchison's default pseudocount.
inline constexpr double kDefaultPseudocount = 1.0;
/// Generalized UniFrac's default alpha (Chen et al. 2012 recommend 0.5).
inline constexpr double kDefaultGeneralizedAlpha = 0.5;

struct BetaOptions {
    BetaMetric metric = BetaMetric::braycurtis;
    io::Tree const* tree = nullptr;  ///< UniFrac only; not owned
    std::string tree_origin;         ///< tree file name for errors
    std::string table_origin;        ///< table file name for errors
    double pseudocount = kDefaultPseudocount;      ///< aitchison only, >= 0
    double alpha = kDefaultGeneralizedAlpha;       ///< generalized_unifrac only, finite
    int n_threads = 1;

    /// Throws UsageError (64): UniFrac without a tree, a negative/non-finite pseudocount, a
    /// non-finite alpha.
    void validate() const;
};

/// Distances between all samples of `t` (ids and order kept). Validates the options; throws
/// ParseError (65) for an all-zero sample (at table_origin), for aitchison with pseudocount 0 on
/// a table with zeros, and for table features missing from the tree (at tree_origin).
DistanceMatrix beta_diversity(table::FeatureTable const& t, BetaOptions const& options);

/// The distances of partition `part` only (dm_partition.hpp: UniFrac by stripes, other metrics by
/// rows), with the fingerprint of the inputs; merging all N partitions gives exactly
/// `beta_diversity`'s matrix. Same validation and errors as `beta_diversity`. Memory: the table
/// (and for aitchison its dense clr, n_samples x n_features) plus about 1/N of the matrix.
PartialDistances beta_partial(table::FeatureTable const& t, BetaOptions const& options, Partition part);

}  // namespace orbiome::ecology
