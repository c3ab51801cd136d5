#pragma once
/// \file linda.hpp
/// LinDA: linear models for differential abundance analysis of microbiome compositional data
/// (Zhou, He, Chen & Zhang, Genome Biology 23:95, 2022, doi:10.1186/s13059-022-02655-5), the
/// fixed-effect version, following the paper's Methods and the defaults of the authors' R
/// implementation `MicrobiomeStat::linda` (function `linda`, CRAN source read for the defaults).
///
/// Notation: Y (m features x n samples) counts, X (n x p) the design: intercept, the group
/// dummy (1 for the test level, 0 for the reference level), then the covariate columns.
/// Steps, in order (paper section in brackets):
///  1. Winsorisation (package default `is.winsor = TRUE, outlier.pct = 0.03`; CLI
///     `--winsor-quantile`, 1 = off as `LinDA::linda`'s `winsor.quan = NULL`): per feature i,
///     P_ij = Y_ij / N_j with N_j = sum_i Y_ij; c_i = the 0.97 quantile of P_i. (R `quantile`
///     type 7); P_ij > c_i is set to c_i; Y_ij = round(P_ij N_j) (R `round`, half to even).
///     For non-integer input (proportions) the values are capped at c_i directly, no rounding.
///  2. Zeros ["Zero handling"] (CLI `--zero-handling`): if any Y_ij = 0, either Y_ij <- Y_ij + 0.5 for ALL entries
///     (`pseudocount`, the default) or imputation: a zero becomes N_j / max{N_k : Y_ik = 0}
///     with N the depths after winsorisation (`imputation`). `adaptive` is the paper's rule:
///     regress log N_j on the design by OLS; if any non-intercept coefficient has p <=
///     kLindaAdaptiveCut (0.1), impute, else add the pseudo-count (sequencing depth associated
///     with the design biases the pseudo-count approach). Note: the package's `adaptive = TRUE`
///     default assigns "Imputation" and then compares with "imputation", so the released code
///     always adds the pseudo-count; orbiome's default does what the released code does. For
///     proportions, each zero is replaced by half the smallest non-zero value of its feature
///     (package behaviour).
///  3. CLR, log base 2 ["Linear models on CLR-transformed data"]:
///        W_ij = log2 Y_ij - (1/m) sum_k log2 Y_kj.
///  4. OLS per feature: W_i = X alpha~_i + e_i, alpha~_i = (X'X)^-1 X' W_i,
///     s_i^2 = |W_i - X alpha~_i|^2 / (n - p), se(alpha~_ig) = s_i sqrt([(X'X)^-1]_gg).
///     The paper shows alpha~_i = alpha_i + b, with alpha_i the log2 fold change of ABSOLUTE
///     abundance and b a bias common to all features (compositional effect of the CLR).
///  5. Bias correction ["Bias correction"]: under sparse differential abundance b is the mode
///     of {alpha~_ig}. As in the package: b = mlv(sqrt(n) alpha~_g, method = "meanshift",
///     kernel = "gaussian") / sqrt(n) (R package `modeest`): Gaussian-kernel mean shift
///     (Fukunaga & Hostetler 1975) on x = sqrt(n) alpha~_g, bandwidth bw.nrd0(x) (Silverman's
///     rule, R `density()` default), started at shorth(x) (mean of the shortest half,
///     `modeest::venter(type = "shorth")`), iterated x_{t+1} = sum K((x - x_t)/h) x / sum K(.)
///     until |x_{t+1}/x_t - 1| < sqrt(DBL_EPSILON) (returning x_t) or 1000 iterations.
///     The mode is a local maximum of the Gaussian kernel density estimate.
///  6. alpha_ig = alpha~_ig - b (reported `effect`, a log2 fold change test vs reference);
///     t = alpha_ig / se, df = n - p, p = 2 P(T_df > |t|); q = Benjamini–Hochberg over features.
///     (The paper's mixed-model df adjustment is not used: no random effects here.)
///     Standard error (`LindaBiasSe`). The paper and the package use se(alpha~_ig) of step 4,
///     treating b as known — justified as m -> infinity. With tens to a few hundred taxa b is
///     noisy (sd 0.10 log2 units on RR-5 genera under random labels) and shared by every
///     feature, so the tests are anti-conservative: 7.3 % of 1,000 random relabelings of RR-5
///     genera gave a call at q < 0.05 (bench/DIFFABUND.md). orbiome's default (`propagated`)
///     keeps the effect and corrects its se: at the mean-shift fixed point b is a weighted mean,
///     b = sum_k w_k alpha~_kg with w_k = K((x_k - x*)/h) / sum K (the kernel weights of step 5
///     at the mode x*), so with weights held fixed alpha~_ig - b is exactly the OLS coefficient
///     of the response W_i - z on X, where z = sum_k w_k W_k is the weighted mean CLR profile.
///     se is that regression's: s_i'^2 = |r_i - r_z|^2 / (n - p) with r the OLS residuals,
///     se = s_i' sqrt([(X'X)^-1]_gg). It thus includes var(b) and cov(alpha~_i, b) (a
///     delta-method argument; the weights' own randomness is second order). On the same 1,000
///     relabelings: 4.1 %; effects unchanged.
/// Several terms (linda.hpp is formula-general): steps 4-6 run for every coefficient of the model
/// matrix except the intercept, each with its own bias (as MicrobiomeStat::linda's `output`
/// list, one data frame per variable).
/// Mixed model (`(1|subject)` or --subject): step 4 is a REML random-intercept fit per feature
/// (lmm.hpp, lmerTest's numbers), se and Satterthwaite df per feature and coefficient; the bias
/// is the same mode; p = 2 P(T_df > |t|) with the feature's df, as the package. The se is the
/// package's (bias treated as known): the propagated se of step 6 rests on OLS residuals.
/// Numeric covariates are not standardised (the package scales them, which changes only their
/// own coefficients, not the group coefficient).

#include <cstddef>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "diffabund/diff.hpp"

namespace orbiome::diffabund {

/// p-value cut of the adaptive zero handling (package `corr.cut = 0.1`).
inline constexpr double kLindaAdaptiveCut = 0.1;
/// Iteration cap of `modeest::meanshift` (its tolerance, sqrt(DBL_EPSILON), is in linda.cpp).
inline constexpr std::size_t kMeanShiftMaxIter = 1000;

/// Full LinDA settings (run_linda fills them from LindaOptions).
struct LindaSettings {
    LindaZeroHandling zero_handling = LindaZeroHandling::pseudocount;
    double pseudocount = 0.5;                      ///< added to every entry when any zero exists
    double winsor_quantile = kLindaWinsorQuantile;  ///< in (0, 1]; 1 disables winsorisation
    LindaBiasSe bias_se = LindaBiasSe::propagated;  ///< step 6
};

/// Result of `linda_fit` for one design column (`column`), per feature.
struct LindaFit {
    std::vector<double> raw_coefficient;  ///< alpha~ (before bias correction)
    std::vector<double> coefficient;      ///< alpha = alpha~ - bias
    std::vector<double> se, statistic, p_value;
    std::vector<bool> tested;             ///< false when the residual variance is 0 (p = 1, t = 0)
    std::vector<double> dfs;              ///< per feature: n - p, or Satterthwaite's (mixed model)
    double bias = 0;                      ///< b of step 5
    double df = 0;                        ///< n - p (fixed effects; 0 for the mixed model)
    std::size_t singular = 0;             ///< mixed model: features whose REML variance ratio is 0
    bool count_data = true;               ///< all input values integral (else the proportion path)
    bool zeros_replaced = false;          ///< step 2 applied
    bool imputed = false;                 ///< step 2 used imputation (chosen or adaptive)
    double depth_p = 1;                   ///< adaptive: smallest p of log depth ~ design (1 otherwise)
};

/// Steps 1–6 (without BH) on a features x samples row-major `values` matrix and a column-major
/// n x p design `x` (the caller includes the intercept). Throws UsageError when n - p < 1, the
/// design is rank-deficient, fewer than 2 features are given, or a sample has total 0; ParseError
/// is never thrown (values are validated by the table reader). O(m n p + n p^2 + m log m).
LindaFit linda_fit(std::span<double const> values, std::size_t n_features, std::size_t n_samples,
                   std::span<double const> x, std::size_t p, std::size_t column, LindaSettings const& s);

/// Steps 1-3: the CLR values (samples x features) and what the preprocessing did (the flags of
/// `info`). Throws as linda_fit.
struct LindaClr {
    Eigen::MatrixXd w;
    LindaFit info;
};
LindaClr linda_clr(std::span<double const> values, std::size_t n_features, std::size_t n_samples,
                   std::span<double const> x, std::size_t p, LindaSettings const& s);

/// linda_fit for several design columns at once (one fit, one bias per column).
std::vector<LindaFit> linda_fit_columns(std::span<double const> values, std::size_t n_features, std::size_t n_samples,
                                        std::span<double const> x, std::size_t p, std::vector<std::size_t> const& columns,
                                        LindaSettings const& s);

/// The mixed-model path: steps 1-3, a random intercept per `subject` (codes 0..n_subjects-1)
/// fitted by REML per feature (lmm.hpp), then step 5 and p-values with Satterthwaite df.
/// Throws UsageError as RandomInterceptModel. Same result for any n_threads.
std::vector<LindaFit> linda_fit_mixed(std::span<double const> values, std::size_t n_features, std::size_t n_samples,
                                      std::span<double const> x, std::size_t p, std::vector<std::size_t> const& subject,
                                      std::size_t n_subjects, std::vector<std::size_t> const& columns,
                                      LindaSettings const& s, int n_threads);

/// R's `bw.nrd0`: 0.9 min(sd, IQR / 1.34) n^(-1/5), with R's fall-backs when that is 0
/// (sd, then |x_1|, then 1). Needs n >= 2 (UsageError otherwise). O(n log n).
double bw_nrd0(std::span<double const> x);

/// R's `quantile(x, prob)` type 7 (linear interpolation of order statistics), x non-empty. O(n log n).
double quantile_type7(std::span<double const> x, double prob);

/// `modeest::shorth`: mean of the k + 1 = ceiling(n/2) consecutive order statistics spanning the
/// shortest range; on ties the mean of the tied start indices, truncated. O(n log n).
double shorth(std::span<double const> x);

/// `modeest::meanshift` with a Gaussian kernel, bandwidth bw_nrd0(x), start shorth(x) (step 5).
/// `weights`, if given, receives the normalised kernel weights at the returned mode (they sum
/// to 1; step 6's propagated se). O(n) per iteration, at most kMeanShiftMaxIter iterations.
double meanshift_mode(std::span<double const> x, std::vector<double>* weights = nullptr);

/// Runs LinDA on the design's model and fills a DiffResult: one row per feature and coefficient
/// (the `term` column, the group's coefficients first, then the covariates' in model order;
/// effect = bias-corrected log2 fold change, or per unit for a continuous term), se, t, p, BH q
/// per term; group means and prevalences of relative abundance as the other methods when the
/// first term is categorical. A random intercept (d.model.subject) takes the mixed-model path.
/// Throws UsageError for rank-deficient designs or too few samples. Results do not depend on
/// n_threads.
DiffResult run_linda(table::FeatureTable const& t, Design const& d, LindaOptions const& o, int n_threads);

}  // namespace orbiome::diffabund
