#pragma once
/// \file errors.hpp
/// DADA2's error model: `loessErrfun` (a loess fit of log10 error rates against quality, per
/// substitution type) and `learnErrors` (the self-consistent loop of dada and the fit).
///
/// The fit is R's `loess(y ~ q, weights = N)` with R's defaults (span 0.75, degree 2, gaussian,
/// surface "interpolate"): local quadratic fits with tricube weights over the floor(n * span)
/// nearest points, computed at the vertices of R's 1-D k-d tree (cells split at the median point
/// until a cell holds <= floor(n * span * 0.2) points, bounding box widened by 0.5% each side)
/// and blended between vertices by cubic Hermite interpolation of value and slope; predictions
/// outside the data range are NA and DADA2 holds the end values there.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "amplicon/dada.hpp"

namespace orbiome::amplicon {

/// R `predict(loess(y ~ x, weights = w), xout)` with the defaults above; NaN outside [min x, max x].
std::vector<double> loess_predict(std::vector<double> const& x, std::vector<double> const& y,
                                  std::vector<double> const& w, std::vector<double> const& xout);

/// DADA2 `loessErrfun`: error matrix from transition counts (rates clamped to [1e-7, 0.25]).
ErrorMatrix loess_errfun(TransitionCounts const& trans);

struct LearnResult {
    ErrorMatrix err;
    TransitionCounts trans;     ///< the last round's summed transitions
    int rounds = 0;             ///< self-consistency rounds (DADA2's "Convergence after N rounds")
    bool converged = false;
    std::uint64_t n_bases = 0, n_reads = 0;
    std::size_t n_samples = 0;  ///< samples used (whole samples until > nbases bases)
};

/// DADA2's `learnErrors` loop as steps, so that several loops (forward and reverse reads) can
/// share one pool of threads round by round: each round, run_sample(i) for every sample i (any
/// order, any thread, distinct i at once), then end_round() on one thread, until done().
class ErrorLearner {
public:
    /// Takes whole samples in the order given until more than `nbases` bases (or `nreads` reads
    /// when > 0; no budget when `nbases` < 0), as learnErrors does.
    ErrorLearner(std::vector<Derep const*> const& all, DadaOptions const& opt, double nbases, int max_consist,
                 double nreads);
    bool done() const { return done_; }
    std::size_t n_samples() const { return samples_.size(); }
    /// The cost of sample i's dada, for scheduling: its unique sequences.
    std::uint64_t cost(std::size_t i) const { return samples_[i]->seqs.size(); }
    void run_sample(std::size_t i);
    void end_round();
    /// The result; `caches` (if given) receives the samples' alignment caches.
    LearnResult finish(std::vector<AlignCache>* caches);

private:
    std::vector<Derep const*> samples_;
    std::vector<std::size_t> max_q_;
    DadaOptions opt_;
    int max_consist_;
    LearnResult res_;
    ErrorMatrix err_;
    std::vector<ErrorMatrix> seen_;
    std::vector<AlignCache> caches_;  // alignments depend on sequences only: reused by every round
    std::vector<TransitionCounts> trans_;
    bool initial_ = true, done_ = false;
    int nconsist_ = 0;
};

/// DADA2 `learnErrors(nbases = 1e8, MAX_CONSIST = 10, OMEGA_C = 0)` on dereplicated samples,
/// in the order given: an ErrorLearner whose samples run in parallel within a round (results do
/// not depend on the thread count).
/// `nreads` > 0 replaces the bases budget by a reads budget (DADA2's deprecated `nreads`, which
/// q2-dada2 passes); `nbases` < 0 means no bases budget. If `caches` is given, it receives the
/// alignment caches of the samples used (the first `n_samples`), for the final dada to reuse.
LearnResult learn_errors(std::vector<Derep const*> const& samples, DadaOptions const& opt, int threads,
                         double nbases = 1e8, int max_consist = 10, double nreads = 0,
                         std::vector<AlignCache>* caches = nullptr);

/// Highest rounded quality (ceiling of the highest mean quality) among `d`'s uniques.
std::size_t max_quality(Derep const& d);

/// `err` widened to `ncol` columns by repeating its last column (DADA2 does this when a sample's
/// qualities exceed the matrix).
ErrorMatrix extend_columns(ErrorMatrix const& err, std::size_t ncol);

/// The matrix as TSV: a header `transition` then the quality scores, one row per A2A..T2T,
/// values with 17 significant digits.
std::string error_matrix_tsv(ErrorMatrix const& err);

}  // namespace orbiome::amplicon
