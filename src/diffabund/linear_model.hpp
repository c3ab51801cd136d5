#pragma once
/// \file linear_model.hpp
/// `diff` as a linear model per feature: `linda` (linda.hpp) and `lm`, on the design's model
/// (design.hpp: any formula of categorical terms with treatment contrasts and continuous terms,
/// optionally a random intercept per subject).
///
/// Output rows: one per feature and coefficient (the intercept excepted), the first term's
/// coefficients first, then the others in model order; `term` names the coefficient as R's
/// `lm`/`model.matrix` does ("TreatmentISS": column + level, "age" for a continuous column,
/// "A1:Sitey" for interactions). q-values are Benjamini–Hochberg within each term (as
/// MicrobiomeStat::linda's `padj`, one per variable).
///
/// `lm` (`--transform`): the response per feature and sample is
///  - `relabund`: the relative abundance (value / sample total over all table features);
///  - `log`: log2(relabund + c);
///  - `clr`: log2(relabund + c) minus its mean over the kept features of the sample;
/// c = `--pseudocount`, else half the smallest non-zero relative abundance (stated in the
/// header). Without a subject: OLS, t = coefficient / se, df = n - p (R's `summary(lm(...))`).
/// With a subject: REML random-intercept model with Satterthwaite df (lmm.hpp; lmerTest's
/// `summary(lmer(...))`). No compositional bias correction: effects are on the transform's scale.

#include "diffabund/diff.hpp"

namespace orbiome::diffabund {

/// Method `lm` (see file comment). Throws UsageError for a rank-deficient design or n <= p.
DiffResult run_lm(table::FeatureTable const& t, Design const& d, Transform transform, double pseudocount, int n_threads);

}  // namespace orbiome::diffabund
