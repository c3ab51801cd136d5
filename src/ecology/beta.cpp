#include "ecology/beta.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "ecology/alpha.hpp"
#include "ecology/unifrac.hpp"

namespace orbiome::ecology {

namespace {

constexpr std::array<std::pair<BetaMetric, std::string_view>, 7> kNames{{
    {BetaMetric::braycurtis, "braycurtis"},
    {BetaMetric::jaccard, "jaccard"},
    {BetaMetric::aitchison, "aitchison"},
    {BetaMetric::unweighted_unifrac, "unweighted_unifrac"},
    {BetaMetric::weighted_unifrac, "weighted_unifrac"},
    {BetaMetric::weighted_normalized_unifrac, "weighted_normalized_unifrac"},
    {BetaMetric::generalized_unifrac, "generalized_unifrac"},
}};

// Rows per block of the dense Aitchison kernel: two blocks of 16 rows of a few thousand features
// stay in L2 while all their pairs are formed.
constexpr std::size_t kRowBlock = 16;

// Bray-Curtis and Jaccard: row i is scattered into a dense buffer once, and each later sample j
// walks only its own non-zeros against it.
DistanceMatrix sparse_pairs(table::FeatureTable const& t, bool jaccard, int n_threads) {
    std::size_t const n = t.n_samples();
    DistanceMatrix dm(t.sample_ids());
    std::vector<double> total(n);
    for (std::size_t s = 0; s < n; ++s)
        total[s] = jaccard ? static_cast<double>(t.sample_features(s).size()) : t.sample_total(s);
    // Each row runs in one task and writes only its own pairs; scratch is per task.
    parallel_for((n + 1) / 2, n_threads, [&](std::size_t b, std::size_t e) {
        std::vector<double> dense(t.n_features(), 0.0);
        auto row = [&](std::size_t i) {
            auto const fi = t.sample_features(i);
            auto const vi = t.sample_values(i);
            for (std::size_t k = 0; k < fi.size(); ++k) dense[fi[k]] = jaccard ? 1.0 : vi[k];
            for (std::size_t j = i + 1; j < n; ++j) {
                auto const fj = t.sample_features(j);
                auto const vj = t.sample_values(j);
                double shared = 0.0;
                if (jaccard) {
                    for (std::size_t k = 0; k < fj.size(); ++k) shared += dense[fj[k]];
                    double const uni = total[i] + total[j] - shared;
                    dm.set(i, j, uni > 0.0 ? (uni - shared) / uni : 0.0);
                } else {
                    for (std::size_t k = 0; k < fj.size(); ++k) shared += std::min(dense[fj[k]], vj[k]);
                    double const sum = total[i] + total[j];
                    dm.set(i, j, sum > 0.0 ? (sum - 2.0 * shared) / sum : 0.0);
                }
            }
            for (auto f : fi) dense[f] = 0.0;
        };
        for (std::size_t u = b; u < e; ++u) {
            row(u);
            if (n - 1 - u != u) row(n - 1 - u);
        }
    });
    return dm;
}

DistanceMatrix aitchison(table::FeatureTable const& t, double pseudocount, std::string const& origin,
                         int n_threads) {
    std::size_t const n = t.n_samples(), nf = t.n_features();
    if (pseudocount == 0.0) {
        for (std::size_t s = 0; s < n; ++s)
            if (t.sample_features(s).size() < nf)
                throw ParseError({origin}, "sample '" + t.sample_ids()[s] +
                                               "': aitchison with pseudocount 0 needs a table without zeros; it has " +
                                     std::to_string(nf - t.sample_features(s).size()) + " zero features",
                                 "use --pseudocount 1 (the default) or another positive value");
    }
    std::vector<double> clr(n * nf);
    parallel_for(n, n_threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t s = b; s < e; ++s) {
            double* row = clr.data() + s * nf;
            std::fill(row, row + nf, 0.0);
            auto const f = t.sample_features(s);
            auto const v = t.sample_values(s);
            for (std::size_t k = 0; k < f.size(); ++k) row[f[k]] = v[k];
            double mean = 0.0;
            for (std::size_t g = 0; g < nf; ++g) {
                row[g] = std::log(row[g] + pseudocount);
                mean += row[g];
            }
            mean /= static_cast<double>(nf);
            for (std::size_t g = 0; g < nf; ++g) row[g] -= mean;
        }
    });
    DistanceMatrix dm(t.sample_ids());
    std::size_t const nb = (n + kRowBlock - 1) / kRowBlock;
    // Block pairs (I <= J) in condensed order; each is owned by one task.
    std::vector<std::pair<std::size_t, std::size_t>> blocks;
    for (std::size_t bi = 0; bi < nb; ++bi)
        for (std::size_t bj = bi; bj < nb; ++bj) blocks.emplace_back(bi, bj);
    parallel_for(blocks.size(), n_threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t q = b; q < e; ++q) {
            auto const [bi, bj] = blocks[q];
            for (std::size_t i = bi * kRowBlock; i < std::min(n, (bi + 1) * kRowBlock); ++i) {
                double const* __restrict__ x = clr.data() + i * nf;
                for (std::size_t j = std::max(i + 1, bj * kRowBlock); j < std::min(n, (bj + 1) * kRowBlock); ++j) {
                    double const* __restrict__ y = clr.data() + j * nf;
                    double ss = 0.0;
                    for (std::size_t g = 0; g < nf; ++g) {
                        double const d = x[g] - y[g];
                        ss += d * d;
                    }
                    dm.set(i, j, std::sqrt(ss));
                }
            }
        }
    });
    return dm;
}

}  // namespace

std::string_view beta_metric_name(BetaMetric m) {
    for (auto const& [k, name] : kNames)
        if (k == m) return name;
    return "?";
}

BetaMetric parse_beta_metric(std::string_view name) {
    for (auto const& [k, n] : kNames)
        if (n == name) return k;
    std::string valid;
    for (auto const& [k, n] : kNames) valid += (valid.empty() ? "" : ", ") + std::string(n);
    throw UsageError("unknown beta metric '" + std::string(name) + "'", "valid metrics: " + valid);
}

bool is_phylogenetic(BetaMetric m) {
    return m == BetaMetric::unweighted_unifrac || m == BetaMetric::weighted_unifrac ||
           m == BetaMetric::weighted_normalized_unifrac || m == BetaMetric::generalized_unifrac;
}

void BetaOptions::validate() const {
    if (is_phylogenetic(metric) && tree == nullptr)
        throw UsageError("metric " + std::string(beta_metric_name(metric)) + " needs a tree", "give --tree FILE.nwk");
    if (!(pseudocount >= 0.0) || !std::isfinite(pseudocount))
        throw UsageError("pseudocount must be finite and >= 0 (got " + format_double(pseudocount) + ")");
    if (!std::isfinite(alpha)) throw UsageError("generalized UniFrac alpha must be finite");
}

DistanceMatrix beta_diversity(table::FeatureTable const& t, BetaOptions const& o) {
    o.validate();
    require_nonempty_samples(t, o.table_origin);
    switch (o.metric) {
    case BetaMetric::braycurtis:
        return sparse_pairs(t, false, o.n_threads);
    case BetaMetric::jaccard:
        return sparse_pairs(t, true, o.n_threads);
    case BetaMetric::aitchison:
        return aitchison(t, o.pseudocount, o.table_origin, o.n_threads);
    case BetaMetric::unweighted_unifrac:
    case BetaMetric::weighted_unifrac:
    case BetaMetric::weighted_normalized_unifrac:
    case BetaMetric::generalized_unifrac:
        break;
    }
    UnifracOptions uo;
    uo.kind = o.metric == BetaMetric::unweighted_unifrac            ? UnifracKind::unweighted
              : o.metric == BetaMetric::weighted_unifrac            ? UnifracKind::weighted
              : o.metric == BetaMetric::weighted_normalized_unifrac ? UnifracKind::weighted_normalized
                                                                    : UnifracKind::generalized;
    uo.alpha = o.alpha;
    uo.n_threads = o.n_threads;
    return unifrac(t, match_tree(*o.tree, t.feature_ids(), o.tree_origin), uo);
}

}  // namespace orbiome::ecology
