#include "diffabund/lmm.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"

namespace orbiome::diffabund {

namespace {

// Grid of theta before the root search: 0, then log-spaced over [1e-3, 1e3].
constexpr int kGridPoints = 49;
constexpr double kGridLog10Low = -3, kGridLog10High = 3;
// lmerTest drops Hessian eigenvalues below this when inverting (its `tol`).
constexpr double kEigenTolerance = 1e-8;
constexpr int kRootIterations = 200;

}  // namespace

struct RandomInterceptModel::Eval {
    double d = 0, d1 = 0;       // criterion and d/du
    double f1 = 0, f2 = 0;      // d/du and d2/du2 of log|V| + log|M|
    double p0 = 0, p1 = 0, p2 = 0;  // P and its u-derivatives
    Eigen::VectorXd beta;
    Eigen::MatrixXd m_inv;      // (X' V^-1 X)^-1
    Eigen::MatrixXd h;          // p x q: M^-1 s_k
    double log_det_v = 0, log_det_m = 0;
};

RandomInterceptModel::RandomInterceptModel(Eigen::MatrixXd x, std::vector<std::size_t> group, std::size_t n_groups)
    : x_(std::move(x)), group_(std::move(group)), members_(n_groups) {
    auto const n = x_.rows(), p = x_.cols();
    ORBIOME_ASSERT(static_cast<std::size_t>(n) == group_.size());
    for (std::size_t j = 0; j < group_.size(); ++j) members_[group_[j]].push_back(j);
    if (n <= p)
        throw UsageError("mixed model: " + std::to_string(n) + " samples leave no residual degrees of freedom for " +
                         std::to_string(p) + " fixed coefficients");
    if (n_groups >= static_cast<std::size_t>(n))
        throw UsageError("mixed model: every subject has a single sample, so a random intercept cannot be told apart "
                         "from the residual");
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x_);
    if (qr.rank() < p)
        throw UsageError("mixed model: the fixed-effect design is rank-deficient (a term is constant or duplicates "
                         "another)");
    sums_ = Eigen::MatrixXd::Zero(p, static_cast<Eigen::Index>(n_groups));
    for (std::size_t j = 0; j < group_.size(); ++j)
        sums_.col(static_cast<Eigen::Index>(group_[j])) += x_.row(static_cast<Eigen::Index>(j)).transpose();
}

RandomInterceptModel::Eval RandomInterceptModel::evaluate(Eigen::VectorXd const& y, double u, bool second) const {
    auto const n = x_.rows(), p = x_.cols();
    auto const q = static_cast<Eigen::Index>(members_.size());
    // V^{-1/2} per group: subtract g_k times the group mean.
    Eigen::MatrixXd xs = x_;
    Eigen::VectorXd ys = y;
    Eval e;
    for (Eigen::Index k = 0; k < q; ++k) {
        auto const& mem = members_[static_cast<std::size_t>(k)];
        double const nk = static_cast<double>(mem.size());
        e.log_det_v += std::log1p(u * nk);
        double const g = 1 - 1 / std::sqrt(1 + u * nk);
        if (g == 0) continue;
        Eigen::RowVectorXd xbar = Eigen::RowVectorXd::Zero(p);
        double ybar = 0;
        for (auto j : mem) {
            xbar += x_.row(static_cast<Eigen::Index>(j));
            ybar += y(static_cast<Eigen::Index>(j));
        }
        xbar /= nk;
        ybar /= nk;
        for (auto j : mem) {
            xs.row(static_cast<Eigen::Index>(j)) -= g * xbar;
            ys(static_cast<Eigen::Index>(j)) -= g * ybar;
        }
    }
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(xs);
    Eigen::MatrixXd const r = qr.matrixQR().topLeftCorner(p, p).triangularView<Eigen::Upper>();
    e.beta = qr.solve(ys);
    e.p0 = (ys - xs * e.beta).squaredNorm();
    for (Eigen::Index i = 0; i < p; ++i) e.log_det_m += 2 * std::log(std::abs(r(i, i)));
    Eigen::MatrixXd const r_inv = r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
    e.m_inv = r_inv * r_inv.transpose();
    double const dfr = static_cast<double>(n - p);
    e.d = e.log_det_v + e.log_det_m + dfr * std::log(e.p0);

    // Derivatives in u; c_k = u / (1 + u n_k) is the weight in V^{-1} = I - sum c_k J_k.
    Eigen::VectorXd const resid = y - x_ * e.beta;
    Eigen::VectorXd rsum = Eigen::VectorXd::Zero(q), c1(q), c2(q), nk(q);
    for (std::size_t j = 0; j < group_.size(); ++j) rsum(static_cast<Eigen::Index>(group_[j])) += resid(static_cast<Eigen::Index>(j));
    for (Eigen::Index k = 0; k < q; ++k) {
        nk(k) = static_cast<double>(members_[static_cast<std::size_t>(k)].size());
        double const a = 1 + u * nk(k);
        c1(k) = 1 / (a * a);
        c2(k) = -2 * nk(k) / (a * a * a);
    }
    e.h = e.m_inv * sums_;                                   // p x q
    Eigen::VectorXd const quad = (sums_.array() * e.h.array()).colwise().sum().transpose();  // s_k' M^-1 s_k
    e.f1 = (nk.array() / (1 + u * nk.array())).sum() - (c1.array() * quad.array()).sum();
    e.p1 = -(c1.array() * rsum.array().square()).sum();
    e.d1 = e.f1 + dfr * e.p1 / e.p0;
    if (second) {
        Eigen::MatrixXd const g = sums_.transpose() * e.h;  // q x q: s_k' M^-1 s_l
        Eigen::MatrixXd const cc = c1 * c1.transpose();
        e.f2 = -(nk.array().square() / (1 + u * nk.array()).square()).sum() - (c2.array() * quad.array()).sum() -
               (cc.array() * g.array().square()).sum();
        Eigen::VectorXd const beta1 = -e.h * (c1.array() * rsum.array()).matrix();  // d beta / du
        Eigen::VectorXd const rsum1 = -sums_.transpose() * beta1;                    // d R_k / du
        e.p2 = -(c2.array() * rsum.array().square()).sum() - 2 * (c1.array() * rsum.array() * rsum1.array()).sum();
    }
    return e;
}

double RandomInterceptModel::criterion(Eigen::VectorXd const& y, double u, double* derivative) const {
    auto const e = evaluate(y, u, false);
    if (derivative) *derivative = e.d1;
    return e.d;
}

LmmFit RandomInterceptModel::fit(Eigen::VectorXd const& y) const {
    auto const n = x_.rows(), p = x_.cols();
    double const dfr = static_cast<double>(n - p);
    // Grid in theta.
    std::vector<double> theta(kGridPoints + 1, 0.0), dev(kGridPoints + 1);
    for (int i = 1; i <= kGridPoints; ++i)
        theta[static_cast<std::size_t>(i)] =
            std::pow(10.0, kGridLog10Low + (kGridLog10High - kGridLog10Low) * (i - 1) / (kGridPoints - 1));
    std::size_t best = 0;
    for (std::size_t i = 0; i < theta.size(); ++i) {
        dev[i] = evaluate(y, theta[i] * theta[i], false).d;
        if (dev[i] < dev[best]) best = i;
    }
    double u = 0;
    double d1_zero = 0;
    criterion(y, 0, &d1_zero);
    if (!(best == 0 && d1_zero >= 0)) {
        // Bracket a sign change of d' (negative below the minimum, positive above).
        double lo = best == 0 ? 0 : theta[best - 1] * theta[best - 1];
        double hi = best + 1 < theta.size() ? theta[best + 1] * theta[best + 1] : theta.back() * theta.back();
        double dlo = 0, dhi = 0;
        criterion(y, lo, &dlo);
        criterion(y, hi, &dhi);
        for (int grow = 0; dhi < 0 && grow < 60; ++grow) {  // the minimum lies beyond the grid
            lo = hi;
            dlo = dhi;
            hi *= 4;
            criterion(y, hi, &dhi);
        }
        if (dlo >= 0) {
            u = lo;  // the grid point itself (only at u = 0 with d'(0) = 0)
        } else {
            // Safeguarded secant (regula falsi with Illinois step) inside [lo, hi].
            double a = lo, b = hi, fa = dlo, fb = dhi;
            int side = 0;
            for (int it = 0; it < kRootIterations; ++it) {
                double c = (a * fb - b * fa) / (fb - fa);
                if (!(c > a && c < b)) c = 0.5 * (a + b);
                double fc = 0;
                criterion(y, c, &fc);
                if (fc == 0) {
                    a = b = c;
                    break;
                }
                if (fc < 0) {
                    a = c;
                    fa = fc;
                    if (side == -1) fb /= 2;
                    side = -1;
                } else {
                    b = c;
                    fb = fc;
                    if (side == 1) fa /= 2;
                    side = 1;
                }
                if (b - a <= 4 * std::numeric_limits<double>::epsilon() * b) break;
            }
            u = 0.5 * (a + b);
        }
    }
    auto const e = evaluate(y, u, true);
    LmmFit f;
    f.theta = std::sqrt(u);
    double const sigma2 = e.p0 / dfr;
    f.sigma = std::sqrt(sigma2);
    f.beta = e.beta;
    f.reml = e.d - dfr * std::log(dfr) + dfr * (1 + std::log(2 * std::numbers::pi));
    // Hessian of dev(theta, sigma) (lmm.hpp), chain rule from u = theta^2.
    double const th = f.theta, s = f.sigma;
    double const g1 = e.f1 + e.p1 / sigma2, g2 = e.f2 + e.p2 / sigma2;
    Eigen::Matrix2d hess;
    hess(0, 0) = 2 * g1 + 4 * u * g2;
    hess(0, 1) = hess(1, 0) = -4 * th * e.p1 / (sigma2 * s);
    hess(1, 1) = 6 * e.p0 / (sigma2 * sigma2) - 2 * dfr / sigma2;
    Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(hess);
    Eigen::Matrix2d a = Eigen::Matrix2d::Zero();
    for (int k = 0; k < 2; ++k)
        if (eig.eigenvalues()(k) > kEigenTolerance)
            a += 2 / eig.eigenvalues()(k) * eig.eigenvectors().col(k) * eig.eigenvectors().col(k).transpose();
    // dC/dtheta = 2 theta sigma^2 sum_k c_k' h_k h_k'; dC/dsigma = 2 sigma M^-1.
    auto const q = e.h.cols();
    Eigen::VectorXd c1(q);
    for (Eigen::Index k = 0; k < q; ++k) {
        double const aa = 1 + u * static_cast<double>(members_[static_cast<std::size_t>(k)].size());
        c1(k) = 1 / (aa * aa);
    }
    f.se.resize(p);
    f.df.resize(p);
    for (Eigen::Index j = 0; j < p; ++j) {
        double const var = sigma2 * e.m_inv(j, j);
        f.se(j) = std::sqrt(var);
        Eigen::Vector2d grad;
        grad(0) = 2 * th * sigma2 * (c1.array() * e.h.row(j).transpose().array().square()).sum();
        grad(1) = 2 * s * e.m_inv(j, j);
        double const denom = grad.dot(a * grad);
        f.df(j) = denom > 0 ? 2 * var * var / denom : std::numeric_limits<double>::infinity();
    }
    return f;
}

}  // namespace orbiome::diffabund
