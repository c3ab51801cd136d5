#pragma once
/// \file alpha.hpp
/// Alpha diversity: one number per sample and metric.
///
/// With c_f the counts of the S non-zero features of a sample, N = sum c_f, p_f = c_f / N,
/// F_k = number of features with count exactly k:
///  - observed: S
///  - shannon: -sum p_f ln p_f / ln(base); base e by default. NOTE scikit-bio 0.5.8's
///    `shannon` defaults to base 2; vegan's `diversity` uses base e. (Shannon 1948)
///  - simpson: 1 - sum p_f^2 (Gini-Simpson; vegan `diversity(index = "simpson")`)
///  - inverse_simpson: 1 / sum p_f^2 (vegan "invsimpson", scikit-bio `enspie`)
///  - chao1: S + F1 (F1 - 1) / (2 (F2 + 1)), the bias-corrected form (Chao 1987,
///    doi:10.2307/2531532). It is used always, also when F1 or F2 is 0: this is what vegan 2.6-4
///    `estimateR` does, and scikit-bio 0.5.8's default (`bias_corrected=True`) gives the same.
///  - ace: abundance-based coverage estimator with rare threshold 10 (Chao & Lee 1992,
///    doi:10.1080/01621459.1992.10475194), as vegan `estimateR` and scikit-bio `ace`:
///    S_rare / C + F1 / C * gamma^2 + S_abund with C = 1 - F1 / N_rare,
///    gamma^2 = max(S_rare * sum_{k<=10} k(k-1) F_k / (C N_rare (N_rare - 1)) - 1, 0).
///    With no rare feature it is S_abund. When every rare feature is a singleton (C = 0) it is
///    undefined (scikit-bio raises, vegan gives Inf): orbiome reports NaN for that sample.
///  - pielou: H_ln / ln S (Pielou 1966); undefined (NaN, as in vegan and scikit-bio) when S = 1.
///  - faith_pd: Faith's phylogenetic diversity (needs a tree; see unifrac.hpp).
///  - hill_0, hill_1, hill_2: Hill numbers of order q = 0, 1, 2 (Hill 1973,
///    doi:10.2307/1934352): S, exp(H_ln), 1 / sum p_f^2.
/// chao1 and ace need whole-number counts. A sample whose counts are all zero has no defined
/// diversity: `alpha_diversity` rejects it (see `require_nonempty_samples`).

#include <cstddef>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/newick.hpp"
#include "table/feature_table.hpp"

namespace orbiome::ecology {

enum class AlphaMetric { observed, shannon, simpson, inverse_simpson, chao1, ace, pielou, faith_pd, hill_0, hill_1, hill_2 };

/// ACE's rare threshold: features with at most this many counts are "rare" (vegan, scikit-bio).
inline constexpr int kAceRareThreshold = 10;

/// The metric's name as used on the command line and as output column ("inverse_simpson").
std::string_view alpha_metric_name(AlphaMetric m);
/// Parses a metric name. Throws UsageError (64) naming the unknown metric and listing the valid ones.
AlphaMetric parse_alpha_metric(std::string_view name);
/// Parses a comma-separated list ("shannon,chao1"); repeated names are kept once, in first order.
/// Throws UsageError for an unknown or empty name.
std::vector<AlphaMetric> parse_alpha_metrics(std::string_view list);
/// The metrics computed when none are asked for: observed, shannon, simpson, inverse_simpson,
/// chao1, ace, pielou, and faith_pd when a tree is given.
std::vector<AlphaMetric> default_alpha_metrics(bool with_tree);

/// The value of a non-phylogenetic metric for one sample, from its non-zero counts (any order;
/// zeros are allowed and ignored). `log_base` only affects shannon. Throws UsageError for
/// faith_pd (needs a tree). Requires a positive total; chao1/ace require whole numbers (the
/// caller checks; here a fractional count is truncated). O(S).
double alpha_value(AlphaMetric m, std::span<double const> counts, double log_base = std::numbers::e);

/// Throws ParseError (65) at `origin` if any sample's counts are all zero, naming up to five such
/// samples and how many there are, with a hint to drop them. O(n_samples).
void require_nonempty_samples(table::FeatureTable const& t, std::string const& origin);

struct AlphaOptions {
    std::vector<AlphaMetric> metrics;          ///< empty: default_alpha_metrics(tree != nullptr)
    double log_base = std::numbers::e;        ///< Shannon's logarithm base (> 0, != 1)
    io::Tree const* tree = nullptr;           ///< needed for faith_pd; not owned
    std::string tree_origin;                  ///< tree file name for errors
    std::string table_origin;                 ///< table file name for errors
    int n_threads = 1;
};

/// Values per sample (rows, in table order) and metric (columns, in `metrics` order).
struct AlphaResult {
    std::vector<std::string> sample_ids;
    std::vector<AlphaMetric> metrics;
    std::vector<double> values;  ///< sample-major: values[s * metrics.size() + m]

    double at(std::size_t sample, std::size_t metric) const { return values[sample * metrics.size() + metric]; }
};

/// Computes the metrics for every sample. Throws UsageError (64) for faith_pd without a tree or a
/// bad log base; ParseError (65) for an all-zero sample (at table_origin), for chao1/ace on a
/// table with a fractional count (naming sample and feature), and for table features missing
/// from the tree (at tree_origin, see match_tree). Parallel over samples; deterministic.
AlphaResult alpha_diversity(table::FeatureTable const& t, AlphaOptions const& options);

/// Writes `sample_id` then one column per metric (named as the metric), one row per sample, after
/// the `header_line` (e.g. "#orbiome alpha 0.1.0"). Values in shortest round-trip decimal; NaN as
/// "NaN". Atomic (AtomicOutput). Throws IoError (74).
void write_alpha(AlphaResult const& r, std::string const& path, std::string const& header_line);

}  // namespace orbiome::ecology
