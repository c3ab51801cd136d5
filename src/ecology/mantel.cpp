#include "ecology/mantel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ecology/anosim.hpp"

namespace orbiome::ecology {

namespace {

constexpr std::size_t kListedIds = 5;

std::string id_list(std::vector<std::string> const& ids) {
    std::string s;
    for (std::size_t i = 0; i < ids.size() && i < kListedIds; ++i) s += (i ? ", '" : "'") + ids[i] + "'";
    if (ids.size() > kListedIds) s += " and " + std::to_string(ids.size() - kListedIds) + " more";
    return s;
}

}  // namespace

MantelMethod parse_mantel_method(std::string const& s) {
    if (s == "pearson") return MantelMethod::pearson;
    if (s == "spearman") return MantelMethod::spearman;
    throw UsageError("--method must be pearson or spearman, not '" + s + "'");
}

PermutationTestResult mantel(DistanceMatrix const& x, DistanceMatrix const& y, std::string const& x_origin,
                             std::string const& y_origin, MantelMethod method, PermutationOptions const& options) {
    std::size_t const n = x.size();
    std::unordered_map<std::string, std::size_t> y_index;
    for (std::size_t i = 0; i < y.size(); ++i) y_index.emplace(y.ids()[i], i);
    std::vector<std::string> only_x, only_y;
    std::vector<std::size_t> order;
    for (auto const& id : x.ids()) {
        auto it = y_index.find(id);
        if (it == y_index.end())
            only_x.push_back(id);
        else
            order.push_back(it->second);
    }
    {
        std::unordered_map<std::string, std::size_t> x_index;
        for (std::size_t i = 0; i < n; ++i) x_index.emplace(x.ids()[i], i);
        for (auto const& id : y.ids())
            if (!x_index.count(id)) only_y.push_back(id);
    }
    if (!only_x.empty() || !only_y.empty()) {
        std::string msg = "the two distance matrices hold different samples:";
        if (!only_x.empty()) msg += " only in " + x_origin + ": " + id_list(only_x) + ";";
        if (!only_y.empty()) msg += " only in " + y_origin + ": " + id_list(only_y) + ";";
        msg.pop_back();
        throw ParseError({y_origin}, msg);
    }
    if (n < 3) throw ParseError({x_origin}, "the Mantel test needs at least 3 samples, got " + std::to_string(n));

    std::vector<double> xv = x.condensed();
    std::vector<double> yv = y.subset(order).condensed();
    if (method == MantelMethod::spearman) {
        xv = average_ranks(xv);
        yv = average_ranks(yv);
    }
    PermutationTestResult res;
    res.method_name = "Mantel";
    res.test_statistic_name = method == MantelMethod::pearson ? "r" : "rho";
    res.sample_size = n;
    res.number_of_permutations = options.permutations;
    double const nan = std::numeric_limits<double>::quiet_NaN();
    bool const constant = std::all_of(xv.begin(), xv.end(), [&](double v) { return v == xv[0]; }) ||
                          std::all_of(yv.begin(), yv.end(), [&](double v) { return v == yv[0]; });
    if (constant) {
        res.test_statistic = res.p_value = nan;
        return res;
    }
    auto normalise = [](std::vector<double>& v) {
        double const mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
        double ss = 0;
        for (auto& e : v) {
            e -= mean;
            ss += e * e;
        }
        double const norm = std::sqrt(ss);
        for (auto& e : v) e /= norm;
    };
    normalise(xv);
    normalise(yv);
    // The permuted x, in condensed order, read through the permutation: x(perm[i], perm[j]).
    DistanceMatrix xn(x.ids());
    xn.condensed() = xv;
    auto correlation = [&](std::vector<std::size_t> const* perm) {
        double r = 0;
        std::size_t k = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j, ++k)
                r += (perm ? xn((*perm)[i], (*perm)[j]) : xv[k]) * yv[k];
        return r;
    };
    res.test_statistic = std::clamp(correlation(nullptr), -1.0, 1.0);
    std::vector<double> perm_stats(options.permutations);
    parallel_for(options.permutations, options.threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t p = b; p < e; ++p) {
            auto const perm = draw_permutation(options.seed, p, n, {});
            perm_stats[p] = correlation(&perm);
        }
    });
    res.p_value = nan;
    if (options.permutations > 0) {
        double const observed = std::abs(res.test_statistic);
        auto const hits = std::count_if(perm_stats.begin(), perm_stats.end(),
                                        [&](double s) { return std::abs(s) >= observed - kTieTolerance; });
        res.p_value = static_cast<double>(hits + 1) / static_cast<double>(options.permutations + 1);
    }
    return res;
}

}  // namespace orbiome::ecology
