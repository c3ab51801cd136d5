// The report's first sections: composition bars and alpha diversity, and the helpers every
// section shares.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "report/sections.hpp"

namespace orbiome::report::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
/// Comparisons whose test results are written under a chart's title; the rest are in the table
/// (a demo with ten comparisons would otherwise bury the chart under text).
constexpr std::size_t kSubtitleComparisons = 3;

json number_or_null(std::optional<double> v) { return v ? json(*v) : json(nullptr); }
}  // namespace

std::optional<TsvTable> Context::read_first(std::string const& kind) const {
    auto const* e = manifest.first(kind);
    if (!e) return std::nullopt;
    return read(*e);
}

std::string fmt_sig(double v, int digits) {
    if (!std::isfinite(v)) return "NA";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

std::string fmt_p(double p) { return fmt_sig(p, 2); }

std::string pretty_comparison(std::string s) {
    for (std::size_t pos = 0; (pos = s.find("_vs_", pos)) != std::string::npos;) s.replace(pos, 4, " vs "), pos += 4;
    return s;
}

std::string pretty_metric(std::string const& m) {
    static std::map<std::string, std::string> const kNames = {
        {"observed", "Observed features"}, {"shannon", "Shannon"},      {"simpson", "Simpson"},
        {"chao1", "Chao1"},                {"faith_pd", "Faith PD"},     {"pielou", "Pielou evenness"},
        {"braycurtis", "Bray–Curtis"},     {"jaccard", "Jaccard"},       {"aitchison", "Aitchison"},
        {"unweighted_unifrac", "Unweighted UniFrac"}, {"weighted_unifrac", "Weighted UniFrac"},
        {"weighted_normalized_unifrac", "Weighted normalized UniFrac"},
        {"inverse_simpson", "Inverse Simpson"}, {"ace", "ACE"}, {"hill_0", "Hill number q = 0"},
        {"hill_1", "Hill number q = 1"}, {"hill_2", "Hill number q = 2"}};
    auto it = kNames.find(m);
    return it == kNames.end() ? m : it->second;
}

/// A result file as a sortable table. `label_column`, when given, is shown as a taxon label
/// (its long lineage key is shortened); `drop` columns are left out.
ResultTable table_from(TsvTable const& t, std::string const& section, std::string const& title,
                       std::optional<std::size_t> label_column, std::vector<std::string> const& drop) {
    ResultTable rt;
    rt.section = section;
    rt.title = title;
    std::vector<std::size_t> cols;
    for (std::size_t c = 0; c < t.columns().size(); ++c) {
        if (std::find(drop.begin(), drop.end(), t.columns()[c]) != drop.end()) continue;
        cols.push_back(c);
        rt.columns.push_back(t.columns()[c]);
        bool numeric = t.n_rows() > 0;
        for (std::size_t r = 0; r < t.n_rows() && numeric; ++r) {
            std::string_view s = t.cell(r, c);
            if (is_missing(s)) continue;
            try {
                (void)t.number(r, c);
            } catch (Error const&) {
                numeric = false;
            }
        }
        if (label_column && c == *label_column) numeric = false;
        rt.numeric.push_back(numeric);
    }
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        json row = json::array();
        for (std::size_t k = 0; k < cols.size(); ++k) {
            std::size_t const c = cols[k];
            if (label_column && c == *label_column) row.push_back(taxon_label(t.cell(r, c)));
            else if (rt.numeric[k]) row.push_back(number_or_null(t.number(r, c)));
            else row.push_back(t.cell(r, c));
        }
        rt.rows.push_back(std::move(row));
    }
    return rt;
}

/// Labels for collapse keys, made unique by adding the parent level where two taxa share a name.
std::vector<std::string> unique_labels(std::vector<std::string> const& keys) {
    std::vector<std::string> labels;
    std::map<std::string, int> count;
    for (auto const& k : keys) ++count[labels.emplace_back(taxon_label(k))];
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (count[labels[i]] < 2) continue;
        auto const parts = split(keys[i], ';');
        if (parts.size() >= 2) labels[i] += " (" + taxon_label(std::string(parts[parts.size() - 2])) + ")";
    }
    return labels;
}

namespace {

void add_composition(Context& cx, ManifestEntry const& entry) {
    std::string const& rank = entry.rank;
    std::string const rank_title = std::string(1, static_cast<char>(rank[0] - 'a' + 'A')) + rank.substr(1);
    auto t = std::optional<TsvTable>(cx.read(entry));
    std::size_t const fcol = t->find("feature_id").value_or(0);
    std::vector<std::size_t> scols;
    for (std::size_t c = 0; c < t->columns().size(); ++c)
        if (c != fcol && cx.group_of.count(t->columns()[c])) scols.push_back(c);
    std::size_t const nf = t->n_rows();
    // Relative abundance per sample; samples with no counts have none and are left out.
    std::vector<std::vector<double>> rel(nf);
    std::vector<std::size_t> used;
    for (std::size_t k = 0; k < scols.size(); ++k) {
        double total = 0;
        std::vector<double> col(nf);
        for (std::size_t f = 0; f < nf; ++f) total += col[f] = t->number(f, scols[k]).value_or(0.0);
        if (total <= 0) continue;
        used.push_back(scols[k]);
        for (std::size_t f = 0; f < nf; ++f) rel[f].push_back(col[f] / total);
    }
    if (used.empty() || nf == 0) {
        cx.report->skipped.push_back(rank_title + " composition: no sample of samples.tsv has counts in tables/" + rank + ".tsv");
        return;
    }
    std::vector<double> overall(nf, 0.0);
    for (std::size_t f = 0; f < nf; ++f)
        for (double v : rel[f]) overall[f] += v / static_cast<double>(used.size());
    std::vector<std::size_t> order(nf);
    for (std::size_t f = 0; f < nf; ++f) order[f] = f;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return overall[a] > overall[b]; });
    std::vector<std::size_t> top;
    for (std::size_t f : order)
        if (top.size() < cx.options.top_taxa && overall[f] > 0) top.push_back(f);
    std::vector<std::string> keys;
    for (std::size_t f : top) keys.push_back(t->cell(f, fcol));
    auto labels = unique_labels(keys);
    bool const has_other = top.size() < nf;
    if (has_other) labels.emplace_back("Other");

    Figure fig;
    fig.section = "composition";
    fig.kind = "stacked_bar";
    fig.title = rank_title + " composition by group";
    static std::map<std::string, std::string> const kPlural = {{"phylum", "phyla"}, {"class", "classes"},
                                                               {"family", "families"}, {"genus", "genera"}};
    std::string const plural = kPlural.count(rank) ? kPlural.at(rank) : rank;
    fig.subtitle = "mean relative abundance; " +
                   (has_other ? "top " + std::to_string(top.size()) + " " + plural + " + Other"
                              : "all " + std::to_string(top.size()) + " " + plural);
    fig.columns = {"group", "taxon", "mean_relative_abundance", "n_samples", "order"};
    std::vector<std::string> groups_used;
    for (auto const& g : cx.groups) {
        std::vector<std::size_t> idx;
        for (std::size_t k = 0; k < used.size(); ++k)
            if (cx.group_of[t->columns()[used[k]]] == g) idx.push_back(k);
        if (idx.empty()) continue;
        groups_used.push_back(g);
        double top_sum = 0;
        for (std::size_t i = 0; i < top.size(); ++i) {
            double m = 0;
            for (std::size_t k : idx) m += rel[top[i]][k];
            m /= static_cast<double>(idx.size());
            top_sum += m;
            fig.rows.push_back({{"group", g}, {"taxon", labels[i]}, {"mean_relative_abundance", m},
                                {"n_samples", idx.size()}, {"order", i}});
        }
        if (has_other)
            fig.rows.push_back({{"group", g}, {"taxon", "Other"}, {"mean_relative_abundance", std::max(0.0, 1.0 - top_sum)},
                                {"n_samples", idx.size()}, {"order", top.size()}});
    }
    fig.params = {{"taxa", labels}, {"groups", groups_used}, {"rank", rank_title}};
    fig.id = "composition-" + rank;
    cx.report->figures.push_back(std::move(fig));
}

}  // namespace

void composition_section(Context& cx, std::vector<ManifestEntry> const& tables) {
    // Phylum and genus bars, in that order, when the study wrote those tables.
    for (auto const* rank : {"phylum", "genus"})
        for (auto const& e : tables)
            if (e.rank == rank) add_composition(cx, e);
}

namespace {
std::string tests_line(std::string const& comparison, double p, std::optional<double> q) {
    std::string s = pretty_comparison(comparison) + ": p = " + fmt_p(p);
    if (q) s += ", q = " + fmt_p(*q);
    return s;
}

}  // namespace

void alpha_section(Context& cx, std::vector<ManifestEntry> const& entries) {
    if (entries.empty()) return;
    auto a = std::optional<TsvTable>(cx.read(entries.front()));
    std::size_t const sid = a->require("sample_id");
    auto const tests = cx.read_first("alpha_tests");
    for (std::size_t c = 0; c < a->columns().size(); ++c) {
        if (c == sid) continue;
        std::string const& metric = a->columns()[c];
        Figure fig;
        fig.section = "alpha";
        fig.kind = "box";
        fig.id = "alpha-" + metric;
        fig.title = pretty_metric(metric);
        fig.columns = {"sample_id", "group", "value"};
        for (std::size_t r = 0; r < a->n_rows(); ++r) {
            auto it = cx.group_of.find(a->cell(r, sid));
            auto v = a->number(r, c);
            if (it == cx.group_of.end() || !v) continue;
            fig.rows.push_back({{"sample_id", it->first}, {"group", it->second}, {"value", *v}});
        }
        if (tests) {
            std::size_t const tc = tests->require("comparison"), tm = tests->require("metric"),
                              tp = tests->require("p_value");
            auto const tq = tests->find("q_value");
            std::vector<std::string> lines;
            for (std::size_t r = 0; r < tests->n_rows(); ++r) {
                if (tests->cell(r, tm) != metric) continue;
                auto p = tests->number(r, tp);
                if (!p) continue;
                lines.push_back(tests_line(tests->cell(r, tc), *p, tq ? tests->number(r, *tq) : std::nullopt));
            }
            if (lines.size() > kSubtitleComparisons) {
                std::size_t const more = lines.size() - kSubtitleComparisons;
                lines.resize(kSubtitleComparisons);
                lines.push_back("… " + std::to_string(more) + " more comparisons in the table below");
            }
            fig.subtitle = join(lines, "\n");
        }
        fig.params = {{"y_field", "value"}, {"y_title", pretty_metric(metric)}, {"groups", cx.groups}};
        cx.report->figures.push_back(std::move(fig));
    }
    if (tests) {
        auto rt = table_from(*tests, "alpha", "Alpha diversity: Wilcoxon tests (the method column says which form)");
        rt.id = "table-alpha-tests";
        cx.report->tables.push_back(std::move(rt));
    }
}


}  // namespace orbiome::report::detail
