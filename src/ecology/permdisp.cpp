#include "ecology/permdisp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Eigenvalues>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ecology/formula.hpp"
#include "ecology/pcoa.hpp"

namespace orbiome::ecology {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One-way ANOVA F of z by groups (scipy's f_oneway, R's anova(lm(z ~ group))).
double anova_f(Eigen::VectorXd const& z, std::vector<std::size_t> const& groups, std::size_t n_groups) {
    std::vector<double> sum(n_groups, 0.0);
    std::vector<std::size_t> count(n_groups, 0);
    for (std::size_t i = 0; i < groups.size(); ++i) {
        sum[groups[i]] += z(static_cast<Eigen::Index>(i));
        ++count[groups[i]];
    }
    double const grand = z.mean();
    double between = 0, within = 0;
    for (std::size_t g = 0; g < n_groups; ++g) {
        double const mean = sum[g] / static_cast<double>(count[g]);
        between += static_cast<double>(count[g]) * (mean - grand) * (mean - grand);
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        double const d = z(static_cast<Eigen::Index>(i)) - sum[groups[i]] / static_cast<double>(count[groups[i]]);
        within += d * d;
    }
    auto const n = static_cast<double>(groups.size());
    auto const k = static_cast<double>(n_groups);
    return (between / (k - 1)) / (within / (n - k));
}

Eigen::MatrixXd rows_of(Eigen::MatrixXd const& x, std::vector<std::size_t> const& groups, std::size_t g) {
    std::vector<Eigen::Index> idx;
    for (std::size_t i = 0; i < groups.size(); ++i)
        if (groups[i] == g) idx.push_back(static_cast<Eigen::Index>(i));
    Eigen::MatrixXd out(static_cast<Eigen::Index>(idx.size()), x.cols());
    for (std::size_t r = 0; r < idx.size(); ++r) out.row(static_cast<Eigen::Index>(r)) = x.row(idx[r]);
    return out;
}

Eigen::VectorXd centre_of(Eigen::MatrixXd const& pts, DispersionCentre c) {
    if (pts.cols() == 0) return Eigen::VectorXd(0);
    if (c == DispersionCentre::centroid) return pts.colwise().mean().transpose();
    return geometric_median(pts);
}

// Distance of each sample to its group's centre in the real axes `pos` minus the imaginary axes
// `neg` (squared), as vegan's betadisper; skbio passes no imaginary axes.
Eigen::VectorXd distances_to_centres(Eigen::MatrixXd const& pos, Eigen::MatrixXd const& neg,
                                     std::vector<std::size_t> const& groups, std::size_t n_groups,
                                     DispersionCentre centre) {
    Eigen::VectorXd z(pos.rows());
    for (std::size_t g = 0; g < n_groups; ++g) {
        Eigen::VectorXd const cp = centre_of(rows_of(pos, groups, g), centre);
        Eigen::VectorXd const cn = centre_of(rows_of(neg, groups, g), centre);
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (groups[i] != g) continue;
            auto const r = static_cast<Eigen::Index>(i);
            double d2 = (pos.row(r).transpose() - cp).squaredNorm();
            if (neg.cols() > 0) d2 -= (neg.row(r).transpose() - cn).squaredNorm();
            z(r) = std::sqrt(std::max(0.0, d2));
        }
    }
    return z;
}

double p_from(std::vector<double> const& perm, double observed) {
    if (perm.empty() || std::isnan(observed)) return kNaN;
    auto const hits = std::count_if(perm.begin(), perm.end(), [&](double s) { return s >= observed - kTieTolerance; });
    return static_cast<double>(hits + 1) / static_cast<double>(perm.size() + 1);
}

}  // namespace

PermdispFlavour parse_permdisp_flavour(std::string const& s) {
    if (s == "skbio") return PermdispFlavour::skbio;
    if (s == "vegan") return PermdispFlavour::vegan;
    throw UsageError("--flavour must be skbio or vegan, not '" + s + "'");
}

DispersionCentre parse_dispersion_centre(std::string const& s) {
    if (s == "median") return DispersionCentre::median;
    if (s == "centroid") return DispersionCentre::centroid;
    throw UsageError("--centre must be median or centroid, not '" + s + "'");
}

Eigen::VectorXd geometric_median(Eigen::MatrixXd const& points) {
    Eigen::Index const m = points.rows();
    Eigen::VectorXd y = points.colwise().mean().transpose();
    if (m <= 2) return y;  // any point of the segment; the midpoint, as the mean
    for (std::size_t it = 0; it < kMedianMaxIterations; ++it) {
        Eigen::VectorXd num = Eigen::VectorXd::Zero(points.cols());
        Eigen::VectorXd pull = Eigen::VectorXd::Zero(points.cols());
        double inv_sum = 0;
        std::size_t at_points = 0;
        for (Eigen::Index i = 0; i < m; ++i) {
            Eigen::VectorXd const diff = points.row(i).transpose() - y;
            double const d = diff.norm();
            if (d == 0.0) {
                ++at_points;
                continue;
            }
            num += points.row(i).transpose() / d;
            pull += diff / d;
            inv_sum += 1.0 / d;
        }
        if (inv_sum == 0.0) return y;  // every point coincides with y
        Eigen::VectorXd const t = num / inv_sum;
        Eigen::VectorXd next = t;
        if (at_points > 0) {
            // Vardi–Zhang: at a data point, move only as far as the pull of the others exceeds it.
            double const r = pull.norm();
            double const gamma = r == 0.0 ? 1.0 : std::min(1.0, static_cast<double>(at_points) / r);
            next = (1.0 - gamma) * t + gamma * y;
        }
        double const step = (next - y).norm();
        y = std::move(next);
        if (step <= kMedianTolerance) break;
    }
    return y;
}

PermutationTestResult permdisp(DistanceMatrix const& dm, std::vector<std::size_t> const& groups,
                               PermdispOptions const& options) {
    std::size_t const n = dm.size();
    if (groups.size() != n)
        throw UsageError("grouping has " + std::to_string(groups.size()) + " labels for " + std::to_string(n) +
                         " samples");
    std::size_t const n_groups = groups.empty() ? 0 : *std::max_element(groups.begin(), groups.end()) + 1;
    if (n_groups < 2) throw ParseError({}, "all samples are in one group; PERMDISP needs at least two groups");
    {
        std::vector<std::size_t> count(n_groups, 0);
        for (auto g : groups) ++count[g];
        for (std::size_t g = 0; g < n_groups; ++g)
            if (count[g] < 2)
                throw ParseError({}, "group " + std::to_string(g + 1) + " has a single sample; PERMDISP needs at least 2 per group");
    }
    auto const& po = options.permutation;
    PermutationTestResult res;
    res.method_name = "PERMDISP";
    res.test_statistic_name = "F-value";
    res.sample_size = n;
    res.number_of_groups = n_groups;
    res.number_of_permutations = po.permutations;
    std::vector<double> perm_stats(po.permutations);

    if (options.flavour == PermdispFlavour::skbio) {
        Eigen::MatrixXd const coords = pcoa(dm).coordinates;
        Eigen::MatrixXd const none(static_cast<Eigen::Index>(n), 0);
        res.test_statistic = anova_f(distances_to_centres(coords, none, groups, n_groups, options.centre), groups, n_groups);
        parallel_for(po.permutations, po.threads, [&](std::size_t b, std::size_t e) {
            std::vector<std::size_t> g(n);
            for (std::size_t p = b; p < e; ++p) {
                auto const perm = draw_permutation(po.seed, p, n, {});
                for (std::size_t i = 0; i < n; ++i) g[i] = groups[perm[i]];
                perm_stats[p] = anova_f(distances_to_centres(coords, none, g, n_groups, options.centre), g, n_groups);
            }
        });
    } else {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gower_centred(dm));
        if (solver.info() != Eigen::Success) throw Error(Errc::software, {}, "eigen-decomposition did not converge");
        Eigen::VectorXd const& values = solver.eigenvalues();
        double const tol = std::sqrt(std::numeric_limits<double>::epsilon());
        double const keep = std::max(tol, tol * values.maxCoeff());
        std::vector<Eigen::Index> pos_axes, neg_axes;
        for (Eigen::Index a = values.size() - 1; a >= 0; --a) {
            if (std::abs(values(a)) <= keep) continue;
            (values(a) > 0 ? pos_axes : neg_axes).push_back(a);
        }
        auto axes = [&](std::vector<Eigen::Index> const& which) {
            Eigen::MatrixXd out(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(which.size()));
            for (std::size_t c = 0; c < which.size(); ++c)
                out.col(static_cast<Eigen::Index>(c)) =
                    solver.eigenvectors().col(which[c]) * std::sqrt(std::abs(values(which[c])));
            return out;
        };
        Eigen::VectorXd const z =
            distances_to_centres(axes(pos_axes), axes(neg_axes), groups, n_groups, options.centre);
        res.test_statistic = anova_f(z, groups, n_groups);
        // Residuals from the group means are permuted and refitted (vegan's permutest.betadisper).
        std::vector<double> mean(n_groups, 0.0);
        std::vector<std::size_t> count(n_groups, 0);
        for (std::size_t i = 0; i < n; ++i) {
            mean[groups[i]] += z(static_cast<Eigen::Index>(i));
            ++count[groups[i]];
        }
        for (std::size_t g = 0; g < n_groups; ++g) mean[g] /= static_cast<double>(count[g]);
        Eigen::VectorXd resid(static_cast<Eigen::Index>(n));
        for (std::size_t i = 0; i < n; ++i)
            resid(static_cast<Eigen::Index>(i)) = z(static_cast<Eigen::Index>(i)) - mean[groups[i]];
        parallel_for(po.permutations, po.threads, [&](std::size_t b, std::size_t e) {
            Eigen::VectorXd r(static_cast<Eigen::Index>(n));
            for (std::size_t p = b; p < e; ++p) {
                auto const perm = draw_permutation(po.seed, p, n, {});
                for (std::size_t i = 0; i < n; ++i) r(static_cast<Eigen::Index>(i)) = resid(static_cast<Eigen::Index>(perm[i]));
                perm_stats[p] = anova_f(r, groups, n_groups);
            }
        });
    }
    res.p_value = p_from(perm_stats, res.test_statistic);
    return res;
}

PermutationTestResult permdisp(DistanceMatrix const& dm, std::string const& dm_origin, io::Metadata const& md,
                               std::string const& column, PermdispOptions const& options) {
    auto const join = io::join_metadata(dm.ids(), dm_origin, md);
    std::vector<std::string> levels;
    auto const groups = group_codes(md, md.require_column(column), join.row_of_sample, dm.ids(), levels);
    std::vector<std::size_t> count(levels.size(), 0);
    for (auto g : groups) ++count[g];
    for (std::size_t g = 0; g < levels.size(); ++g)
        if (count[g] < 2)
            throw ParseError({md.source}, "column '" + column + "': group '" + levels[g] +
                                              "' has a single sample; PERMDISP needs at least 2 per group");
    if (levels.size() < 2)
        throw ParseError({md.source}, "column '" + column + "': all samples are in one group; PERMDISP needs at least two");
    return permdisp(dm, groups, options);
}

}  // namespace orbiome::ecology
