#pragma once
/// \file lmm.hpp
/// Linear mixed model with one random intercept, fitted by REML, with Satterthwaite degrees of
/// freedom for each fixed coefficient: what `lmerTest::lmer(y ~ X + (1|g))` reports in
/// `coef(summary(fit))` (lme4 1.1 / lmerTest 3.1), which MicrobiomeStat::linda calls per feature.
///
/// Model: y = X beta + Z b + e, b ~ N(0, sigma^2 theta^2 I_q), e ~ N(0, sigma^2 I_n), Z the 0/1
/// group indicator, theta = sigma_b / sigma (lme4's parameter). With u = theta^2 and
/// V_u = I + u Z Z' (block-diagonal: (I + u J_k) per group of n_k samples), REML profiles out
/// beta (GLS) and sigma^2 = P(u) / (n - p), P(u) = r' V_u^{-1} r the penalised residual sum of
/// squares, leaving the 1-D criterion
///     d(u) = sum_k log(1 + u n_k) + log|X' V_u^{-1} X| + (n - p) log P(u)   (+ constants).
/// GLS is computed as OLS on y - g_k ybar_k, X - g_k xbar_k with g_k = 1 - 1/sqrt(1 + u n_k)
/// (V_u^{-1/2} applied per group), so nothing is formed by subtraction of large sums.
/// The minimiser over u >= 0: a grid over theta in [1e-3, 1e3] (plus 0), then the root of the
/// analytic derivative d'(u) in the best grid cell (bisection safeguarded secant, to machine
/// precision); u = 0 when d is smallest there and d'(0) >= 0 (lme4's boundary, a "singular fit").
/// lme4 optimises the same criterion from theta = 1 with a local optimiser; both land on the
/// same minimum unless the criterion has two, which the grid resolves to the global one.
///
/// Satterthwaite (as lmerTest's `contest1D`): with varpar = (theta, sigma) at the optimum,
/// C(varpar) = sigma^2 (X' V^{-1} X)^{-1}, H the Hessian of the REML deviance
/// dev(theta, sigma) = log|V| + log|X'V^{-1}X| + P/sigma^2 + (n - p) log(2 pi sigma^2), and
/// A = 2 H^+ (inverse over H's eigenvalues > 1e-8, as lmerTest), the df of coefficient j is
/// 2 C_jj^2 / (g' A g), g = dC_jj / dvarpar. lmerTest differentiates numerically (numDeriv);
/// here every derivative is analytic (lmm.cpp), which agrees to ~1e-9.

#include <cstddef>
#include <vector>

#include <Eigen/Dense>

namespace orbiome::diffabund {

/// One fit.
struct LmmFit {
    Eigen::VectorXd beta, se, df;  ///< per column of X
    double theta = 0;              ///< sigma_b / sigma at the REML optimum (0: singular fit)
    double sigma = 0;              ///< residual sd (REML)
    double reml = 0;               ///< REML criterion (-2 log restricted likelihood), as lme4's REMLcrit
};

/// The design (X with its intercept, groups) is fixed; fit() takes one response. Throws
/// UsageError when X is rank-deficient, n <= p, or every group has one sample (the random
/// intercept is then the residual).
class RandomInterceptModel {
public:
    RandomInterceptModel(Eigen::MatrixXd x, std::vector<std::size_t> group, std::size_t n_groups);
    /// O(grid x n p^2 + q^2 p) per response.
    LmmFit fit(Eigen::VectorXd const& y) const;

    /// The profiled criterion d(u) and its analytic derivative d'(u) (exposed for tests).
    double criterion(Eigen::VectorXd const& y, double u, double* derivative = nullptr) const;

private:
    struct Eval;
    Eval evaluate(Eigen::VectorXd const& y, double u, bool second) const;

    Eigen::MatrixXd x_;
    std::vector<std::size_t> group_;
    std::vector<std::vector<std::size_t>> members_;
    Eigen::MatrixXd sums_;  ///< p x q: column sums of X per group
};

}  // namespace orbiome::diffabund
