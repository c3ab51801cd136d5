#include "diffabund/linda.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include <Eigen/Dense>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "diffabund/lmm.hpp"
#include "diffabund/stats.hpp"

namespace orbiome::diffabund {

namespace {

// A residual standard deviation this small relative to the feature's CLR values means the
// design reproduces the feature exactly (e.g. a feature equal to the geometric mean in every
// sample); its t statistic would be round-off divided by round-off.
constexpr double kResidualTolerance = 64 * DBL_EPSILON;
// modeest::meanshift's default stopping tolerance, sqrt(.Machine$double.eps).
const double kMeanShiftTolerance = std::sqrt(DBL_EPSILON);
// R's bw.nrd0 divisor: qnorm(0.75) - qnorm(0.25), rounded as in R's source.
constexpr double kIqrToSd = 1.34;

// R's mean(): a sum, then one refinement pass (summary.c), so results match R's to the last bit
// more often than a plain sum.
double r_mean(std::span<double const> x) {
    long double s = 0;
    for (double v : x) s += v;
    long double m = s / static_cast<long double>(x.size());
    long double t = 0;
    for (double v : x) t += v - m;
    m += t / static_cast<long double>(x.size());
    return static_cast<double>(m);
}

double r_sd(std::span<double const> x) {
    double const m = r_mean(x);
    long double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return std::sqrt(static_cast<double>(ss / static_cast<long double>(x.size() - 1)));
}

bool all_integral(std::span<double const> v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return x == std::floor(x); });
}


// Column sums of the features x samples matrix `y` (n samples).
std::vector<double> sample_depths(std::vector<double> const& y, std::size_t n) {
    std::vector<double> depth(n, 0.0);
    for (std::size_t k = 0; k < y.size(); ++k) depth[k % n] += y[k];
    return depth;
}

// Step 2's choice for count data; for `adaptive`, the smallest two-sided p of the non-intercept
// coefficients of the OLS fit log N ~ design (column-major n x p `x`, intercept first), as
// MicrobiomeStat::linda's `lm(logN ~ ...)`, is stored in f.depth_p.
bool impute_zeros(std::vector<double> const& y, std::size_t n, std::span<double const> x, std::size_t p,
                  LindaZeroHandling z, LindaFit& f) {
    if (z != LindaZeroHandling::adaptive) return z == LindaZeroHandling::imputation;
    auto const depth = sample_depths(y, n);
    auto const ni = static_cast<Eigen::Index>(n), pi = static_cast<Eigen::Index>(p);
    Eigen::Map<Eigen::MatrixXd const> xm(x.data(), ni, pi);
    Eigen::VectorXd log_n(ni);
    for (Eigen::Index j = 0; j < ni; ++j) log_n(j) = std::log(depth[static_cast<std::size_t>(j)]);
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xm);
    Eigen::VectorXd const beta = qr.solve(log_n);
    double const df = static_cast<double>(n - p);
    double const sigma2 = (log_n - xm * beta).squaredNorm() / df;
    Eigen::MatrixXd const xtx_inv = (xm.transpose() * xm).inverse();
    for (Eigen::Index c = 1; c < pi; ++c) {
        double const se = std::sqrt(sigma2 * xtx_inv(c, c));
        double const pv = se > 0 ? t_two_sided(beta(c) / se, df) : 1.0;
        f.depth_p = std::min(f.depth_p, pv);
    }
    return f.depth_p <= kLindaAdaptiveCut;
}

}  // namespace

double quantile_type7(std::span<double const> x, double prob) {
    std::vector<double> y(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    double const index = 1 + static_cast<double>(y.size() - 1) * prob;  // 1-based, as R
    double const lo = std::floor(index);
    double const hi = std::ceil(index);
    double q = y[static_cast<std::size_t>(lo) - 1];
    double const xh = y[static_cast<std::size_t>(hi) - 1];
    if (index > lo && xh != q) {
        double const h = index - lo;
        q = (1 - h) * q + h * xh;
    }
    return q;
}

double bw_nrd0(std::span<double const> x) {
    if (x.size() < 2) throw UsageError("LinDA's mode estimate needs at least 2 features");
    double const hi = r_sd(x);
    double lo = std::min(hi, (quantile_type7(x, 0.75) - quantile_type7(x, 0.25)) / kIqrToSd);
    if (!(lo != 0)) {
        lo = hi;
        if (!(lo != 0)) lo = std::abs(x[0]);
        if (!(lo != 0)) lo = 1.0;
    }
    return 0.9 * lo * std::pow(static_cast<double>(x.size()), -0.2);
}

double shorth(std::span<double const> x) {
    std::vector<double> y(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    std::size_t const n = y.size();
    std::size_t const k = (n + 1) / 2 - 1;  // ceiling(n / 2) - 1
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + k < n; ++i) best = std::min(best, y[i + k] - y[i]);
    double sum_idx = 0;
    std::size_t n_idx = 0;
    for (std::size_t i = 0; i + k < n; ++i)
        if (y[i + k] - y[i] == best) sum_idx += static_cast<double>(i + 1), ++n_idx;
    // R indexes y[i:(i + k)] with a possibly fractional mean index: truncation.
    auto const start = static_cast<std::size_t>(std::floor(sum_idx / static_cast<double>(n_idx))) - 1;
    return r_mean(std::span<double const>(y.data() + start, k + 1));
}

double meanshift_mode(std::span<double const> x, std::vector<double>* weights) {
    double const bw = bw_nrd0(x);
    double par = shorth(x);
    for (std::size_t it = 0; it < kMeanShiftMaxIter; ++it) {
        double num = 0, den = 0;
        for (double v : x) {
            double const z = (v - par) / bw;
            double const k = std::exp(-0.5 * z * z);
            num += v * k;
            den += k;
        }
        if (!(den > 0)) break;  // R stops with an error; every kernel weight underflowed
        double const m = num / den;
        if (std::abs(m / par - 1) < kMeanShiftTolerance) break;
        par = m;
    }
    if (weights) {
        weights->resize(x.size());
        double den = 0;
        for (std::size_t k = 0; k < x.size(); ++k) {
            double const z = (x[k] - par) / bw;
            den += (*weights)[k] = std::exp(-0.5 * z * z);
        }
        for (double& w : *weights) w = den > 0 ? w / den : 1.0 / static_cast<double>(x.size());
    }
    return par;
}

LindaClr linda_clr(std::span<double const> values, std::size_t m, std::size_t n, std::span<double const> x,
                   std::size_t p, LindaSettings const& s) {
    ORBIOME_ASSERT(values.size() == m * n && x.size() == n * p);
    if (m < 2) throw UsageError("LinDA needs at least 2 features (its bias estimate is a mode across features)");
    if (n <= p)
        throw UsageError("LinDA: " + std::to_string(n) + " samples leave no residual degrees of freedom for " +
                             std::to_string(p) + " model coefficients",
                         "use fewer covariates");
    LindaClr out;
    LindaFit& f = out.info;
    f.count_data = all_integral(values);
    std::vector<double> y(values.begin(), values.end());
    auto at = [&](std::size_t i, std::size_t j) -> double& { return y[i * n + j]; };
    std::vector<double> total(n, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) total[j] += at(i, j);
    for (std::size_t j = 0; j < n; ++j)
        if (!(total[j] > 0)) throw UsageError("LinDA: sample " + std::to_string(j + 1) + " has no counts in the tested features");

    if (s.winsor_quantile < 1) {
        std::vector<double> row(n);
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t j = 0; j < n; ++j) row[j] = f.count_data ? at(i, j) / total[j] : at(i, j);
            double const cut = quantile_type7(row, s.winsor_quantile);
            for (std::size_t j = 0; j < n; ++j)
                if (row[j] > cut) at(i, j) = f.count_data ? std::nearbyint(cut * total[j]) : cut;
        }
    }

    bool const any_zero = std::any_of(y.begin(), y.end(), [](double v) { return v == 0; });
    if (any_zero) {
        f.zeros_replaced = true;
        if (!f.count_data) {
            double smallest = std::numeric_limits<double>::infinity();
            for (double v : y)
                if (v > 0) smallest = std::min(smallest, v);
            for (std::size_t i = 0; i < m; ++i) {
                double row_min = std::numeric_limits<double>::infinity();
                for (std::size_t j = 0; j < n; ++j)
                    if (at(i, j) > 0) row_min = std::min(row_min, at(i, j));
                // a feature emptied by winsorisation has no minimum of its own (R would give -Inf logs)
                double const fill = 0.5 * (std::isfinite(row_min) ? row_min : smallest);
                for (std::size_t j = 0; j < n; ++j)
                    if (at(i, j) == 0) at(i, j) = fill;
            }
        } else if (impute_zeros(y, n, x, p, s.zero_handling, f)) {
            f.imputed = true;
            auto const depth = sample_depths(y, n);  // after winsorisation, as the package
            for (std::size_t i = 0; i < m; ++i) {
                double deepest_zero = 0;
                for (std::size_t j = 0; j < n; ++j)
                    if (at(i, j) == 0) deepest_zero = std::max(deepest_zero, depth[j]);
                for (std::size_t j = 0; j < n; ++j)
                    if (at(i, j) == 0) at(i, j) = depth[j] / deepest_zero;
            }
        } else {
            for (double& v : y) v += s.pseudocount;
        }
    }

    // CLR (log2), samples x features so that one solve fits every feature.
    out.w.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
    for (std::size_t j = 0; j < n; ++j) {
        long double mean = 0;
        for (std::size_t i = 0; i < m; ++i) mean += std::log2(at(i, j));
        double const centre = static_cast<double>(mean / static_cast<long double>(m));
        for (std::size_t i = 0; i < m; ++i)
            out.w(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = std::log2(at(i, j)) - centre;
    }
    return out;
}

namespace {

// Step 5 and 6 for one coefficient: the bias (mode of sqrt(n) alpha~ / sqrt(n)), the corrected
// effect, t and p. `resid` (n x m OLS residuals) is given for the propagated se, else null.
void correct_bias(LindaFit& f, std::size_t n, Eigen::MatrixXd const* resid, double v_cc, Eigen::MatrixXd const& w,
                  LindaBiasSe bias_se) {
    std::size_t const m = f.raw_coefficient.size();
    std::vector<double> scaled(m);
    double const root_n = std::sqrt(static_cast<double>(n));
    for (std::size_t i = 0; i < m; ++i) scaled[i] = root_n * f.raw_coefficient[i];
    std::vector<double> mode_weights;
    f.bias = meanshift_mode(scaled, &mode_weights) / root_n;
    if (resid && bias_se == LindaBiasSe::propagated) {
        // se of alpha~_i - b as the OLS coefficient of W_i - z (linda.hpp step 6): the residuals
        // of that regression are r_i - r_z, with r_z the residuals of the weighted mean profile.
        Eigen::Map<Eigen::VectorXd const> const w_mode(mode_weights.data(), static_cast<Eigen::Index>(m));
        Eigen::VectorXd const resid_z = *resid * w_mode;
        for (std::size_t i = 0; i < m; ++i) {
            if (!f.tested[i]) continue;
            auto const ii = static_cast<Eigen::Index>(i);
            double const sigma = std::sqrt((resid->col(ii) - resid_z).squaredNorm() / f.df);
            f.se[i] = sigma * std::sqrt(v_cc);
            if (!(sigma > kResidualTolerance * w.col(ii).cwiseAbs().maxCoeff())) {
                f.tested[i] = false;
                f.se[i] = 0;
            }
        }
    }
    for (std::size_t i = 0; i < m; ++i) {
        f.coefficient[i] = f.raw_coefficient[i] - f.bias;
        if (!f.tested[i]) continue;
        f.statistic[i] = f.coefficient[i] / f.se[i];
        f.p_value[i] = t_two_sided(f.statistic[i], f.dfs[i]);
    }
}

LindaFit empty_fit(LindaFit const& info, std::size_t m) {
    LindaFit f = info;
    f.raw_coefficient.assign(m, 0.0);
    f.coefficient.assign(m, 0.0);
    f.se.assign(m, 0.0);
    f.statistic.assign(m, 0.0);
    f.p_value.assign(m, 1.0);
    f.tested.assign(m, true);
    return f;
}

}  // namespace

std::vector<LindaFit> linda_fit_columns(std::span<double const> values, std::size_t m, std::size_t n,
                                        std::span<double const> x, std::size_t p, std::vector<std::size_t> const& columns,
                                        LindaSettings const& s) {
    auto const clr = linda_clr(values, m, n, x, p, s);
    auto const& w = clr.w;
    Eigen::Map<Eigen::MatrixXd const> xm(x.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xm);
    if (qr.rank() < static_cast<Eigen::Index>(p))
        throw UsageError("LinDA: the design is rank-deficient (a covariate is constant among the compared samples or "
                         "duplicates the group or another covariate)");
    Eigen::MatrixXd const beta = qr.solve(w);
    Eigen::MatrixXd const resid = w - xm * beta;
    auto const pi = static_cast<Eigen::Index>(p);
    Eigen::MatrixXd const r = qr.matrixR().topLeftCorner(pi, pi).triangularView<Eigen::Upper>();
    Eigen::MatrixXd const rinv = r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(pi, pi));
    Eigen::MatrixXd const xtx_inv_perm = rinv * rinv.transpose();
    Eigen::MatrixXd const xtx_inv = qr.colsPermutation() * xtx_inv_perm * qr.colsPermutation().transpose();
    std::vector<double> sigma(m);
    for (std::size_t i = 0; i < m; ++i)
        sigma[i] = std::sqrt(resid.col(static_cast<Eigen::Index>(i)).squaredNorm() / static_cast<double>(n - p));
    std::vector<LindaFit> fits;
    for (std::size_t column : columns) {
        ORBIOME_ASSERT(column < p);
        LindaFit f = empty_fit(clr.info, m);
        f.df = static_cast<double>(n - p);
        f.dfs.assign(m, f.df);
        auto const c = static_cast<Eigen::Index>(column);
        double const v_cc = xtx_inv(c, c);
        for (std::size_t i = 0; i < m; ++i) {
            auto const ii = static_cast<Eigen::Index>(i);
            f.raw_coefficient[i] = beta(c, ii);
            f.se[i] = sigma[i] * std::sqrt(v_cc);
            if (!(sigma[i] > kResidualTolerance * w.col(ii).cwiseAbs().maxCoeff())) {
                f.tested[i] = false;
                f.se[i] = 0;
            }
        }
        correct_bias(f, n, &resid, v_cc, w, s.bias_se);
        fits.push_back(std::move(f));
    }
    return fits;
}

std::vector<LindaFit> linda_fit_mixed(std::span<double const> values, std::size_t m, std::size_t n,
                                      std::span<double const> x, std::size_t p, std::vector<std::size_t> const& subject,
                                      std::size_t n_subjects, std::vector<std::size_t> const& columns,
                                      LindaSettings const& s, int n_threads) {
    auto const clr = linda_clr(values, m, n, x, p, s);
    Eigen::Map<Eigen::MatrixXd const> xm(x.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
    RandomInterceptModel const model(xm, subject, n_subjects);
    std::vector<LmmFit> lmm(m);
    parallel_for(m, n_threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) lmm[i] = model.fit(clr.w.col(static_cast<Eigen::Index>(i)));
    });
    std::vector<LindaFit> fits;
    for (std::size_t column : columns) {
        ORBIOME_ASSERT(column < p);
        LindaFit f = empty_fit(clr.info, m);
        f.dfs.resize(m);
        auto const c = static_cast<Eigen::Index>(column);
        for (std::size_t i = 0; i < m; ++i) {
            f.raw_coefficient[i] = lmm[i].beta(c);
            f.se[i] = lmm[i].se(c);
            f.dfs[i] = lmm[i].df(c);
            f.singular += lmm[i].theta == 0;
            double const scale = clr.w.col(static_cast<Eigen::Index>(i)).cwiseAbs().maxCoeff();
            if (!(lmm[i].sigma > kResidualTolerance * scale) || !std::isfinite(f.dfs[i])) {
                f.tested[i] = false;
                f.se[i] = 0;
            }
        }
        correct_bias(f, n, nullptr, 0, clr.w, LindaBiasSe::paper);
        fits.push_back(std::move(f));
    }
    return fits;
}

LindaFit linda_fit(std::span<double const> values, std::size_t m, std::size_t n, std::span<double const> x,
                   std::size_t p, std::size_t column, LindaSettings const& s) {
    ORBIOME_ASSERT(column < p);
    return linda_fit_columns(values, m, n, x, p, {column}, s).front();
}

}  // namespace orbiome::diffabund
