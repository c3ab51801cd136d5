#pragma once
/// \file lefse.hpp
/// LEfSe (Segata et al., Genome Biology 12:R60, 2011, doi:10.1186/gb-2011-12-6-r60) following
/// the steps of lefse 1.1.2 (`lefse_format_input.py -o 1000000` then `lefse_run.py` defaults):
///  1. Hierarchy and scaling (format_input): when feature ids are `|`-separated clades
///     (LEfSe's input convention), every missing ancestor clade is added as the sum of the
///     features below it, and each sample is scaled so its top-level clades sum to 1e6;
///     otherwise each sample is scaled so its features sum to 1e6.
///  2. Kruskal–Wallis between classes (R kruskal.test); kept if p < kw_alpha.
///  3. Pairwise Wilcoxon between the subclasses of every pair of classes (coin::wilcox_test,
///     asymptotic, no continuity correction), kept when p < 2 * wilcoxon_alpha with the same
///     direction of medians for every subclass pair; subclasses with fewer than
///     `kMinSubclassSize` samples compare medians only. A feature passes (one-against-all) if some
///     class differs from every other class.
///  4. LDA effect size (MASS::lda on all passing features, tol 1e-10): per class with few
///     distinct values, values get |x + N(0, max(0.05 x, 0.01))| jitter; `n_boots` resamples of
///     int(0.67 n) samples with replacement (redrawn up to 1000 times until every class has
///     enough samples and distinct values); per resample and class pair,
///     (|mean_a - mean_b| + |w_unit * effect|) / 2 per feature, where w_unit is the unit first
///     discriminant and effect the distance of the class means along it; averaged over
///     resamples, maximised over pairs, score = log10(1 + m).
/// Randomness (jitter, resamples) comes from Rng::stream(seed, ...), not Python's `random`, so
/// scores agree with LEfSe's within resampling noise, not bit for bit.
/// Output: effect = LDA score (0 for features not passing steps 2–3), statistic = H, p = KW p,
/// q = BH of the KW p-values, `class` = class with the highest mean when |LDA| > lda_cutoff
/// (a discriminative feature), else empty. mean_<class> is on the 1e6 scale / 1e6.

#include "diffabund/diff.hpp"

namespace orbiome::diffabund {

/// LEfSe's `--min_c`: subclasses smaller than this compare medians instead of testing.
inline constexpr std::size_t kMinSubclassSize = 10;

/// Runs LEfSe on the design's groups (classes) and optional subclasses. See file comment.
DiffResult run_lefse(table::FeatureTable const& t, Design const& d, LefseOptions const& o, int n_threads);

}  // namespace orbiome::diffabund
