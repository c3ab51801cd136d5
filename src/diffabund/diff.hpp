#pragma once
/// \file diff.hpp
/// Differential abundance between sample groups (`orbiome diff`).
///
/// Methods (SPEC `diff`; all rank and t tests run on relative abundances of the kept features):
///  - `wilcoxon`: two groups, R's `wilcox.test` (stats.hpp); statistic W of the test group.
///  - `kruskal`: two or more groups, R's `kruskal.test`; statistic H.
///  - `welch`: two groups, R's `t.test` (Welch) on relative abundances; statistic t.
///  - `ratio`: the log2 ratio of two taxa per sample (e.g. Firmicutes/Bacteroidetes), compared by
///    Welch t and by Wilcoxon: two output rows, column `test` = welch | wilcoxon.
///  - `lefse`: LEfSe 1.1.2 (lefse.hpp); `effect` = LDA score, extra column `class`.
///  - `linda`: LinDA (linda.hpp), the default; any formula (linear_model.hpp); one row per
///    feature and coefficient (column `term`); `effect` = bias-corrected log2 fold change.
///  - `lm`: ordinary least squares per feature on a stated transform (`--transform relabund |
///    log | clr`, linear_model.hpp), or a random-intercept mixed model with a subject; rows as
///    linda; `effect` = the coefficient, no compositional bias correction.
/// q-values: Benjamini–Hochberg over the features tested in the call. A feature whose values
/// are all equal among the compared samples is not tested: p_value = q_value = 1, statistic and
/// se 0, and it is left out of the BH denominator (the header counts them). Never NaN.
///
/// Effect (wilcoxon, kruskal, welch): log2((mean_test + c) / (mean_ref + c)) of the group mean
/// relative abundances, with pseudocount c = half the smallest non-zero relative abundance among
/// the kept features and samples unless given; for more than two groups (kruskal), the highest
/// over the lowest group mean. `se` is its delta-method standard error,
/// (1/ln 2) sqrt(var_a / (n_a (mean_a + c)^2) + var_b / (n_b (mean_b + c)^2)).

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diffabund/design.hpp"
#include "table/feature_table.hpp"

namespace orbiome::diffabund {

enum class DiffMethod { linda, wilcoxon, kruskal, welch, ratio, lefse, lm };

/// The response of `--method lm` (linear_model.hpp).
enum class Transform { relabund, log, clr };
/// "relabund", "log", "clr"; parse throws UsageError listing them.
std::string_view transform_name(Transform t);
Transform parse_transform(std::string_view name);

/// "linda", "wilcoxon", ... ; parse throws UsageError listing the methods.
std::string_view method_name(DiffMethod m);
DiffMethod parse_method(std::string_view name);

/// LEfSe parameters (defaults of lefse_run.py 1.1.2).
struct LefseOptions {
    double kw_alpha = 0.05;        ///< -a: Kruskal–Wallis p threshold
    double wilcoxon_alpha = 0.05;  ///< -w: pairwise Wilcoxon threshold between subclasses
    double lda_cutoff = 2.0;       ///< -l: |log10 LDA| threshold for a discriminative feature
    std::size_t n_boots = 30;      ///< -b: bootstrap rounds of the LDA
    double fract_sample = 0.67;    ///< -f: fraction of samples drawn per round
    /// Python `random.seed` value of the jitter and bootstrap draws (PyRandom); lefse_run.py's
    /// own is 1982, which reproduces its LDA scores exactly (lefse.hpp).
    std::uint64_t seed = 1982;
};

/// Winsorisation quantile of MicrobiomeStat::linda's default (`outlier.pct = 0.03`).
inline constexpr double kLindaWinsorQuantile = 0.97;

/// How LinDA replaces zeros before the log (linda.hpp step 2).
enum class LindaZeroHandling { pseudocount, imputation, adaptive };
/// "pseudocount", "imputation", "adaptive"; parse throws UsageError listing them.
std::string_view zero_handling_name(LindaZeroHandling z);
LindaZeroHandling parse_zero_handling(std::string_view name);

/// Standard error of LinDA's bias-corrected effect (linda.hpp step 6): `paper` treats the bias
/// as known, as the paper and MicrobiomeStat::linda do; `propagated` (orbiome's default) also
/// carries the bias estimate's sampling variance and its covariance with the feature.
enum class LindaBiasSe { paper, propagated };
/// "paper", "propagated"; parse throws UsageError listing them.
std::string_view bias_se_name(LindaBiasSe b);
LindaBiasSe parse_bias_se(std::string_view name);

/// LinDA parameters (Zhou et al. 2022; defaults of MicrobiomeStat::linda as released, except
/// `bias_se`, see linda.hpp step 6).
struct LindaOptions {
    double zero_pseudocount = 0.5;  ///< added to all counts when a feature has zeros
    double winsor_quantile = kLindaWinsorQuantile;  ///< in (0, 1]; 1 = no winsorisation
    LindaZeroHandling zero_handling = LindaZeroHandling::pseudocount;
    LindaBiasSe bias_se = LindaBiasSe::propagated;
};

struct DiffOptions {
    DiffMethod method = DiffMethod::linda;
    double pseudocount = 0;  ///< for effects and ratios; 0 = automatic (see file comment)
    std::pair<std::string, std::string> ratio;  ///< numerator, denominator taxon names (method ratio)
    LefseOptions lefse;
    LindaOptions linda;
    Transform transform = Transform::clr;  ///< method lm
    int n_threads = 1;
};

/// One output row.
struct DiffRow {
    std::string feature, lineage;
    double effect = 0, se = 0, statistic = 0, p_value = 1, q_value = 1;
    std::vector<double> mean, prevalence;  ///< per level
    std::string extra;                     ///< value of `extra_column` ("" if none)
    std::string term;                      ///< model coefficient (linda, lm), e.g. "TreatmentISS", "age"
    bool tested = true;
};

struct DiffResult {
    DiffMethod method = DiffMethod::linda;
    std::vector<std::string> levels;
    std::string test_level, reference_level;  ///< for two-level effects
    std::vector<DiffRow> rows;                 ///< in table feature order
    double pseudocount = 0;
    std::string extra_column;                  ///< "class" (lefse), "test" (ratio) or ""
    bool term_column = false;                  ///< rows are model coefficients: last column `term`
    std::vector<std::string> notes;            ///< lines for the output header (without '#')
    std::size_t n_untested = 0;
};

/// Runs one method on a design built by make_design from the same table. Throws UsageError
/// when the method does not fit the design (e.g. wilcoxon with three groups, covariates with a
/// method that cannot use them, unknown ratio taxa). Results do not depend on n_threads.
DiffResult run_diff(table::FeatureTable const& t, Design const& d, DiffOptions const& o);

/// Per-sample log2((a + c) / (b + c)) for the design's samples (in `d.samples` order), where a and
/// b are the summed relative abundances of the features whose id or lineage names
/// `ratio.first` / `ratio.second`; c = `pseudocount` when > 0, else half the smallest non-zero
/// of those abundances (1 if none). The c used is returned in `used_pseudocount`. Throws
/// UsageError when a taxon matches no feature. This is what the `ratio` method tests.
std::vector<double> taxon_log2_ratios(table::FeatureTable const& t, Design const& d,
                                      std::pair<std::string, std::string> const& ratio, double pseudocount,
                                      double& used_pseudocount);

/// Writes `#` note lines, then the header and rows of diff.tsv (SPEC columns). Numbers in
/// shortest round-trip form.
void write_diff(DiffResult const& r, std::ostream& out);

/// Fills q_value of tested rows by BH over them; untested rows get q = 1.
void adjust_rows(std::vector<DiffRow>& rows);

/// Half the smallest non-zero relative abundance of the design (the default pseudocount).
double auto_pseudocount(Design const& d);

}  // namespace orbiome::diffabund
