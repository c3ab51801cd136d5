#include "ecology/alpha.hpp"

#include <array>
#include <cmath>
#include <limits>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "ecology/unifrac.hpp"

namespace orbiome::ecology {

namespace {

constexpr std::array<std::pair<AlphaMetric, std::string_view>, 11> kNames{{
    {AlphaMetric::observed, "observed"},
    {AlphaMetric::shannon, "shannon"},
    {AlphaMetric::simpson, "simpson"},
    {AlphaMetric::inverse_simpson, "inverse_simpson"},
    {AlphaMetric::chao1, "chao1"},
    {AlphaMetric::ace, "ace"},
    {AlphaMetric::pielou, "pielou"},
    {AlphaMetric::faith_pd, "faith_pd"},
    {AlphaMetric::hill_0, "hill_0"},
    {AlphaMetric::hill_1, "hill_1"},
    {AlphaMetric::hill_2, "hill_2"},
}};

constexpr std::size_t kIdsInMessage = 5;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double shannon_ln(std::span<double const> c, double total) {
    double h = 0.0;
    for (double v : c) {
        if (v <= 0.0) continue;
        double const p = v / total;
        h -= p * std::log(p);
    }
    return h;
}

double dominance(std::span<double const> c, double total) {
    double d = 0.0;
    for (double v : c) {
        double const p = v / total;
        d += p * p;
    }
    return d;
}

double ace(std::span<double const> c) {
    double s_rare = 0, s_abund = 0, singles = 0, n_rare = 0, gamma_sum = 0;
    for (double v : c) {
        if (v <= 0.0) continue;
        if (v > kAceRareThreshold) {
            s_abund += 1;
            continue;
        }
        double const k = std::floor(v);
        s_rare += 1;
        n_rare += k;
        gamma_sum += k * (k - 1);
        if (k == 1) singles += 1;
    }
    if (singles > 0 && singles == s_rare) return kNaN;
    if (s_rare == 0) return s_abund;
    double const c_ace = 1.0 - singles / n_rare;
    double gamma = s_rare * gamma_sum / (c_ace * n_rare * (n_rare - 1.0)) - 1.0;
    if (gamma < 0.0) gamma = 0.0;
    return s_abund + s_rare / c_ace + singles / c_ace * gamma;
}

std::string id_list(std::vector<std::string> const& ids) {
    std::string s;
    for (std::size_t i = 0; i < ids.size() && i < kIdsInMessage; ++i) s += (i ? ", '" : "'") + ids[i] + "'";
    if (ids.size() > kIdsInMessage) s += ", ...";
    return s;
}

bool needs_integers(AlphaMetric m) { return m == AlphaMetric::chao1 || m == AlphaMetric::ace; }

}  // namespace

std::string_view alpha_metric_name(AlphaMetric m) {
    for (auto const& [k, name] : kNames)
        if (k == m) return name;
    return "?";
}

AlphaMetric parse_alpha_metric(std::string_view name) {
    for (auto const& [k, n] : kNames)
        if (n == name) return k;
    std::string valid;
    for (auto const& [k, n] : kNames) valid += (valid.empty() ? "" : ", ") + std::string(n);
    throw UsageError("unknown alpha metric '" + std::string(name) + "'", "valid metrics: " + valid);
}

std::vector<AlphaMetric> parse_alpha_metrics(std::string_view list) {
    std::vector<AlphaMetric> out;
    for (auto part : split(list, ',')) {
        auto const name = trim(part);
        if (name.empty()) throw UsageError("empty metric name in '" + std::string(list) + "'");
        auto const m = parse_alpha_metric(name);
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    }
    return out;
}

std::vector<AlphaMetric> default_alpha_metrics(bool with_tree) {
    std::vector<AlphaMetric> m{AlphaMetric::observed, AlphaMetric::shannon, AlphaMetric::simpson,
                               AlphaMetric::inverse_simpson, AlphaMetric::chao1, AlphaMetric::ace,
                               AlphaMetric::pielou};
    if (with_tree) m.push_back(AlphaMetric::faith_pd);
    return m;
}

double alpha_value(AlphaMetric m, std::span<double const> c, double log_base) {
    double total = 0.0, observed = 0.0, singles = 0.0, doubles = 0.0;
    for (double v : c) {
        total += v;
        if (v > 0.0) observed += 1;
        if (v == 1.0) singles += 1;
        if (v == 2.0) doubles += 1;
    }
    switch (m) {
    case AlphaMetric::observed:
    case AlphaMetric::hill_0:
        return observed;
    case AlphaMetric::shannon:
        return shannon_ln(c, total) / std::log(log_base);
    case AlphaMetric::simpson:
        return 1.0 - dominance(c, total);
    case AlphaMetric::inverse_simpson:
    case AlphaMetric::hill_2:
        return 1.0 / dominance(c, total);
    case AlphaMetric::chao1:
        return observed + singles * (singles - 1.0) / (2.0 * (doubles + 1.0));
    case AlphaMetric::ace:
        return ace(c);
    case AlphaMetric::pielou:
        // S = 1 gives 0 / 0 = NaN on purpose (evenness of one feature is undefined).
        return observed == 1.0 ? kNaN : shannon_ln(c, total) / std::log(observed);
    case AlphaMetric::hill_1:
        return std::exp(shannon_ln(c, total));
    case AlphaMetric::faith_pd:
        break;
    }
    throw UsageError("faith_pd needs a tree", "give --tree");
}

void require_nonempty_samples(table::FeatureTable const& t, std::string const& origin) {
    std::vector<std::string> empty;
    for (std::size_t s = 0; s < t.n_samples(); ++s)
        if (t.sample_features(s).empty()) empty.push_back(t.sample_ids()[s]);
    if (empty.empty()) return;
    std::string const what = empty.size() == 1
                                 ? "sample " + id_list(empty) + " has no counts (all zero); its diversity is undefined"
                                 : std::to_string(empty.size()) + " samples have no counts (all zero): " + id_list(empty);
    throw ParseError({origin}, what, "remove empty samples from the table first");
}

AlphaResult alpha_diversity(table::FeatureTable const& t, AlphaOptions const& o) {
    AlphaResult r;
    r.sample_ids = t.sample_ids();
    r.metrics = o.metrics.empty() ? default_alpha_metrics(o.tree != nullptr) : o.metrics;
    bool wants_tree = false, wants_integers = false;
    for (auto m : r.metrics) {
        wants_tree |= m == AlphaMetric::faith_pd;
        wants_integers |= needs_integers(m);
    }
    if (wants_tree && o.tree == nullptr) throw UsageError("metric faith_pd needs a tree", "give --tree FILE.nwk");
    if (!(o.log_base > 0.0) || o.log_base == 1.0 || !std::isfinite(o.log_base))
        throw UsageError("log base must be positive, finite and not 1 (got " + format_double(o.log_base) + ")");
    require_nonempty_samples(t, o.table_origin);
    if (wants_integers) {
        for (std::size_t s = 0; s < t.n_samples(); ++s) {
            auto const v = t.sample_values(s);
            for (std::size_t k = 0; k < v.size(); ++k) {
                if (v[k] == std::floor(v[k])) continue;
                throw ParseError({o.table_origin},
                                 "sample '" + t.sample_ids()[s] + "': chao1 and ace need whole-number counts; feature '" +
                                     t.feature_ids()[t.sample_features(s)[k]] + "' has " + format_double(v[k]),
                                 "compute them on the count table, not on relative abundances");
            }
        }
    }
    std::vector<double> pd;
    if (wants_tree) pd = faith_pd(t, match_tree(*o.tree, t.feature_ids(), o.tree_origin), o.n_threads);
    std::size_t const nm = r.metrics.size();
    r.values.assign(t.n_samples() * nm, 0.0);
    parallel_for(t.n_samples(), o.n_threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t s = b; s < e; ++s)
            for (std::size_t m = 0; m < nm; ++m)
                r.values[s * nm + m] = r.metrics[m] == AlphaMetric::faith_pd
                                           ? pd[s]
                                           : alpha_value(r.metrics[m], t.sample_values(s), o.log_base);
    });
    return r;
}

void write_alpha(AlphaResult const& r, std::string const& path, std::string const& header_line) {
    AtomicOutput out(path);
    auto& os = out.stream();
    if (!header_line.empty()) os << header_line << '\n';
    os << "sample_id";
    for (auto m : r.metrics) os << '\t' << alpha_metric_name(m);
    os << '\n';
    for (std::size_t s = 0; s < r.sample_ids.size(); ++s) {
        os << r.sample_ids[s];
        for (std::size_t m = 0; m < r.metrics.size(); ++m) {
            double const v = r.at(s, m);
            os << '\t' << (std::isnan(v) ? std::string("NaN") : format_double(v));
        }
        os << '\n';
    }
    out.commit();
}

}  // namespace orbiome::ecology
