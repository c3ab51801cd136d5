#pragma once
/// \file stats.hpp
/// Classical two-sample, k-sample and correlation tests, and Benjamini–Hochberg adjustment,
/// written to reproduce R 4.2 (`wilcox.test`, `kruskal.test`, `t.test`, `cor.test`,
/// `p.adjust(method = "BH")`) and `scipy.stats.spearmanr` to about 1e-12 relative.
///
/// Distributions come from Boost.Math (normal, students_t, chi_squared).
///
/// Degenerate input (every value tied, zero variance, too few observations for the statistic to
/// exist) never yields NaN: the result has `tested == false`, `p_value == 1`, and the statistic
/// set to its null value (documented per function). Callers report such features as not tested
/// and leave them out of the BH denominator. Infinite or NaN inputs are a caller bug (checked with
/// ORBIOME_ASSERT); parsers reject them first.
///
/// References:
///  - Hollander, Wolfe & Chicken, Nonparametric Statistical Methods, 3rd ed. (2014), §4.1
///    (rank-sum, exact null distribution and normal approximation with tie correction) and §6.1
///    (Kruskal–Wallis with tie correction).
///  - Welch, Biometrika 34:28–35 (1947) (unequal-variance t, Satterthwaite df).
///  - Benjamini & Hochberg, JRSS B 57:289–300 (1995), step-up adjusted p-values as in R's p.adjust.

#include <cstddef>
#include <span>
#include <vector>

namespace orbiome::diffabund {

/// Ranks with ties given their average rank (R `rank()`, scipy `rankdata`), 1-based.
struct Ranks {
    std::vector<double> rank;  ///< one per input value, in input order
    double tie_term = 0;       ///< sum over tie groups of (t^3 - t); 0 when there are no ties
    bool has_ties() const { return tie_term > 0; }
};
/// O(n log n).
Ranks average_ranks(std::span<double const> x);

/// Result of a hypothesis test.
struct TestResult {
    double statistic = 0;  ///< W, H, t (see each function)
    double p_value = 1;    ///< two-sided; 1 when !tested
    double df = 0;         ///< degrees of freedom where the test has them, else 0
    bool exact = false;    ///< Wilcoxon: p from the exact null distribution
    bool tested = true;    ///< false for degenerate input (see file comment)
};

/// Null distribution of the Mann–Whitney U (= R's W) for sample sizes m and n, no ties:
/// counts of the (m+n choose m) rank arrangements by U, built by the additive recurrence
/// c(u; m, n) = c(u - n; m - 1, n) + c(u; m, n - 1) (so no cancellation). O(m^2 n^2) time,
/// O(m^2 n) memory; construct once per (m, n) and reuse across features.
class RankSumDistribution {
public:
    RankSumDistribution(std::size_t m, std::size_t n);
    std::size_t m() const { return m_; }
    std::size_t n() const { return n_; }
    /// P(U <= u).
    double lower(double u) const;
    /// P(U >= u).
    double upper(double u) const;

private:
    std::size_t m_, n_;
    std::vector<double> count_;  ///< count_[u], u = 0..m*n
    double total_ = 0;
};

/// Sample-size limit under which R's wilcox.test uses the exact distribution (both n < 50).
inline constexpr std::size_t kWilcoxonExactLimit = 50;

/// Two-sided Wilcoxon rank-sum test as R's `wilcox.test(x, y)` with default arguments:
/// statistic W = (sum of ranks of x) - n_x (n_x + 1) / 2. Exact p when n_x < 50, n_y < 50 and
/// no ties; otherwise the normal approximation with tie-corrected variance and continuity
/// correction 0.5. `exact` may supply a cached distribution for (n_x, n_y). Not tested (W =
/// n_x n_y / 2, p = 1) when either sample is empty or all values are tied.
TestResult wilcoxon_rank_sum(std::span<double const> x, std::span<double const> y,
                             RankSumDistribution const* exact = nullptr);

/// Two-sided rank-sum test by the normal approximation only, with tie-corrected variance and an
/// optional continuity correction; without it this equals `coin::wilcox_test` (asymptotic), the
/// test LEfSe uses between subclasses. Not tested (p = 1) when all values are tied.
TestResult wilcoxon_rank_sum_normal(std::span<double const> x, std::span<double const> y, bool continuity_correction);

/// Kruskal–Wallis rank-sum test as R's `kruskal.test(x, g)`: H with tie correction,
/// p = P(chi^2_{k-1} >= H), k = number of non-empty groups. `group[i]` is the group index of
/// `x[i]`. Not tested (H = 0, p = 1) when fewer than two non-empty groups or all values tied.
TestResult kruskal_wallis(std::span<double const> x, std::span<std::size_t const> group);

/// Two-sided Wilcoxon signed-rank test of paired differences `d` (x - y) as R's
/// `wilcox.test(x, y, paired = TRUE)`: zero differences are dropped; V = sum of the ranks of |d|
/// over positive d; exact p (signed-rank distribution) when n < 50 with no ties and no zeros,
/// else the normal approximation with tie-corrected variance and continuity correction 0.5.
/// Not tested (V = 0, p = 1) when no non-zero difference remains. O(n^3) for the exact case.
TestResult wilcoxon_signed_rank(std::span<double const> d);

/// Friedman rank-sum test as R's `friedman.test(y)` for a complete block design: `y` is
/// row-major, `n_blocks` x `k` (one value per block and group); ranks within each block (average
/// for ties), statistic with R's tie correction, p = P(chi^2_{k-1} >= statistic). Not tested
/// when k < 2, n_blocks < 1 or every block is all tied. O(n_blocks k log k).
TestResult friedman(std::span<double const> y, std::size_t n_blocks, std::size_t k);

/// Welch two-sample t-test as R's `t.test(x, y)` (var.equal = FALSE), two-sided.
struct WelchResult : TestResult {
    double mean_x = 0, mean_y = 0;
    double se = 0;  ///< standard error of mean_x - mean_y
};
/// Needs at least 2 values per sample. Not tested (t = 0, p = 1) when a sample has fewer than 2
/// values or the standard error is below R's "essentially constant" bound
/// (10 * DBL_EPSILON * max(|mean_x|, |mean_y|)), where R stops with an error.
WelchResult welch_t(std::span<double const> x, std::span<double const> y);

/// Correlation test result.
struct CorrelationResult {
    double coefficient = 0;  ///< r or rho; 0 when !tested
    double statistic = 0;    ///< t = r sqrt(df / (1 - r^2)); +-inf folded to p = 0
    double p_value = 1;
    double df = 0;           ///< n - 2 - number of covariates
    std::size_t n = 0;
    bool tested = true;  ///< false when df < 1 or either variable is constant (after residualising)
};

/// Pearson's product-moment correlation with the t-test of R's `cor.test(x, y)`. O(n).
CorrelationResult pearson(std::span<double const> x, std::span<double const> y);

/// Spearman's rho (Pearson on average ranks) with the t-distribution p-value of
/// `scipy.stats.spearmanr` (= R `cor.test(method = "spearman", exact = FALSE)`). O(n log n).
CorrelationResult spearman(std::span<double const> x, std::span<double const> y);

/// Correlation method for `partial_correlation`.
enum class CorrelationMethod { pearson, spearman };

/// Partial correlation of x and y given covariates: both are residualised on an intercept plus
/// the covariate columns by least squares, the residuals are correlated, and the t-test uses
/// df = n - 2 - k (k = number of covariate columns), as `ppcor::pcor.test`. For Spearman, x, y
/// and every covariate column are first replaced by their average ranks. `covariates` is
/// column-major, n x k. With k = 0 this equals `pearson`/`spearman`. Not tested when df < 1, the
/// covariate design is rank-deficient, or a residual vector is zero.
CorrelationResult partial_correlation(std::span<double const> x, std::span<double const> y,
                                      std::span<double const> covariates, std::size_t k,
                                      CorrelationMethod method);

/// Benjamini–Hochberg adjusted p-values exactly as R's `p.adjust(p, "BH")`:
/// q_(i) = min_{j >= i} min(1, m p_(j) / j) over the sorted p. O(m log m).
std::vector<double> bh_adjust(std::span<double const> p);

/// Two-sided p-value of a t statistic with `df` degrees of freedom (inf statistic -> 0).
double t_two_sided(double t, double df);

}  // namespace orbiome::diffabund
