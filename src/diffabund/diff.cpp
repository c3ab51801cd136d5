#include "diffabund/diff.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "diffabund/blocked.hpp"
#include "diffabund/lefse.hpp"
#include "diffabund/linda.hpp"
#include "diffabund/linear_model.hpp"
#include "diffabund/stats.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::diffabund {

namespace {

constexpr std::string_view kMethodNames[] = {"linda", "wilcoxon", "kruskal", "welch", "ratio", "lefse", "lm"};
constexpr std::string_view kTransformNames[] = {"relabund", "log", "clr"};
constexpr std::string_view kZeroHandlingNames[] = {"pseudocount", "imputation", "adaptive"};

struct GroupSummary {
    std::vector<double> mean, var, prevalence;
    std::vector<std::size_t> size;
};

GroupSummary summarise(std::span<double const> v, std::vector<std::size_t> const& group, std::size_t k) {
    GroupSummary g;
    g.mean.assign(k, 0);
    g.var.assign(k, 0);
    g.prevalence.assign(k, 0);
    g.size.assign(k, 0);
    for (std::size_t i = 0; i < v.size(); ++i) {
        g.mean[group[i]] += v[i];
        g.prevalence[group[i]] += v[i] != 0;
        ++g.size[group[i]];
    }
    for (std::size_t j = 0; j < k; ++j) {
        g.mean[j] /= static_cast<double>(g.size[j]);
        g.prevalence[j] /= static_cast<double>(g.size[j]);
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        double const dv = v[i] - g.mean[group[i]];
        g.var[group[i]] += dv * dv;
    }
    for (std::size_t j = 0; j < k; ++j) g.var[j] /= static_cast<double>(g.size[j] - 1);
    return g;
}

void log2_fold_change(GroupSummary const& g, std::size_t a, std::size_t b, double c, DiffRow& row) {
    row.effect = std::log2((g.mean[a] + c) / (g.mean[b] + c));
    double const ta = g.var[a] / (static_cast<double>(g.size[a]) * (g.mean[a] + c) * (g.mean[a] + c));
    double const tb = g.var[b] / (static_cast<double>(g.size[b]) * (g.mean[b] + c) * (g.mean[b] + c));
    row.se = std::sqrt(ta + tb) / std::numbers::ln2;
}

std::vector<std::size_t> members(Design const& d, std::size_t level) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < d.group.size(); ++i)
        if (d.group[i] == level) out.push_back(i);
    return out;
}

std::vector<double> pick(std::span<double const> v, std::vector<std::size_t> const& idx) {
    std::vector<double> out;
    out.reserve(idx.size());
    for (auto i : idx) out.push_back(v[i]);
    return out;
}

// Relative abundance per kept sample of every feature whose lineage names `taxon` at some rank
// (or whose id is `taxon`); throws UsageError when nothing matches.
std::vector<double> taxon_abundance(table::FeatureTable const& t, Design const& d, std::string const& taxon) {
    std::vector<bool> match(t.n_features(), false);
    std::size_t n_match = 0;
    for (std::size_t f = 0; f < t.n_features(); ++f) {
        bool m = t.feature_ids()[f] == taxon;
        if (!m && t.has_lineages()) {
            auto lin = taxonomy::parse_lineage(t.lineages()[f]);
            for (auto const& name : lin.name) m = m || name == taxon;
        }
        match[f] = m;
        n_match += m;
    }
    if (n_match == 0)
        throw UsageError("--ratio: no feature has '" + taxon + "' in its id or lineage",
                         "give a taxon name as it appears in the lineages, e.g. Firmicutes");
    std::vector<double> out;
    for (std::size_t s : d.samples) {
        auto feats = t.sample_features(s);
        auto vals = t.sample_values(s);
        double sum = 0;
        for (std::size_t k = 0; k < feats.size(); ++k)
            if (match[feats[k]]) sum += vals[k];
        out.push_back(sum / t.sample_total(s));
    }
    return out;
}
// The columns every per-feature test shares: id, lineage, and the group means and prevalences
// (returned too, for the fold change).
template <class Row>
GroupSummary describe_feature(DiffRow& row, table::FeatureTable const& t, Design const& d, std::size_t f, Row const& v,
                      std::size_t k) {
    row.feature = t.feature_ids()[d.features[f]];
    if (t.has_lineages()) row.lineage = t.lineages()[d.features[f]];
    auto g = summarise(v, d.group, k);
    row.mean = g.mean;
    row.prevalence = g.prevalence;
    return g;
}


// Wilcoxon / Kruskal with --subject (blocked.hpp).
DiffResult run_blocked(table::FeatureTable const& t, Design const& d, DiffOptions const& o) {
    bool const wilcoxon = o.method == DiffMethod::wilcoxon;
    std::size_t const k = d.levels.size();
    Blocks const blocks = make_blocks(d.subject, d.group, k);
    if (!blocks.testable())
        throw UsageError("--subject " + d.model.subject_column + ": fewer than 2 subjects have samples in every compared "
                             "group, and subjects are not nested in groups",
                         "use --method linda with (1|subject) for unbalanced repeated measures");
    double const c = o.pseudocount > 0 ? o.pseudocount : auto_pseudocount(d);
    DiffResult r;
    r.pseudocount = c;
    std::size_t const nf = d.n_features();
    r.rows.resize(nf);
    parallel_for(nf, o.n_threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t f = begin; f < end; ++f) {
            auto v = d.row(f);
            DiffRow& row = r.rows[f];
            auto const g = describe_feature(row, t, d, f, v, k);
            TestResult const tr = blocked_test(v, d.group, blocks, wilcoxon, d.test, d.reference);
            std::size_t hi = d.test, lo = d.reference;
            if (!wilcoxon && k > 2) {
                hi = static_cast<std::size_t>(std::max_element(g.mean.begin(), g.mean.end()) - g.mean.begin());
                lo = static_cast<std::size_t>(std::min_element(g.mean.begin(), g.mean.end()) - g.mean.begin());
            }
            log2_fold_change(g, hi, lo, c, row);
            row.tested = tr.tested;
            row.statistic = tr.tested ? tr.statistic : 0;
            row.p_value = tr.tested ? tr.p_value : 1;
            if (!tr.tested) row.se = 0;
        }
    });
    r.notes.push_back(blocked_test_note(blocks, wilcoxon, d.model.subject_column, d.levels[d.test],
                                        d.levels[d.reference]));
    return r;
}

DiffResult run_classical(table::FeatureTable const& t, Design const& d, DiffOptions const& o) {
    DiffResult r;
    std::size_t const k = d.levels.size();
    if (o.method != DiffMethod::kruskal && k != 2)
        throw UsageError("--method " + std::string(method_name(o.method)) + " compares two groups, but '" +
                             std::to_string(k) + "' levels are present",
                         "use --compare TEST,REF, or --method kruskal for more groups");
    if (!d.covariate_names.empty())
        throw UsageError("--method " + std::string(method_name(o.method)) + " cannot adjust for covariates",
                         "use --method linda for a formula with covariates");
    if (!d.subject.empty()) {
        if (o.method == DiffMethod::welch)
            throw UsageError("--method welch has no --subject form",
                             "use --method wilcoxon (paired) or linda with (1|subject)");
        return run_blocked(t, d, o);
    }
    double const c = o.pseudocount > 0 ? o.pseudocount : auto_pseudocount(d);
    r.pseudocount = c;
    auto const in_test = members(d, d.test), in_ref = members(d, d.reference);
    std::size_t const nf = d.n_features();
    r.rows.resize(nf);
    RankSumDistribution const* exact = nullptr;
    std::optional<RankSumDistribution> cache;
    if (o.method == DiffMethod::wilcoxon && in_test.size() < kWilcoxonExactLimit && in_ref.size() < kWilcoxonExactLimit) {
        cache.emplace(in_test.size(), in_ref.size());
        exact = &*cache;
    }
    parallel_for(nf, o.n_threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t f = begin; f < end; ++f) {
            auto v = d.row(f);
            DiffRow& row = r.rows[f];
            auto const g = describe_feature(row, t, d, f, v, k);
            TestResult tr;
            if (o.method == DiffMethod::kruskal) {
                tr = kruskal_wallis(v, d.group);
                auto hi = static_cast<std::size_t>(std::max_element(g.mean.begin(), g.mean.end()) - g.mean.begin());
                auto lo = static_cast<std::size_t>(std::min_element(g.mean.begin(), g.mean.end()) - g.mean.begin());
                if (k == 2) hi = d.test, lo = d.reference;
                log2_fold_change(g, hi, lo, c, row);
            } else {
                auto x = pick(v, in_test), y = pick(v, in_ref);
                tr = o.method == DiffMethod::wilcoxon ? wilcoxon_rank_sum(x, y, exact) : welch_t(x, y);
                log2_fold_change(g, d.test, d.reference, c, row);
            }
            row.tested = tr.tested;
            row.statistic = tr.tested ? tr.statistic : 0;
            row.p_value = tr.tested ? tr.p_value : 1;
            if (!tr.tested) row.se = 0;
        }
    });
    switch (o.method) {
    case DiffMethod::wilcoxon:
        r.notes.push_back("statistic: Wilcoxon W of " + d.levels[d.test] + " (R wilcox.test; exact p when both groups < 50 "
                          "and no ties, else normal approximation with tie and continuity correction)");
        break;
    case DiffMethod::kruskal:
        r.notes.push_back("statistic: Kruskal-Wallis H with tie correction, df = " + std::to_string(k - 1) +
                          "; effect: log2 of the highest over the lowest group mean");
        break;
    default:
        r.notes.push_back("statistic: Welch t of " + d.levels[d.test] + " - " + d.levels[d.reference]);
    }
    return r;
}

DiffResult run_ratio(table::FeatureTable const& t, Design const& d, DiffOptions const& o) {
    if (d.levels.size() != 2)
        throw UsageError("--method ratio compares two groups, but " + std::to_string(d.levels.size()) + " levels are present",
                         "use --compare TEST,REF");
    if (o.ratio.first.empty() || o.ratio.second.empty())
        throw UsageError("--method ratio needs --ratio NUMERATOR,DENOMINATOR (e.g. Firmicutes,Bacteroidetes)");
    if (!d.covariate_names.empty()) throw UsageError("--method ratio cannot adjust for covariates");
    double c = 0;
    auto const lr = taxon_log2_ratios(t, d, o.ratio, o.pseudocount, c);
    auto const num = taxon_abundance(t, d, o.ratio.first), den = taxon_abundance(t, d, o.ratio.second);
    std::vector<double> both(num.size());
    for (std::size_t i = 0; i < num.size(); ++i) both[i] = num[i] > 0 && den[i] > 0;
    auto const in_test = members(d, d.test), in_ref = members(d, d.reference);
    auto x = pick(lr, in_test), y = pick(lr, in_ref);
    auto g = summarise(lr, d.group, 2);
    auto prev = summarise(both, d.group, 2);
    auto w = welch_t(x, y);
    auto rs = wilcoxon_rank_sum(x, y);
    DiffResult r;
    r.pseudocount = c;
    r.extra_column = "test";
    std::string const name = "log2(" + o.ratio.first + "/" + o.ratio.second + ")";
    for (int which = 0; which < 2; ++which) {
        DiffRow row;
        row.feature = name;
        row.effect = g.mean[d.test] - g.mean[d.reference];
        row.mean = g.mean;
        row.prevalence = prev.mean;
        TestResult const& tr = which == 0 ? static_cast<TestResult const&>(w) : rs;
        row.tested = tr.tested;
        row.se = which == 0 && w.tested ? w.se : 0;
        row.statistic = tr.tested ? tr.statistic : 0;
        row.p_value = tr.tested ? tr.p_value : 1;
        row.q_value = row.p_value;
        row.extra = which == 0 ? "welch" : "wilcoxon";
        r.rows.push_back(std::move(row));
    }
    r.notes.push_back("per-sample log2((" + o.ratio.first + " + c) / (" + o.ratio.second +
                      " + c)) of summed relative abundances; effect = mean difference " + d.levels[d.test] + " - " +
                      d.levels[d.reference] + "; mean_<group> = mean log2 ratio; prevalence_<group> = fraction of "
                      "samples with both taxa present; one hypothesis per row, so q_value = p_value");
    return r;
}

}  // namespace

std::string_view method_name(DiffMethod m) { return kMethodNames[static_cast<int>(m)]; }

DiffMethod parse_method(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kMethodNames); ++i)
        if (name == kMethodNames[i]) return static_cast<DiffMethod>(i);
    throw UsageError("unknown --method '" + std::string(name) + "'",
                     "methods: linda (default), lm, wilcoxon, kruskal, welch, ratio, lefse");
}

std::string_view zero_handling_name(LindaZeroHandling z) { return kZeroHandlingNames[static_cast<int>(z)]; }

LindaZeroHandling parse_zero_handling(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kZeroHandlingNames); ++i)
        if (name == kZeroHandlingNames[i]) return static_cast<LindaZeroHandling>(i);
    throw UsageError("unknown --zero-handling '" + std::string(name) + "'", "choices: pseudocount (default), imputation, adaptive");
}

namespace {
constexpr std::string_view kBiasSeNames[] = {"paper", "propagated"};
}  // namespace

std::string_view bias_se_name(LindaBiasSe b) { return kBiasSeNames[static_cast<int>(b)]; }

LindaBiasSe parse_bias_se(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kBiasSeNames); ++i)
        if (name == kBiasSeNames[i]) return static_cast<LindaBiasSe>(i);
    throw UsageError("unknown --bias-se '" + std::string(name) + "'", "choices: propagated (default), paper");
}

double auto_pseudocount(Design const& d) {
    double smallest = std::numeric_limits<double>::infinity();
    for (double v : d.rel)
        if (v > 0) smallest = std::min(smallest, v);
    return smallest / 2;
}

std::string_view transform_name(Transform t) { return kTransformNames[static_cast<int>(t)]; }

Transform parse_transform(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kTransformNames); ++i)
        if (name == kTransformNames[i]) return static_cast<Transform>(i);
    throw UsageError("unknown --transform '" + std::string(name) + "'", "choices: clr (default), log, relabund");
}

void adjust_rows(std::vector<DiffRow>& rows) {
    std::vector<double> p;
    for (auto const& row : rows)
        if (row.tested) p.push_back(row.p_value);
    auto q = bh_adjust(p);
    std::size_t j = 0;
    for (auto& row : rows) row.q_value = row.tested ? q[j++] : 1.0;
}

DiffResult run_diff(table::FeatureTable const& t, Design const& d, DiffOptions const& o) {
    DiffResult r;
    switch (o.method) {
    case DiffMethod::wilcoxon:
    case DiffMethod::kruskal:
    case DiffMethod::welch:
        r = run_classical(t, d, o);
        adjust_rows(r.rows);
        break;
    case DiffMethod::ratio:
        r = run_ratio(t, d, o);
        break;
    case DiffMethod::lefse:
        r = run_lefse(t, d, o.lefse, o.n_threads);
        break;
    case DiffMethod::linda:
        r = run_linda(t, d, o.linda, o.n_threads);
        break;
    case DiffMethod::lm:
        r = run_lm(t, d, o.transform, o.pseudocount, o.n_threads);
        break;
    }
    r.method = o.method;
    r.levels = d.levels;
    if (!d.levels.empty()) {
        r.test_level = d.levels[d.test];
        r.reference_level = d.levels[d.reference];
    }
    r.n_untested = 0;
    for (auto const& row : r.rows) r.n_untested += !row.tested;
    return r;
}

void write_diff(DiffResult const& r, std::ostream& out) {
    out << "#method: " << method_name(r.method) << "\n";
    if (r.levels.size() == 2 && r.method != DiffMethod::lefse)
        out << "#effect: " << r.test_level << " vs " << r.reference_level << "\n";
    if (r.pseudocount > 0) out << "#pseudocount: " << format_double(r.pseudocount) << "\n";
    for (auto const& n : r.notes) out << "#" << n << "\n";
    out << "#not tested (values all equal in the compared samples; p_value = q_value = 1): " << r.n_untested << "\n";
    out << "feature\tlineage\teffect\tse\tstatistic\tp_value\tq_value";
    for (auto const& l : r.levels) out << "\tmean_" << l;
    for (auto const& l : r.levels) out << "\tprevalence_" << l;
    if (!r.extra_column.empty()) out << "\t" << r.extra_column;
    if (r.term_column) out << "\tterm";
    out << "\n";
    for (auto const& row : r.rows) {
        out << row.feature << "\t" << row.lineage << "\t" << format_double(row.effect) << "\t" << format_double(row.se)
            << "\t" << format_double(row.statistic) << "\t" << format_double(row.p_value) << "\t"
            << format_double(row.q_value);
        for (double m : row.mean) out << "\t" << format_double(m);
        for (double p : row.prevalence) out << "\t" << format_double(p);
        if (!r.extra_column.empty()) out << "\t" << row.extra;
        if (r.term_column) out << "\t" << row.term;
        out << "\n";
    }
}

std::vector<double> taxon_log2_ratios(table::FeatureTable const& t, Design const& d,
                                      std::pair<std::string, std::string> const& ratio, double pseudocount,
                                      double& used_pseudocount) {
    auto const num = taxon_abundance(t, d, ratio.first), den = taxon_abundance(t, d, ratio.second);
    double c = pseudocount;
    if (!(c > 0)) {
        double smallest = std::numeric_limits<double>::infinity();
        for (double v : num)
            if (v > 0) smallest = std::min(smallest, v);
        for (double v : den)
            if (v > 0) smallest = std::min(smallest, v);
        c = std::isfinite(smallest) ? smallest / 2 : 1.0;
    }
    used_pseudocount = c;
    std::vector<double> lr(num.size());
    for (std::size_t i = 0; i < num.size(); ++i) lr[i] = std::log2((num[i] + c) / (den[i] + c));
    return lr;
}

}  // namespace orbiome::diffabund
