#pragma once
// The oracle for the striped UniFrac and Faith PD kernels (STYLE.md §8.6): a direct transcription
// of the definitions, one tree walk per pair, no shared code with src/ecology. Quadratic in
// everything; for small random inputs only.
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "io/newick.hpp"

namespace orbiome::testing {

enum class NaiveUnifrac { unweighted, weighted, weighted_normalized, generalized };

// Counts below every node of the full tree for one sample (dense over `feature_ids`): each
// feature's tip is found by a linear search and its count is added on the whole path to the root.
inline std::vector<double> naive_node_counts(io::Tree const& tree, std::vector<std::string> const& feature_ids,
                                             std::vector<double> const& counts) {
    std::vector<double> acc(tree.size(), 0.0);
    for (std::size_t f = 0; f < feature_ids.size(); ++f) {
        if (counts[f] == 0.0) continue;
        std::size_t tip = tree.size();
        for (std::size_t i = 0; i < tree.size(); ++i)
            if (tree.is_tip(i) && tree.name[i] == feature_ids[f]) tip = i;
        for (auto node = static_cast<std::int32_t>(tip); node >= 0; node = tree.parent[static_cast<std::size_t>(node)])
            acc[static_cast<std::size_t>(node)] += counts[f];
    }
    return acc;
}

// Distance from a node to the root, counting the node's own branch and the root's.
inline double naive_depth(io::Tree const& tree, std::size_t node) {
    double d = 0.0;
    for (auto n = static_cast<std::int32_t>(node); n >= 0; n = tree.parent[static_cast<std::size_t>(n)])
        d += tree.length[static_cast<std::size_t>(n)];
    return d;
}

inline double naive_faith_pd(io::Tree const& tree, std::vector<std::string> const& feature_ids,
                             std::vector<double> const& counts) {
    auto const c = naive_node_counts(tree, feature_ids, counts);
    double pd = 0.0;
    for (std::size_t i = 0; i < tree.size(); ++i)
        if (c[i] > 0.0) pd += tree.length[i];
    return pd;
}

inline double naive_unifrac(NaiveUnifrac kind, io::Tree const& tree, std::vector<std::string> const& feature_ids,
                            std::vector<double> const& u, std::vector<double> const& v, double alpha = 0.5) {
    auto const cu = naive_node_counts(tree, feature_ids, u);
    auto const cv = naive_node_counts(tree, feature_ids, v);
    double tu = 0.0, tv = 0.0;
    for (double x : u) tu += x;
    for (double x : v) tv += x;
    double num = 0.0, den = 0.0;
    for (std::size_t i = 0; i < tree.size(); ++i) {
        double const b = tree.length[i];
        double const pu = tu > 0 ? cu[i] / tu : 0.0, pv = tv > 0 ? cv[i] / tv : 0.0;
        switch (kind) {
        case NaiveUnifrac::unweighted:
            num += b * (((cu[i] > 0) != (cv[i] > 0)) ? 1.0 : 0.0);
            den += b * ((cu[i] > 0 || cv[i] > 0) ? 1.0 : 0.0);
            break;
        case NaiveUnifrac::weighted:
        case NaiveUnifrac::weighted_normalized:
            num += b * std::fabs(pu - pv);
            if (tree.is_tip(i)) den += naive_depth(tree, i) * (pu + pv);
            break;
        case NaiveUnifrac::generalized:
            if (pu + pv > 0) {
                num += b * std::pow(pu + pv, alpha) * std::fabs((pu - pv) / (pu + pv));
                den += b * std::pow(pu + pv, alpha);
            }
            break;
        }
    }
    if (kind == NaiveUnifrac::weighted) return num;
    return den > 0.0 ? num / den : 0.0;
}

}  // namespace orbiome::testing
