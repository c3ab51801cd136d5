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
///  4. LDA effect size (MASS::lda on all passing features, method "moment", tol 1e-10, empty
///     classes dropped): in LEfSe's order — samples sorted by class, subclass (renamed
///     CLASS_NAME when shared by classes) and subject (`--subject`, lefse_format_input -u; table
///     order among ties), features in table order then the added ancestor clades (the order of
///     lefse_format_input under Python 3). One Python `random` stream (PyRandom, py_random.hpp)
///     seeded `seed` (lefse_run.py: 1982) feeds, in this order: (a) jitter — per feature, per
///     class with <= max(0.5 size, 4) distinct values, per sample of that class:
///     x = |x + normalvariate(0, max(0.05 x, 0.01))|; (b) `n_boots` subsets of int(0.67 n)
///     samples drawn with randint(0, n - 1), redrawn (up to 1000 times) while some class is
///     absent, smaller than min_cl = max(1, int(smallest class * 0.67 * 0.67 * 0.5)) or has
///     <= max(min_cl, 1) distinct values of some feature. Per subset and class pair,
///     (|mean_a - mean_b| + |w_unit * effect|) / 2 per feature, where w_unit is the unit first
///     discriminant and effect the distance of the class means along it (0 when a class is
///     absent); averaged over subsets, maximised over pairs, score = log(1 + m) / log(10).
/// Exactness: with the same order and seed the scores equal lefse_run.py's to ~1e-14
/// (tests/parity/lefse). Where orbiome cannot follow LEfSe: lefse visits the classes for the
/// jitter in Python set order, which depends on the process's string-hash seed; orbiome uses
/// sorted order (lefse_run.py's output itself changes with PYTHONHASHSEED when a feature needs
/// jitter in two classes; by < 1e-3 on the RR-5 genus case). Without `--subject`, lefse sorts
/// tied samples with an inconsistent comparator; orbiome keeps their table order.
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
