#include "simulate/power.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>

#include <boost/math/special_functions/beta.hpp>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"

namespace orbiome::simulate {

namespace {

constexpr double kZ975 = 1.959963984540054;  // standard normal 0.975 quantile

std::string fold_text(std::vector<double> folds) {
    std::sort(folds.begin(), folds.end());
    folds.erase(std::unique(folds.begin(), folds.end()), folds.end());
    std::vector<std::string> parts;
    for (double f : folds) parts.push_back(format_double(f));
    return join(parts, ",");
}

// Mean and normal 95 % interval of per-replicate values.
void mean_interval(std::vector<double> const& v, std::optional<double>& mean, std::optional<double>& low,
                   std::optional<double>& high) {
    auto const n = static_cast<double>(v.size());
    double m = 0;
    for (double x : v) m += x;
    m /= n;
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    double const half = v.size() > 1 ? kZ975 * std::sqrt(ss / (n - 1) / n) : 1.0;
    mean = m;
    low = std::max(0.0, m - half);
    high = std::min(1.0, m + half);
}

void fraction_interval(std::size_t x, std::size_t n, std::optional<double>& value, std::optional<double>& low,
                       std::optional<double>& high) {
    value = static_cast<double>(x) / static_cast<double>(n);
    auto const ci = clopper_pearson(x, n);
    low = ci.first;
    high = ci.second;
}

void put(std::ostream& out, std::optional<double> const& v) {
    out << '\t';
    if (v) out << format_double(*v);
}

}  // namespace

std::pair<std::string, double> parse_effect(std::string const& text) {
    auto const eq = text.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        throw UsageError("--effect expects TAXON=FOLD, got '" + text + "'", "e.g. --effect Lactobacillus=2");
    auto const fold = try_parse_double(text.substr(eq + 1));
    if (!fold || !(*fold > 0) || !std::isfinite(*fold))
        throw UsageError("--effect '" + text + "': the fold must be a positive number");
    return {text.substr(0, eq), *fold};
}

std::vector<SpikedTaxon> resolve_effects(Model const& m, table::FeatureTable const& t, EffectSpec const& e) {
    std::vector<SpikedTaxon> out;
    std::set<std::size_t> seen;
    for (auto const& [name, fold] : e.named) {
        SpikedTaxon s{name, fold, match_taxon(m, t, name)};
        for (auto f : s.features)
            if (!seen.insert(f).second)
                throw UsageError("--effect: feature '" + m.feature_ids[f] + "' is spiked twice (by '" + name +
                                 "' and an earlier --effect)");
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<double> study_folds(Model const& m, std::vector<SpikedTaxon> const& taxa, EffectSpec const& e,
                                std::uint64_t seed, std::vector<std::size_t>& spiked) {
    spiked.clear();
    if (!e.any()) return {};
    std::vector<double> fold(m.n_features(), 1.0);
    if (!taxa.empty()) {
        for (auto const& t : taxa)
            for (auto f : t.features) {
                fold[f] = t.fold;
                spiked.push_back(f);
            }
        std::sort(spiked.begin(), spiked.end());
    } else {
        Rng rng = Rng::stream(seed, kEffectStream);
        spiked = random_features(m, e.fraction, rng);
        for (auto f : spiked) fold[f] = e.fold;
    }
    return fold;
}

std::vector<std::vector<ReplicateResult>> run_replicates(std::size_t n_sizes, std::size_t replicates, int threads,
                                                         Trial const& trial,
                                                         std::function<void(std::size_t, std::size_t)> const& progress) {
    std::vector<std::vector<ReplicateResult>> out(n_sizes, std::vector<ReplicateResult>(replicates));
    std::size_t const total = n_sizes * replicates;
    std::atomic<std::size_t> done{0};
    // Item = replicate-major, so that all sizes of a replicate finish close together.
    parallel_for(total, threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t item = begin; item < end; ++item) {
            std::size_t const rep = item / n_sizes, size = item % n_sizes;
            out[size][rep] = trial(size, rep);
            auto const d = done.fetch_add(1, std::memory_order_relaxed) + 1;
            if (progress) progress(d, total);
        }
    });
    return out;
}

std::pair<double, double> clopper_pearson(std::size_t x, std::size_t n) {
    ORBIOME_ASSERT(n > 0 && x <= n);
    auto const xd = static_cast<double>(x), nd = static_cast<double>(n);
    double const low = x == 0 ? 0.0 : boost::math::ibeta_inv(xd, nd - xd + 1, 0.025);
    double const high = x == n ? 1.0 : boost::math::ibeta_inv(xd + 1, nd - xd, 0.975);
    return {low, high};
}

PowerTable summarise(std::vector<std::vector<ReplicateResult>> const& results, std::vector<std::size_t> const& sizes,
                     std::vector<Method> const& methods, std::vector<SpikedTaxon> const& taxa, EffectSpec const& e,
                     double target) {
    PowerTable t;
    bool const effect = e.any();
    std::vector<double> named_folds;
    for (auto const& s : taxa) named_folds.push_back(s.fold);
    std::string const overall_fold = !effect ? "1" : taxa.empty() ? format_double(e.fold) : fold_text(named_folds);
    for (std::size_t mi = 0; mi < methods.size(); ++mi) {
        Method const m = methods[mi];
        std::string const name(method_name(m));
        // smallest n reaching the target per row key (taxon), in row order
        std::vector<std::pair<std::string, std::string>> smallest;
        auto note_target = [&](std::string const& taxon, std::size_t n, std::optional<double> const& power) {
            auto it = std::find_if(smallest.begin(), smallest.end(), [&](auto const& p) { return p.first == taxon; });
            if (it == smallest.end()) {
                smallest.emplace_back(taxon, "");
                it = smallest.end() - 1;
            }
            if (it->second.empty() && power && *power >= target) it->second = std::to_string(n);
        };
        for (std::size_t si = 0; si < sizes.size(); ++si) {
            auto const& reps = results[si];
            std::size_t const R = reps.size();
            PowerRow base;
            base.method = name;
            base.n_per_group = sizes[si];
            base.replicates = R;
            if (is_community(m)) {
                std::size_t rejected = 0;
                for (auto const& r : reps) rejected += r.outcomes[mi].rejected;
                PowerRow row = base;
                row.taxon = "community";
                row.fold = overall_fold;
                if (effect)
                    fraction_interval(rejected, R, row.power, row.power_low, row.power_high);
                else
                    fraction_interval(rejected, R, row.fwer, row.fwer_low, row.fwer_high);
                note_target(row.taxon, row.n_per_group, row.power);
                t.rows.push_back(std::move(row));
                continue;
            }
            std::vector<double> fdp(R), tpr(R);
            std::size_t any_false = 0;
            std::vector<std::size_t> taxon_hits(taxa.size(), 0);
            for (std::size_t i = 0; i < R; ++i) {
                auto const& called = reps[i].outcomes[mi].called;
                auto const& spiked = reps[i].spiked;
                std::size_t calls = 0, false_calls = 0, true_calls = 0;
                for (std::size_t f = 0; f < called.size(); ++f) {
                    if (!called[f]) continue;
                    ++calls;
                    if (std::binary_search(spiked.begin(), spiked.end(), f))
                        ++true_calls;
                    else
                        ++false_calls;
                }
                fdp[i] = calls ? static_cast<double>(false_calls) / static_cast<double>(calls) : 0.0;
                tpr[i] = spiked.empty() ? 0.0 : static_cast<double>(true_calls) / static_cast<double>(spiked.size());
                any_false += false_calls > 0;
                for (std::size_t k = 0; k < taxa.size(); ++k)
                    taxon_hits[k] += std::any_of(taxa[k].features.begin(), taxa[k].features.end(),
                                                 [&](std::size_t f) { return f < called.size() && called[f]; });
            }
            PowerRow overall = base;
            overall.fold = overall_fold;
            overall.taxon = effect ? "all" : "none";
            mean_interval(fdp, overall.fdr, overall.fdr_low, overall.fdr_high);
            fraction_interval(any_false, R, overall.fwer, overall.fwer_low, overall.fwer_high);
            bool const single = taxa.size() == 1 && taxa[0].features.size() == 1;
            if (effect) {
                if (single)
                    fraction_interval(taxon_hits[0], R, overall.power, overall.power_low, overall.power_high);
                else
                    mean_interval(tpr, overall.power, overall.power_low, overall.power_high);
            }
            note_target(overall.taxon, overall.n_per_group, overall.power);
            t.rows.push_back(overall);
            for (std::size_t k = 0; k < taxa.size() && !single; ++k) {
                PowerRow row = overall;
                row.taxon = taxa[k].name;
                row.fold = format_double(taxa[k].fold);
                fraction_interval(taxon_hits[k], R, row.power, row.power_low, row.power_high);
                note_target(row.taxon, row.n_per_group, row.power);
                t.rows.push_back(std::move(row));
            }
        }
        if (effect) {
            std::vector<std::string> parts;
            for (auto const& [taxon, n] : smallest)
                parts.push_back(taxon + " " + (n.empty() ? "> " + std::to_string(sizes.back()) : n));
            t.notes.push_back("smallest n per group with power >= " + format_double(target) + ": " + name + ": " +
                              join(parts, ", "));
        }
    }
    return t;
}

void flag_false_positives(PowerTable& t, double alpha, bool effect) {
    std::vector<std::pair<std::string, std::vector<std::string>>> by_method;
    for (auto const& r : t.rows) {
        bool const overall = r.taxon == "all" || r.taxon == "none" || r.taxon == "community";
        if (!overall || !r.fwer_low || !(*r.fwer_low > alpha)) continue;
        if (by_method.empty() || by_method.back().first != r.method) by_method.push_back({r.method, {}});
        auto const pct = [](double v) { return format_double(std::round(v * 1000) / 1000); };
        by_method.back().second.push_back(std::to_string(r.n_per_group) + " (" + pct(*r.fwer) + ", 95 % CI " +
                                          pct(*r.fwer_low) + "-" + pct(*r.fwer_high) + ")");
    }
    for (auto const& [method, sizes] : by_method)
        t.flags.push_back(method + ": false calls in more than alpha = " + format_double(alpha) +
                          " of the replicates beyond Monte-Carlo error at n per group = " + join(sizes, ", ") + "; " +
                          (effect ? "with spiked effects they include taxa whose relative abundance the spike diluted "
                                    "(compositional), so run without --effect to see whether the test itself is "
                                    "anti-conservative there (docs/power.md)"
                                  : "the test is anti-conservative there (docs/power.md)"));
}

PowerTable power_study(Model const& m, std::vector<SpikedTaxon> const& taxa, EffectSpec const& e, PowerOptions const& o) {
    if (o.sizes.empty() || o.methods.empty() || o.replicates == 0)
        throw UsageError("power needs at least one --n, one method and one replicate");
    for (auto n : o.sizes) {
        check_group_size(m, n, "--n");
        // Every method compares within-group variation (diff's own minimum group size).
        if (n < 2) throw UsageError("--n: power needs at least 2 samples per group, got " + std::to_string(n));
    }
    auto sizes = o.sizes;
    auto trial = [&](std::size_t si, std::size_t rep) {
        std::uint64_t const rep_seed = Rng::stream(o.seed, rep)();
        ReplicateResult r;
        SimulationSpec spec;
        spec.n_reference = spec.n_test = sizes[si];
        spec.depth = o.depth;
        spec.fold = study_folds(m, taxa, e, rep_seed, r.spiked);
        auto const study = simulate_study(m, spec, rep_seed);
        for (std::size_t mi = 0; mi < o.methods.size(); ++mi)
            r.outcomes.push_back(analyse(study, o.methods[mi], o.analysis, rep_seed ^ (0x5851F42D4C957F2DULL * (si + 1))));
        return r;
    };
    auto const results = run_replicates(sizes.size(), o.replicates, o.threads, trial, o.progress);
    auto t = summarise(results, sizes, o.methods, taxa, e, o.target);
    flag_false_positives(t, o.analysis.alpha, e.any());
    t.notes.insert(t.notes.begin(), "alpha: " + format_double(o.analysis.alpha) + " (per-feature methods: BH q < alpha; permanova: p < alpha, " +
                                        std::to_string(o.analysis.permutations) + " permutations, Bray-Curtis)");
    t.notes.insert(t.notes.begin() + 1, "model: Gaussian copula, empirical zero-inflated marginals of " +
                                            std::to_string(m.n_reference) + " reference samples, " +
                                            std::to_string(m.n_features()) + " features, shrinkage " +
                                            format_double(std::round(m.shrinkage * 1000) / 1000) + " (docs/power.md)");
    t.notes.insert(t.notes.begin() + 2, "intervals: 95 % Clopper-Pearson for fractions of replicates; mean +- 1.96 se for fdr and "
                                        "for overall power over several spiked features");
    return t;
}

void write_power(PowerTable const& t, std::ostream& out) {
    for (auto const& n : t.notes) out << '#' << n << '\n';
    for (auto const& f : t.flags) out << "#flag: " << f << '\n';
    out << "method\tn_per_group\tfold\tpower\tpower_low\tpower_high\tfdr\tfwer\treplicates\ttaxon\tfdr_low\tfdr_high\t"
           "fwer_low\tfwer_high\n";
    for (auto const& r : t.rows) {
        out << r.method << '\t' << r.n_per_group << '\t' << r.fold;
        put(out, r.power);
        put(out, r.power_low);
        put(out, r.power_high);
        put(out, r.fdr);
        put(out, r.fwer);
        out << '\t' << r.replicates << '\t' << r.taxon;
        put(out, r.fdr_low);
        put(out, r.fdr_high);
        put(out, r.fwer_low);
        put(out, r.fwer_high);
        out << '\n';
    }
}

}  // namespace orbiome::simulate
