#include "diffabund/stats.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "core/error.hpp"

namespace orbiome::diffabund {

namespace {

void check_finite(std::span<double const> x) {
    for (double v : x) ORBIOME_ASSERT(std::isfinite(v));
}

// Mean as R computes it: a long-double sum, then one refinement pass over the residuals.
long double accurate_mean(std::span<double const> x) {
    long double s = 0;
    for (double v : x) s += v;
    long double m = s / static_cast<long double>(x.size());
    long double r = 0;
    for (double v : x) r += static_cast<long double>(v) - m;
    return m + r / static_cast<long double>(x.size());
}

double sample_variance(std::span<double const> x, long double mean) {
    long double ss = 0;
    for (double v : x) {
        long double d = static_cast<long double>(v) - mean;
        ss += d * d;
    }
    return static_cast<double>(ss / static_cast<long double>(x.size() - 1));
}

CorrelationResult correlation_t_test(double r, double df, std::size_t n) {
    CorrelationResult out;
    out.n = n;
    out.df = df;
    r = std::clamp(r, -1.0, 1.0);
    out.coefficient = r;
    if (std::abs(r) == 1.0) {
        out.statistic = r > 0 ? HUGE_VAL : -HUGE_VAL;
        out.p_value = 0;
        return out;
    }
    out.statistic = std::sqrt(df) * r / std::sqrt(1 - r * r);
    out.p_value = t_two_sided(out.statistic, df);
    return out;
}

// Pearson r of two equally long vectors; nullopt-like flag when either is constant.
bool pearson_r(std::span<double const> x, std::span<double const> y, double& r) {
    long double mx = accurate_mean(x), my = accurate_mean(y);
    long double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        long double dx = static_cast<long double>(x[i]) - mx, dy = static_cast<long double>(y[i]) - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) return false;
    auto n1 = static_cast<long double>(x.size() - 1);
    double cxy = static_cast<double>(sxy / n1);
    double sdx = std::sqrt(static_cast<double>(sxx / n1)), sdy = std::sqrt(static_cast<double>(syy / n1));
    r = cxy / (sdx * sdy);
    return true;
}

}  // namespace

Ranks average_ranks(std::span<double const> x) {
    std::size_t const n = x.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    Ranks out;
    out.rank.resize(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && x[order[j]] == x[order[i]]) ++j;
        double avg = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k) out.rank[order[k]] = avg;
        auto t = static_cast<double>(j - i);
        out.tie_term += t * t * t - t;
        i = j;
    }
    return out;
}

RankSumDistribution::RankSumDistribution(std::size_t m, std::size_t n) : m_(m), n_(n) {
    std::size_t const width = m * n + 1;
    // table[j][u] = c(u; j, n') for the current n', j = 0..m.
    std::vector<std::vector<double>> table(m + 1, std::vector<double>(width, 0.0));
    for (std::size_t j = 0; j <= m; ++j) table[j][0] = 1;  // n' = 0: one arrangement, U = 0
    for (std::size_t np = 1; np <= n; ++np) {
        for (std::size_t j = 1; j <= m; ++j) {
            // c(u; j, np) = c(u; j, np - 1) + c(u - np; j - 1, np): row j-1 already holds np.
            auto& row = table[j];
            auto const& prev = table[j - 1];
            for (std::size_t u = width; u-- > np;) row[u] += prev[u - np];
        }
    }
    count_ = std::move(table[m]);
    for (double c : count_) total_ += c;
}

double RankSumDistribution::lower(double u) const {
    if (u < 0) return 0;
    auto top = std::min(static_cast<std::size_t>(std::floor(u + 1e-7)), count_.size() - 1);
    double s = 0;
    for (std::size_t i = 0; i <= top; ++i) s += count_[i];
    return std::min(1.0, s / total_);
}

double RankSumDistribution::upper(double u) const {
    if (u <= 0) return 1;
    auto from = static_cast<std::size_t>(std::ceil(u - 1e-7));
    double s = 0;
    for (std::size_t i = from; i < count_.size(); ++i) s += count_[i];
    return std::min(1.0, s / total_);
}

namespace {

/// W = (rank sum of x) - n_x (n_x + 1) / 2 over the pooled average ranks, and those ranks.
struct RankSum {
    double w = 0;
    Ranks ranks;
};

RankSum rank_sum(std::span<double const> x, std::span<double const> y) {
    std::vector<double> all(x.begin(), x.end());
    all.insert(all.end(), y.begin(), y.end());
    RankSum out{0, average_ranks(all)};
    double rx = 0;
    for (std::size_t i = 0; i < x.size(); ++i) rx += out.ranks.rank[i];
    double const dnx = static_cast<double>(x.size());
    out.w = rx - dnx * (dnx + 1) / 2;
    return out;
}

/// Normal approximation of W with tie-corrected variance, optionally continuity-corrected.
TestResult rank_sum_normal(RankSum const& rs, std::size_t nx, std::size_t ny, bool continuity_correction) {
    TestResult out;
    double const dnx = static_cast<double>(nx), dny = static_cast<double>(ny);
    out.statistic = rs.w;
    double const n = dnx + dny;
    double const sigma = std::sqrt((dnx * dny / 12) * ((n + 1) - rs.ranks.tie_term / (n * (n - 1))));
    if (!(sigma > 0)) {
        out.tested = false;
        return out;
    }
    double z = rs.w - dnx * dny / 2;
    double const correction = !continuity_correction ? 0.0 : z > 0 ? 0.5 : (z < 0 ? -0.5 : 0.0);
    z = (z - correction) / sigma;
    boost::math::normal_distribution<double> norm;
    double const lo = boost::math::cdf(norm, z), hi = boost::math::cdf(boost::math::complement(norm, z));
    out.p_value = std::min(1.0, 2 * std::min(lo, hi));
    return out;
}

/// Untested result for an empty sample (W at its null mean).
TestResult empty_rank_sum(std::size_t nx, std::size_t ny) {
    TestResult out;
    out.statistic = static_cast<double>(nx) * static_cast<double>(ny) / 2;
    out.tested = false;
    return out;
}

}  // namespace

TestResult wilcoxon_rank_sum(std::span<double const> x, std::span<double const> y, RankSumDistribution const* exact) {
    check_finite(x);
    check_finite(y);
    std::size_t const nx = x.size(), ny = y.size();
    if (nx == 0 || ny == 0) return empty_rank_sum(nx, ny);
    RankSum const rs = rank_sum(x, y);
    if (nx < kWilcoxonExactLimit && ny < kWilcoxonExactLimit && !rs.ranks.has_ties()) {
        TestResult out;
        out.statistic = rs.w;
        out.exact = true;
        bool const cached = exact && exact->m() == nx && exact->n() == ny;
        RankSumDistribution local(cached ? 0 : nx, cached ? 0 : ny);
        RankSumDistribution const& d = cached ? *exact : local;
        double const half = static_cast<double>(nx) * static_cast<double>(ny) / 2;
        double const p = rs.w > half ? d.upper(rs.w) : d.lower(rs.w);
        out.p_value = std::min(1.0, 2 * p);
        return out;
    }
    return rank_sum_normal(rs, nx, ny, true);
}

TestResult wilcoxon_rank_sum_normal(std::span<double const> x, std::span<double const> y, bool continuity_correction) {
    if (x.empty() || y.empty()) return empty_rank_sum(x.size(), y.size());
    return rank_sum_normal(rank_sum(x, y), x.size(), y.size(), continuity_correction);
}

TestResult kruskal_wallis(std::span<double const> x, std::span<std::size_t const> group) {
    check_finite(x);
    ORBIOME_ASSERT(x.size() == group.size());
    TestResult out;
    std::size_t n_groups = 0;
    for (std::size_t g : group) n_groups = std::max(n_groups, g + 1);
    std::vector<double> rank_sum(n_groups, 0.0);
    std::vector<std::size_t> size(n_groups, 0);
    Ranks r = average_ranks(x);
    for (std::size_t i = 0; i < x.size(); ++i) {
        rank_sum[group[i]] += r.rank[i];
        ++size[group[i]];
    }
    std::size_t k = 0;
    double s = 0;
    for (std::size_t g = 0; g < n_groups; ++g) {
        if (size[g] == 0) continue;
        ++k;
        s += rank_sum[g] * rank_sum[g] / static_cast<double>(size[g]);
    }
    double const n = static_cast<double>(x.size());
    double const tie_denominator = 1 - r.tie_term / (n * n * n - n);
    if (k < 2 || !(tie_denominator > 0)) {
        out.tested = false;
        return out;
    }
    out.df = static_cast<double>(k - 1);
    out.statistic = (12 * s / (n * (n + 1)) - 3 * (n + 1)) / tie_denominator;
    boost::math::chi_squared_distribution<double> chi(out.df);
    out.p_value = out.statistic <= 0 ? 1.0 : boost::math::cdf(boost::math::complement(chi, out.statistic));
    return out;
}

TestResult wilcoxon_signed_rank(std::span<double const> d) {
    check_finite(d);
    TestResult out;
    std::vector<double> nz, abs_nz;
    for (double v : d)
        if (v != 0) nz.push_back(v), abs_nz.push_back(std::abs(v));
    bool const zeros = nz.size() < d.size();
    std::size_t const n = nz.size();
    if (n == 0) {
        out.tested = false;
        return out;
    }
    Ranks const r = average_ranks(abs_nz);
    for (std::size_t i = 0; i < n; ++i)
        if (nz[i] > 0) out.statistic += r.rank[i];
    double const nn = static_cast<double>(n);
    if (n < kWilcoxonExactLimit && r.tie_term == 0 && !zeros) {
        // Number of subsets of {1..n} by rank sum (R's csignrank), as probabilities.
        std::size_t const top = n * (n + 1) / 2;
        std::vector<double> count(top + 1, 0.0);
        count[0] = 1;
        for (std::size_t k = 1; k <= n; ++k)
            for (std::size_t v = top; v >= k; --v) count[v] += count[v - k];
        double const total = std::ldexp(1.0, static_cast<int>(n));
        auto const v = static_cast<std::size_t>(out.statistic);
        double p = 0;
        if (out.statistic > nn * (nn + 1) / 4)
            for (std::size_t u = v; u <= top; ++u) p += count[u];  // P(V >= v)
        else
            for (std::size_t u = 0; u <= v; ++u) p += count[u];  // P(V <= v)
        out.p_value = std::min(1.0, 2 * p / total);
        out.exact = true;
        return out;
    }
    double const sigma = std::sqrt(nn * (nn + 1) * (2 * nn + 1) / 24 - r.tie_term / 48);
    if (!(sigma > 0)) {
        out.tested = false;
        out.statistic = 0;
        return out;
    }
    double z = out.statistic - nn * (nn + 1) / 4;
    z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0.0)) / sigma;
    boost::math::normal_distribution<double> normal;
    out.p_value = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(normal, std::abs(z))));
    return out;
}

TestResult friedman(std::span<double const> y, std::size_t n_blocks, std::size_t k) {
    check_finite(y);
    ORBIOME_ASSERT(y.size() == n_blocks * k);
    TestResult out;
    if (k < 2 || n_blocks < 1) {
        out.tested = false;
        return out;
    }
    std::vector<double> rank_sum(k, 0.0);
    double ties = 0;
    for (std::size_t b = 0; b < n_blocks; ++b) {
        Ranks const r = average_ranks(y.subspan(b * k, k));
        for (std::size_t g = 0; g < k; ++g) rank_sum[g] += r.rank[g];
        ties += r.tie_term;
    }
    double const n = static_cast<double>(n_blocks), kk = static_cast<double>(k);
    double ss = 0;
    for (double rs : rank_sum) ss += (rs - n * (kk + 1) / 2) * (rs - n * (kk + 1) / 2);
    double const denominator = n * kk * (kk + 1) - ties / (kk - 1);
    if (!(denominator > 0)) {
        out.tested = false;
        return out;
    }
    out.statistic = 12 * ss / denominator;
    out.df = kk - 1;
    boost::math::chi_squared_distribution<double> chi(out.df);
    out.p_value = out.statistic <= 0 ? 1.0 : boost::math::cdf(boost::math::complement(chi, out.statistic));
    return out;
}

WelchResult welch_t(std::span<double const> x, std::span<double const> y) {
    check_finite(x);
    check_finite(y);
    WelchResult out;
    if (x.size() < 2 || y.size() < 2) {
        out.tested = false;
        if (!x.empty()) out.mean_x = static_cast<double>(accurate_mean(x));
        if (!y.empty()) out.mean_y = static_cast<double>(accurate_mean(y));
        return out;
    }
    long double const lmx = accurate_mean(x), lmy = accurate_mean(y);
    out.mean_x = static_cast<double>(lmx);
    out.mean_y = static_cast<double>(lmy);
    double const nx = static_cast<double>(x.size()), ny = static_cast<double>(y.size());
    double const sx2 = sample_variance(x, lmx) / nx, sy2 = sample_variance(y, lmy) / ny;
    double const se = std::sqrt(sx2 + sy2);
    out.se = se;
    if (se < 10 * DBL_EPSILON * std::max(std::abs(out.mean_x), std::abs(out.mean_y)) || !(se > 0)) {
        out.tested = false;
        return out;
    }
    out.df = (se * se * se * se) / (sx2 * sx2 / (nx - 1) + sy2 * sy2 / (ny - 1));
    out.statistic = (out.mean_x - out.mean_y) / se;
    out.p_value = t_two_sided(out.statistic, out.df);
    return out;
}

double t_two_sided(double t, double df) {
    if (std::isinf(t)) return 0;
    boost::math::students_t_distribution<double> dist(df);
    return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, std::abs(t))));
}

CorrelationResult pearson(std::span<double const> x, std::span<double const> y) {
    return partial_correlation(x, y, {}, 0, CorrelationMethod::pearson);
}

CorrelationResult spearman(std::span<double const> x, std::span<double const> y) {
    return partial_correlation(x, y, {}, 0, CorrelationMethod::spearman);
}

CorrelationResult partial_correlation(std::span<double const> x, std::span<double const> y,
                                      std::span<double const> covariates, std::size_t k, CorrelationMethod method) {
    check_finite(x);
    check_finite(y);
    check_finite(covariates);
    std::size_t const n = x.size();
    ORBIOME_ASSERT(y.size() == n && covariates.size() == n * k);
    CorrelationResult out;
    out.n = n;
    if (n < k + 3) {
        out.tested = false;
        return out;
    }
    out.df = static_cast<double>(n - 2 - k);
    std::vector<double> a(x.begin(), x.end()), b(y.begin(), y.end());
    std::vector<double> cov(covariates.begin(), covariates.end());
    if (method == CorrelationMethod::spearman) {
        a = average_ranks(a).rank;
        b = average_ranks(b).rank;
        for (std::size_t j = 0; j < k; ++j) {
            auto col = std::span<double const>(cov).subspan(j * n, n);
            auto rk = average_ranks(col).rank;
            std::copy(rk.begin(), rk.end(), cov.begin() + static_cast<std::ptrdiff_t>(j * n));
        }
    }
    if (k > 0) {
        Eigen::MatrixXd design(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k + 1));
        for (std::size_t i = 0; i < n; ++i) {
            design(static_cast<Eigen::Index>(i), 0) = 1.0;
            for (std::size_t j = 0; j < k; ++j)
                design(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j + 1)) = cov[j * n + i];
        }
        Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design);
        if (qr.rank() < static_cast<Eigen::Index>(k + 1)) {
            out.tested = false;
            return out;
        }
        for (auto* v : {&a, &b}) {
            Eigen::Map<Eigen::VectorXd> vec(v->data(), static_cast<Eigen::Index>(n));
            Eigen::VectorXd fitted = design * qr.solve(vec);
            Eigen::VectorXd resid = vec - fitted;
            // Residuals at rounding level of the input mean the variable is explained exactly.
            if (resid.norm() <= 1e-12 * std::max(1.0, vec.norm())) {
                out.tested = false;
                return out;
            }
            vec = resid;
        }
    }
    double r = 0;
    if (!pearson_r(a, b, r)) {
        out.tested = false;
        return out;
    }
    return correlation_t_test(r, out.df, n);
}

std::vector<double> bh_adjust(std::span<double const> p) {
    std::size_t const m = p.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), std::size_t{0});
    // R: o <- order(p, decreasing = TRUE); stable, so ties keep input order.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    std::vector<double> q(m);
    double running = HUGE_VAL;
    for (std::size_t r = 0; r < m; ++r) {
        double const i = static_cast<double>(m - r);  // rank from the top: m, m-1, ..., 1
        running = std::min(running, static_cast<double>(m) / i * p[order[r]]);
        q[order[r]] = std::min(1.0, running);
    }
    return q;
}

}  // namespace orbiome::diffabund
