#include "simulate/model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <set>

#include <boost/math/distributions/normal.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::simulate {

namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

// Schafer-Strimmer shrinkage intensity of the correlation matrix towards the identity, from the
// standardised columns x (rows = features, r values each, unit sample variance).
double shrinkage_intensity(std::vector<std::vector<double>> const& x, std::size_t r) {
    double num = 0, den = 0;
    auto const rd = static_cast<double>(r);
    std::vector<double> w(r);
    for (std::size_t a = 0; a < x.size(); ++a)
        for (std::size_t b = a + 1; b < x.size(); ++b) {
            double mean = 0;
            for (std::size_t k = 0; k < r; ++k) {
                w[k] = x[a][k] * x[b][k];
                mean += w[k];
            }
            mean /= rd;
            double ss = 0;
            for (std::size_t k = 0; k < r; ++k) ss += (w[k] - mean) * (w[k] - mean);
            double const corr = rd / (rd - 1) * mean;
            num += rd / ((rd - 1) * (rd - 1) * (rd - 1)) * ss;
            den += corr * corr;
        }
    if (den <= 0) return 1;
    return std::clamp(num / den, 0.0, 1.0);
}

// Empirical quantile of sorted values at v in (0, 1), plotting positions (i - 0.5) / k, held
// at the extremes.
double interpolate(std::vector<double> const& sorted, double v) {
    auto const k = sorted.size();
    double const pos = v * static_cast<double>(k) - 0.5;
    if (pos <= 0) return sorted.front();
    if (pos >= static_cast<double>(k - 1)) return sorted.back();
    auto const i = static_cast<std::size_t>(pos);
    double const frac = pos - static_cast<double>(i);
    return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}

}  // namespace

double normal_draw(Rng& rng) {
    // 1 - uniform() lies in (0, 1], so the log is finite.
    double const u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::vector<std::size_t> reference_samples(table::FeatureTable const& t, io::Metadata const& md, std::string const& column,
                                           std::string const& level,
                                           std::vector<std::pair<std::string, std::string>> const& where) {
    auto const c = md.require_column(column);
    std::vector<std::size_t> filters;
    for (auto const& w : where) filters.push_back(md.require_column(w.first));
    std::vector<std::size_t> out;
    std::set<std::string> levels;
    for (std::size_t s = 0; s < t.n_samples(); ++s) {
        auto const row = md.sample_index(t.sample_ids()[s]);
        if (row == io::Metadata::npos) continue;
        bool keep = true;
        for (std::size_t k = 0; k < filters.size(); ++k) keep = keep && md.values[filters[k]][row] == where[k].second;
        if (!keep) continue;
        levels.insert(md.values[c][row]);
        if (md.values[c][row] == level) out.push_back(s);
    }
    if (out.empty()) {
        std::vector<std::string> names(levels.begin(), levels.end());
        throw UsageError("--reference '" + level + "': no table sample has this value in column '" + column + "' of " +
                             md.source,
                         "levels among the table's samples: " + join(names, ", "));
    }
    return out;
}

Model fit_model(table::FeatureTable const& t, std::vector<std::size_t> const& reference, std::string const& origin) {
    std::size_t const r = reference.size();
    if (r < kMinReferenceSamples)
        throw UsageError("the reference group has " + std::to_string(r) + " sample" + (r == 1 ? "" : "s") +
                             "; the simulator needs at least " + std::to_string(kMinReferenceSamples),
                         "choose a --reference level with more samples (or drop --where filters)");
    Model m;
    m.n_reference = r;
    std::vector<double> dense(t.n_features() * r, 0.0);
    for (std::size_t j = 0; j < r; ++j) {
        double const total = t.sample_total(reference[j]);
        if (!(total > 0))
            throw ParseError(SourceLoc{origin, 0, 0},
                             "reference sample '" + t.sample_ids()[reference[j]] + "' has no counts");
        m.depths.push_back(total);
        auto feats = t.sample_features(reference[j]);
        auto vals = t.sample_values(reference[j]);
        for (std::size_t k = 0; k < feats.size(); ++k) dense[feats[k] * r + j] = vals[k] / total;
    }
    std::sort(m.depths.begin(), m.depths.end());
    boost::math::normal_distribution<double> const norm;
    std::vector<double> normal_of_rank(2 * r + 1);  // index = 2 x mid-rank (mid-ranks are halves)
    for (std::size_t h = 2; h <= 2 * r; ++h)  // mid-ranks run from 1 to r
        normal_of_rank[h] = boost::math::quantile(norm, (static_cast<double>(h) / 2 - 0.5) / static_cast<double>(r));
    std::vector<std::size_t> order(r);
    for (std::size_t f = 0; f < t.n_features(); ++f) {
        double const* row = dense.data() + f * r;
        std::vector<double> nz;
        for (std::size_t j = 0; j < r; ++j)
            if (row[j] > 0) nz.push_back(std::log(row[j]));
        if (nz.empty()) continue;
        std::sort(nz.begin(), nz.end());
        m.feature_ids.push_back(t.feature_ids()[f]);
        if (t.has_lineages()) m.lineages.push_back(t.lineages()[f]);
        m.template_feature.push_back(f);
        m.zero_fraction.push_back(static_cast<double>(r - nz.size()) / static_cast<double>(r));
        m.log_nonzero.push_back(std::move(nz));
        // Normal scores of mid-ranks (ties, zeros among them, share their average rank).
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return row[a] < row[b]; });
        std::vector<double> s(r);
        for (std::size_t i = 0; i < r;) {
            std::size_t e = i;
            while (e + 1 < r && row[order[e + 1]] == row[order[i]]) ++e;
            std::size_t const twice_mid = i + e + 2;  // 2 x ((i + 1) + (e + 1)) / 2
            for (std::size_t q = i; q <= e; ++q) s[order[q]] = normal_of_rank[twice_mid];
            i = e + 1;
        }
        double const mean = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(r);
        double ss = 0;
        for (double& v : s) {
            v -= mean;
            ss += v * v;
        }
        double const scale = ss > 0 ? 1 / std::sqrt(ss) : 0;
        for (double v : s) m.scores.push_back(v * scale);
    }
    if (m.n_features() < 2)
        throw UsageError("fewer than 2 features are present in the reference group of " + origin);
    // Shrinkage from the most prevalent features (ties by order), standardised to unit variance.
    std::vector<std::size_t> by_prev(m.n_features());
    std::iota(by_prev.begin(), by_prev.end(), std::size_t{0});
    std::stable_sort(by_prev.begin(), by_prev.end(),
                     [&](std::size_t a, std::size_t b) { return m.zero_fraction[a] < m.zero_fraction[b]; });
    std::vector<std::vector<double>> x;
    for (std::size_t f : by_prev) {
        if (x.size() == kShrinkFeatures) break;
        double const* s = m.scores.data() + f * r;
        if (std::all_of(s, s + r, [](double v) { return v == 0; })) continue;
        std::vector<double> col(s, s + r);
        for (double& v : col) v *= std::sqrt(static_cast<double>(r - 1));
        x.push_back(std::move(col));
    }
    m.shrinkage = x.size() < 2 ? 1 : shrinkage_intensity(x, r);
    return m;
}

void check_group_size(Model const& m, std::size_t n, std::string const& option) {
    if (n == 0) throw UsageError(option + ": a group needs at least 1 sample");
    if (n > m.max_group_size())
        throw UsageError(option + ": " + std::to_string(n) + " samples per group is more than the simulator supports (" +
                             std::to_string(kMaxScale) + " x the " + std::to_string(m.n_reference) +
                             " reference samples = " + std::to_string(m.max_group_size()) + ")",
                         "every simulated value interpolates the pilot's; see docs/power.md, 'Limits'");
}

Study simulate_study(Model const& m, SimulationSpec const& spec, std::uint64_t seed) {
    check_group_size(m, spec.n_reference, "--n (reference)");
    check_group_size(m, spec.n_test, "--n (test)");
    std::size_t const nf = m.n_features(), r = m.n_reference, ns = spec.n_reference + spec.n_test;
    double const a = std::sqrt(1 - m.shrinkage), b = std::sqrt(m.shrinkage);
    double const depth_scale = spec.depth ? *spec.depth / m.depths[m.depths.size() / 2] : 1.0;
    std::vector<table::Entry> entries;
    Study st;
    std::vector<std::string> samples;
    std::vector<double> g(r), p(nf);
    for (std::size_t j = 0; j < ns; ++j) {
        bool const test = j >= spec.n_reference;
        std::size_t const k = test ? j - spec.n_reference : j;
        samples.push_back((test ? "test_" : "reference_") + std::to_string(k + 1));
        st.group.emplace_back(test ? "test" : "reference");
        Rng rng = Rng::stream(seed, 2 * k + (test ? 1 : 0));
        double const depth = m.depths[rng.below(r)] * depth_scale;
        for (double& v : g) v = normal_draw(rng);
        double total = 0;
        for (std::size_t f = 0; f < nf; ++f) {
            double const* s = m.scores.data() + f * r;
            double dot = 0;
            for (std::size_t q = 0; q < r; ++q) dot += s[q] * g[q];
            bool const has_scores = std::any_of(s, s + r, [](double v) { return v != 0; });
            double const e = normal_draw(rng);
            double const z = has_scores ? a * dot + b * e : e;
            double const u = normal_cdf(z);
            double const pi0 = m.zero_fraction[f];
            if (u < pi0) {
                p[f] = 0;
                continue;
            }
            double const v = pi0 < 1 ? (u - pi0) / (1 - pi0) : 0.5;
            p[f] = std::exp(interpolate(m.log_nonzero[f], v));
            if (test && !spec.fold.empty()) p[f] *= spec.fold[f];
            total += p[f];
        }
        for (std::size_t f = 0; f < nf; ++f) {
            if (p[f] == 0) continue;
            double const x = depth * p[f] / total;
            double c = std::floor(x);
            if (rng.uniform() < x - c) c += 1;
            entries.push_back({static_cast<std::uint32_t>(f), static_cast<std::uint32_t>(j), std::max(c, 1.0)});
        }
    }
    st.table = table::FeatureTable(m.feature_ids, std::move(samples), std::move(entries), m.lineages);
    return st;
}

std::vector<std::size_t> match_taxon(Model const& m, table::FeatureTable const& t, std::string const& taxon) {
    // A table without lineages often has them as ids (pandas / R collapses): parse the id then.
    auto matches = [&](std::string const& id, std::string const& lineage) {
        if (id == taxon) return true;
        auto const lin = taxonomy::parse_lineage(lineage.empty() ? id : lineage);
        auto const deepest = lin.deepest();
        return deepest && lin.name[static_cast<std::size_t>(*deepest)] == taxon;
    };
    std::vector<std::size_t> out;
    for (std::size_t f = 0; f < m.n_features(); ++f)
        if (matches(m.feature_ids[f], m.lineages.empty() ? std::string() : m.lineages[f])) out.push_back(f);
    if (!out.empty()) return out;
    for (std::size_t f = 0; f < t.n_features(); ++f)
        if (matches(t.feature_ids()[f], t.has_lineages() ? t.lineages()[f] : std::string()))
            throw UsageError("--effect: taxon '" + taxon + "' is absent from every reference sample, so it has no abundance to change",
                             "choose a taxon present in the reference group");
    throw UsageError("--effect: taxon '" + taxon + "' is not in the table (neither a feature id nor a name at its rank)",
                     "give a feature id or a name as in the lineages, e.g. Lactobacillus (after --rank genus)");
}

std::vector<std::size_t> random_features(Model const& m, double fraction, Rng& rng) {
    auto const nf = m.n_features();
    auto const k = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(nf)));
    std::vector<std::size_t> idx(nf);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    // Partial Fisher-Yates: the first k positions are a uniform k-subset.
    for (std::size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + rng.below(nf - i)]);
    idx.resize(k);
    std::sort(idx.begin(), idx.end());
    return idx;
}

}  // namespace orbiome::simulate
