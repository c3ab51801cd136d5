#include "ecology/anosim.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ecology/formula.hpp"

namespace orbiome::ecology {

std::vector<double> average_ranks(std::vector<double> const& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> ranks(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        double const r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = r;
        i = j + 1;
    }
    return ranks;
}

void check_grouping(std::vector<std::size_t> const& groups, std::string const& what) {
    std::size_t const n_groups = groups.empty() ? 0 : *std::max_element(groups.begin(), groups.end()) + 1;
    if (n_groups < 2)
        throw ParseError({}, what + ": all samples are in one group; the test needs at least two groups");
    if (n_groups == groups.size())
        throw ParseError({}, what + ": every sample is in a group of its own; the test needs a group of at least two",
                         "is this the right column?");
}

PermutationTestResult anosim(DistanceMatrix const& dm, std::vector<std::size_t> const& groups,
                             PermutationOptions const& options) {
    std::size_t const n = dm.size();
    if (groups.size() != n) throw UsageError("grouping has " + std::to_string(groups.size()) + " labels for " +
                                             std::to_string(n) + " samples");
    check_grouping(groups, "grouping");
    std::vector<double> const ranks = average_ranks(dm.condensed());
    double const n_pairs = static_cast<double>(ranks.size());
    double const rank_total = std::accumulate(ranks.begin(), ranks.end(), 0.0);
    double const divisor = static_cast<double>(n) * (static_cast<double>(n) - 1.0) / 4.0;

    // Within-pair count is the same for every relabelling (group sizes are kept).
    auto statistic = [&](std::vector<std::size_t> const& g) {
        double within = 0;
        std::size_t n_within = 0, k = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j, ++k)
                if (g[i] == g[j]) {
                    within += ranks[k];
                    ++n_within;
                }
        double const r_w = within / static_cast<double>(n_within);
        double const r_b = (rank_total - within) / (n_pairs - static_cast<double>(n_within));
        return (r_b - r_w) / divisor;
    };
    PermutationTestResult res;
    res.method_name = "ANOSIM";
    res.test_statistic_name = "R";
    res.sample_size = n;
    res.number_of_groups = *std::max_element(groups.begin(), groups.end()) + 1;
    res.number_of_permutations = options.permutations;
    res.test_statistic = statistic(groups);
    std::vector<double> perm_stats(options.permutations);
    parallel_for(options.permutations, options.threads, [&](std::size_t b, std::size_t e) {
        std::vector<std::size_t> g(n);
        for (std::size_t p = b; p < e; ++p) {
            auto const perm = draw_permutation(options.seed, p, n, {});
            for (std::size_t i = 0; i < n; ++i) g[i] = groups[perm[i]];
            perm_stats[p] = statistic(g);
        }
    });
    res.p_value = std::numeric_limits<double>::quiet_NaN();
    if (options.permutations > 0) {
        auto const hits = std::count_if(perm_stats.begin(), perm_stats.end(),
                                        [&](double s) { return s >= res.test_statistic - kTieTolerance; });
        res.p_value = static_cast<double>(hits + 1) / static_cast<double>(options.permutations + 1);
    }
    return res;
}

PermutationTestResult anosim(DistanceMatrix const& dm, std::string const& dm_origin, io::Metadata const& md,
                             std::string const& column, PermutationOptions const& options) {
    auto const join = io::join_metadata(dm.ids(), dm_origin, md);
    std::vector<std::string> levels;
    auto const groups = group_codes(md, md.require_column(column), join.row_of_sample, dm.ids(), levels);
    check_grouping(groups, md.source + ": column '" + column + "'");
    return anosim(dm, groups, options);
}

}  // namespace orbiome::ecology
