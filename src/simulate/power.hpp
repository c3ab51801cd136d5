#pragma once
/// \file power.hpp
/// Power and false-discovery rates by simulation (`orbiome power`; docs/power.md).
///
/// For every group size n (per group) and replicate i, one study is drawn from the model
/// (simulate_study with seed Rng::stream(seed, i)(): replicate i of every n shares its sample
/// streams, so the curves over n are paired) and every method is run on it
/// (replicate_analysis.hpp). A call on a feature with fold 1 is a false call.
/// Per method and n:
///  * power of a named taxon: fraction of replicates calling any of its features; overall
///    (`taxon` = all): the mean over replicates of the fraction of spiked features called;
///    community tests (permanova): the fraction of replicates rejecting;
///  * fdr: mean over replicates of false calls / max(calls, 1) (per-feature methods);
///  * fwer: fraction of replicates with at least one false call; with no effect this is the
///    method's false-positive rate (for permanova: the fraction rejecting);
///  * 95 % Monte-Carlo intervals: Clopper–Pearson (exact binomial) for fractions of replicates;
///    for the overall power over several spiked features and for fdr, which are means of
///    per-replicate fractions, mean +- 1.96 sd / sqrt(R), clipped to [0, 1].
/// Replicates run in parallel; each writes only its own slot, so the table does not depend on
/// the thread count.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "simulate/model.hpp"
#include "simulate/replicate_analysis.hpp"

namespace orbiome::simulate {

/// Spiked effects as given on the command line.
struct EffectSpec {
    std::vector<std::pair<std::string, double>> named;  ///< --effect TAXON=FOLD
    double fraction = 0;                                ///< --effect-fraction
    double fold = 1;                                    ///< --fold
    bool any() const { return !named.empty() || fraction > 0; }
};

/// Parses "TAXON=FOLD" (FOLD > 0, finite); UsageError otherwise.
std::pair<std::string, double> parse_effect(std::string const& text);

/// A named effect resolved to model features.
struct SpikedTaxon {
    std::string name;
    double fold = 1;
    std::vector<std::size_t> features;
};

/// Resolves named effects (match_taxon); a feature named twice is a UsageError.
std::vector<SpikedTaxon> resolve_effects(Model const& m, table::FeatureTable const& t, EffectSpec const& e);

/// Per-feature folds for one study: named taxa, or `fraction` of the features drawn with
/// Rng::stream(seed, kEffectStream) (the same features for every n of a replicate).
/// `spiked` receives the spiked feature indices, sorted.
std::vector<double> study_folds(Model const& m, std::vector<SpikedTaxon> const& taxa, EffectSpec const& e,
                                std::uint64_t seed, std::vector<std::size_t>& spiked);
/// Stream index of the random choice of spiked features (apart from the sample streams 0..2n).
inline constexpr std::uint64_t kEffectStream = ~std::uint64_t{0};

/// One replicate: its spiked features and every method's outcome.
struct ReplicateResult {
    std::vector<std::size_t> spiked;
    std::vector<MethodOutcome> outcomes;  ///< one per method
};

/// Runs trial(size_index, replicate) for every size and replicate over `threads`; results
/// indexed [size][replicate]. `progress(done, total)` is called after each (any thread).
using Trial = std::function<ReplicateResult(std::size_t, std::size_t)>;
std::vector<std::vector<ReplicateResult>> run_replicates(std::size_t n_sizes, std::size_t replicates, int threads,
                                                         Trial const& trial,
                                                         std::function<void(std::size_t, std::size_t)> const& progress);

/// One row of power.tsv.
struct PowerRow {
    std::string method;
    std::size_t n_per_group = 0;
    std::string fold;   ///< the taxon's fold; overall: the fold(s) spiked; no effect: 1
    std::string taxon;  ///< a named taxon, "all", "community" (permanova) or "none" (no effect)
    std::optional<double> power, power_low, power_high, fdr, fdr_low, fdr_high, fwer, fwer_low, fwer_high;
    std::size_t replicates = 0;
};

struct PowerTable {
    std::vector<PowerRow> rows;
    std::vector<std::string> notes;  ///< `#` lines (without '#'): settings, smallest n per method
    /// `#flag:` lines: per method, the n whose false calls exceed alpha beyond Monte-Carlo
    /// error (flag_false_positives); `power` also prints them on stderr.
    std::vector<std::string> flags;
};

/// Adds to `t.flags` one line per method whose family-wise false-positive rate has its 95 %
/// interval entirely above `alpha` at some n (the overall row: `all`, `none` or `community`).
/// With no effect that means the test is anti-conservative there (LinDA at 5 per group on the
/// RR-5 genera; bench/POWER.md); with effects the false calls also include taxa whose relative
/// abundance the spike diluted, which a relative-abundance test rightly sees as changed.
void flag_false_positives(PowerTable& t, double alpha, bool effect);

/// 95 % Clopper–Pearson interval of x successes in n trials.
std::pair<double, double> clopper_pearson(std::size_t x, std::size_t n);

/// Aggregates replicate results into rows (see file comment) and the smallest n reaching
/// `target` per method and taxon.
PowerTable summarise(std::vector<std::vector<ReplicateResult>> const& results, std::vector<std::size_t> const& sizes,
                     std::vector<Method> const& methods, std::vector<SpikedTaxon> const& taxa, EffectSpec const& e,
                     double target);

struct PowerOptions {
    std::vector<std::size_t> sizes;  ///< per group
    std::vector<Method> methods;
    std::size_t replicates = 100;
    AnalysisOptions analysis;
    std::uint64_t seed = 0;
    std::optional<double> depth;
    double target = 0.8;
    int threads = 1;
    std::function<void(std::size_t, std::size_t)> progress;
};

/// The whole `power` computation on a fitted model. Throws UsageError for a size beyond the
/// model's limit (check_group_size) before any work.
PowerTable power_study(Model const& m, std::vector<SpikedTaxon> const& taxa, EffectSpec const& e, PowerOptions const& o);

/// Writes `#` notes, `#flag:` lines, the header (SPEC columns, then taxon, fdr_low, fdr_high, fwer_low,
/// fwer_high) and the rows; empty cells for quantities that do not apply.
void write_power(PowerTable const& t, std::ostream& out);

}  // namespace orbiome::simulate
