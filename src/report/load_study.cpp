#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "report/html_report.hpp"
#include "report/tsv.hpp"

namespace orbiome::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// Floor of q before -log10, so a q of exactly 0 plots at the top instead of at infinity.
constexpr double kQFloor = std::numeric_limits<double>::min();
/// Significant features labelled by name in a volcano plot (the smallest q first).
constexpr std::size_t kVolcanoLabels = 6;
/// Comparisons whose test results are written under a chart's title; the rest are in the table
/// (a demo with ten comparisons would otherwise bury the chart under text).
constexpr std::size_t kSubtitleComparisons = 3;

struct Comparison {
    std::string test;
    std::string reference;
};

/// What every figure builder needs: where the files are, the sample -> group map, and the
/// comparisons' group pairs (from any file or parameter that names them).
struct Context {
    fs::path dir;
    ReportOptions options;
    std::map<std::string, std::string> group_of;
    std::vector<std::string> groups;
    std::map<std::string, Comparison> comparisons;
    std::vector<std::string> comparison_order;  ///< as the study file lists them
    StudyReport* report = nullptr;

    /// Orders per-comparison files ("<comparison>.<rest>") as the study lists its comparisons
    /// (its headline comparison first), then by name.
    void sort_by_comparison(std::vector<std::string>& files) const {
        auto rank = [&](std::string const& f) {
            std::size_t best = comparison_order.size(), best_len = 0;
            for (std::size_t i = 0; i < comparison_order.size(); ++i) {
                auto const& c = comparison_order[i];
                if (f.size() > c.size() && f.starts_with(c) && f[c.size()] == '.' && c.size() > best_len)
                    best = i, best_len = c.size();
            }
            return best;
        };
        std::stable_sort(files.begin(), files.end(), [&](std::string const& a, std::string const& b) {
            auto const ra = rank(a), rb = rank(b);
            return ra != rb ? ra < rb : a < b;
        });
    }

    std::optional<TsvTable> optional_table(std::string const& rel, std::string const& what) const {
        fs::path const p = dir / rel;
        if (!fs::exists(p)) {
            report->skipped.push_back(what + ": " + rel + " is absent");
            return std::nullopt;
        }
        return TsvTable::read(p.string());
    }
};

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
        {"chao1", "Chao1"},                {"faith_pd", "Faith PD"},     {"pielou_e", "Pielou evenness"},
        {"braycurtis", "Bray–Curtis"},     {"jaccard", "Jaccard"},       {"aitchison", "Aitchison"},
        {"unweighted_unifrac", "Unweighted UniFrac"}, {"weighted_unifrac", "Weighted UniFrac"},
        {"weighted_normalized_unifrac", "Weighted normalized UniFrac"}};
    auto it = kNames.find(m);
    return it == kNames.end() ? m : it->second;
}

std::string make_id(std::string const& s, std::set<std::string>& used) {
    std::string id;
    for (char c : s) {
        bool const ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (ok) id += c;
        else if (c >= 'A' && c <= 'Z') id += static_cast<char>(c - 'A' + 'a');
        else if (!id.empty() && id.back() != '-') id += '-';
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    std::string unique = id;
    for (int n = 2; !used.insert(unique).second; ++n) unique = id + "-" + std::to_string(n);
    return unique;
}

json number_or_null(std::optional<double> v) { return v ? json(*v) : json(nullptr); }

/// A result file as a sortable table. `label_column`, when given, is shown as a taxon label
/// (its long lineage key is shortened); `drop` columns are left out.
ResultTable table_from(TsvTable const& t, std::string const& section, std::string const& title,
                       std::optional<std::size_t> label_column = std::nullopt,
                       std::vector<std::string> const& drop = {}) {
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

void add_composition(Context& cx, std::string const& rank) {
    std::string const rank_title = std::string(1, static_cast<char>(rank[0] - 'a' + 'A')) + rank.substr(1);
    auto t = cx.optional_table("tables/" + rank + ".tsv", rank_title + " composition");
    if (!t) return;
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

std::string tests_line(std::string const& comparison, double p, std::optional<double> q) {
    std::string s = pretty_comparison(comparison) + ": p = " + fmt_p(p);
    if (q) s += ", q = " + fmt_p(*q);
    return s;
}

void add_alpha(Context& cx) {
    auto a = cx.optional_table("alpha/alpha.tsv", "Alpha diversity");
    if (!a) return;
    std::size_t const sid = a->require("sample_id");
    std::optional<TsvTable> tests;
    if (fs::exists(cx.dir / "alpha/tests.tsv")) tests = TsvTable::read((cx.dir / "alpha/tests.tsv").string());
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
        auto rt = table_from(*tests, "alpha", "Alpha diversity: Wilcoxon rank-sum tests");
        rt.id = "table-alpha-tests";
        cx.report->tables.push_back(std::move(rt));
    }
}

void add_beta(Context& cx) {
    fs::path const bdir = cx.dir / "beta";
    std::vector<std::string> files;
    if (fs::is_directory(bdir))
        for (auto const& e : fs::directory_iterator(bdir)) {
            std::string const n = e.path().filename().string();
            if (n.ends_with(".pcoa.tsv")) files.push_back(n);
        }
    cx.sort_by_comparison(files);
    if (files.empty()) {
        cx.report->skipped.push_back("PCoA: no beta/<comparison>.<metric>.pcoa.tsv file");
        return;
    }
    std::optional<TsvTable> perm;
    if (fs::exists(bdir / "permanova.tsv")) perm = TsvTable::read((bdir / "permanova.tsv").string());
    for (auto const& name : files) {
        std::string const stem = name.substr(0, name.size() - std::string_view(".pcoa.tsv").size());
        auto const dot = stem.rfind('.');
        std::string const comparison = dot == std::string::npos ? stem : stem.substr(0, dot);
        std::string const metric = dot == std::string::npos ? "" : stem.substr(dot + 1);
        auto const t = TsvTable::read((bdir / name).string());
        std::size_t const sid = t.require("sample_id"), pc1 = t.require("PC1");
        auto const pc2 = t.find("PC2");
        if (!pc2) {
            cx.report->skipped.push_back("PCoA " + stem + ": only one axis");
            continue;
        }
        std::string x_title = "PC1", y_title = "PC2";
        fs::path const eig = bdir / (stem + ".pcoa.eigenvalues.tsv");
        if (fs::exists(eig)) {
            auto const e = TsvTable::read(eig.string());
            auto const pcol = e.find("proportion_explained");
            if (pcol && e.n_rows() >= 2) {
                auto const p1 = e.number(0, *pcol), p2 = e.number(1, *pcol);
                if (p1) x_title += " (" + fmt_sig(100 * *p1, 3) + "%)";
                if (p2) y_title += " (" + fmt_sig(100 * *p2, 3) + "%)";
            }
        }
        Figure fig;
        fig.section = "beta";
        fig.kind = "pcoa";
        fig.id = "pcoa-" + stem;
        fig.title = pretty_metric(metric) + " PCoA: " + pretty_comparison(comparison);
        fig.columns = {"sample_id", "group", "PC1", "PC2"};
        std::vector<std::string> present;
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            auto it = cx.group_of.find(t.cell(r, sid));
            auto x = t.number(r, pc1), y = t.number(r, *pc2);
            if (it == cx.group_of.end() || !x || !y) continue;
            fig.rows.push_back({{"sample_id", it->first}, {"group", it->second}, {"PC1", *x}, {"PC2", *y}});
        }
        if (perm) {
            std::size_t const cc = perm->require("comparison"), mc = perm->require("metric"), tc = perm->require("term"),
                              rc = perm->require("r2"), pc = perm->require("p_value");
            for (std::size_t r = 0; r < perm->n_rows(); ++r) {
                std::string const& term = perm->cell(r, tc);
                if (perm->cell(r, cc) != comparison || perm->cell(r, mc) != metric || term == "Residual" || term == "Total")
                    continue;
                auto r2 = perm->number(r, rc), p = perm->number(r, pc);
                if (r2 && p) fig.subtitle = "PERMANOVA R² = " + fmt_sig(*r2, 2) + ", p = " + fmt_p(*p);
                break;
            }
        }
        fig.params = {{"x_title", x_title}, {"y_title", y_title}, {"groups", cx.groups}};
        cx.report->figures.push_back(std::move(fig));
    }
    if (perm) {
        auto rt = table_from(*perm, "beta", "PERMANOVA");
        rt.id = "table-permanova";
        cx.report->tables.push_back(std::move(rt));
    }
}

void add_ratio(Context& cx, json const& provenance) {
    auto t = cx.optional_table("ratio/log2_ratio.tsv", "Log2 ratio");
    if (!t) return;
    std::string name = "log2 ratio";
    // The ratio's taxa are a study parameter (docs/study.md, analysis.ratio), which
    // provenance.json repeats under "study".
    for (auto const* p : {"/study/analysis/ratio", "/parameters/analysis/ratio", "/parameters/ratio"}) {
        auto const ptr = json::json_pointer(p);
        if (provenance.contains(ptr) && provenance.at(ptr).is_array() && provenance.at(ptr).size() == 2 &&
            provenance.at(ptr)[0].is_string() && provenance.at(ptr)[1].is_string()) {
            name = "log2(" + provenance.at(ptr)[0].get<std::string>() + " / " + provenance.at(ptr)[1].get<std::string>() + ")";
            break;
        }
    }
    std::size_t const sid = t->require("sample_id"), lc = t->require("log2_ratio");
    Figure fig;
    fig.section = "ratio";
    fig.kind = "box";
    fig.id = "ratio-log2";
    fig.title = name == "log2 ratio" ? "Log2 ratio by group" : name + " by group";
    fig.columns = {"sample_id", "group", "log2_ratio"};
    std::size_t dropped = 0;
    for (std::size_t r = 0; r < t->n_rows(); ++r) {
        auto it = cx.group_of.find(t->cell(r, sid));
        auto v = t->number(r, lc);
        if (it == cx.group_of.end()) continue;
        if (!v) {
            ++dropped;
            continue;
        }
        fig.rows.push_back({{"sample_id", it->first}, {"group", it->second}, {"log2_ratio", *v}});
    }
    std::vector<std::string> lines;
    if (fs::exists(cx.dir / "ratio/tests.tsv")) {
        auto const tests = TsvTable::read((cx.dir / "ratio/tests.tsv").string());
        std::size_t const cc = tests.require("comparison");
        auto const wp = tests.find("welch_p"), xp = tests.find("wilcoxon_p");
        for (std::size_t r = 0; r < tests.n_rows(); ++r) {
            std::string s = pretty_comparison(tests.cell(r, cc)) + ":";
            if (wp) s += " Welch p = " + fmt_p(tests.number(r, *wp).value_or(NAN));
            if (xp) s += std::string(wp ? "," : "") + " Wilcoxon p = " + fmt_p(tests.number(r, *xp).value_or(NAN));
            lines.push_back(s);
        }
        auto rt = table_from(tests, "ratio", "Log2 ratio: Welch and Wilcoxon tests");
        rt.id = "table-ratio-tests";
        cx.report->tables.push_back(std::move(rt));
    }
    if (lines.size() > kSubtitleComparisons) {
        std::size_t const more = lines.size() - kSubtitleComparisons;
        lines.resize(kSubtitleComparisons);
        lines.push_back("… " + std::to_string(more) + " more comparisons in the table below");
    }
    if (dropped) lines.push_back(std::to_string(dropped) + " samples without a finite ratio left out");
    fig.subtitle = join(lines, "\n");
    fig.params = {{"y_field", "log2_ratio"}, {"y_title", name}, {"groups", cx.groups}};
    cx.report->figures.push_back(std::move(fig));
}

void add_diff(Context& cx) {
    fs::path const ddir = cx.dir / "diff";
    std::vector<std::string> files;
    if (fs::is_directory(ddir))
        for (auto const& e : fs::directory_iterator(ddir))
            if (e.path().extension() == ".tsv") files.push_back(e.path().filename().string());
    cx.sort_by_comparison(files);
    if (files.empty()) {
        cx.report->skipped.push_back("Differential abundance: no diff/<comparison>.<rank>.<method>.tsv file");
        return;
    }
    for (auto const& name : files) {
        std::string const stem = name.substr(0, name.size() - 4);
        auto const parts = split(stem, '.');
        std::string comparison = stem, rank, method;
        if (parts.size() >= 3) {
            method = parts.back();
            rank = parts[parts.size() - 2];
            comparison = stem.substr(0, stem.size() - method.size() - rank.size() - 2);
        }
        auto const t = TsvTable::read((ddir / name).string());
        std::size_t const fc = t.require("feature"), ec = t.require("effect"), qc = t.require("q_value");
        auto const pc = t.find("p_value");
        auto const cmp = cx.comparisons.find(comparison);
        std::string const up = cmp != cx.comparisons.end() ? "higher in " + cmp->second.test : "effect > 0";
        std::string const down = cmp != cx.comparisons.end() ? "higher in " + cmp->second.reference : "effect < 0";
        std::string const ns = "q ≥ " + fmt_sig(kSignificantQ, 2);

        std::vector<std::string> keys;
        for (std::size_t r = 0; r < t.n_rows(); ++r) keys.push_back(t.cell(r, fc));
        auto const labels = unique_labels(keys);
        struct Point {
            std::size_t row;
            double effect, q;
        };
        std::vector<Point> pts;
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            auto e = t.number(r, ec), q = t.number(r, qc);
            if (e && q) pts.push_back({r, *e, *q});
        }
        std::vector<Point> by_q = pts;
        std::stable_sort(by_q.begin(), by_q.end(), [](Point const& a, Point const& b) { return a.q < b.q; });
        std::set<std::size_t> labelled;
        for (auto const& p : by_q)
            if (p.q < kSignificantQ && labelled.size() < kVolcanoLabels) labelled.insert(p.row);
        std::size_t n_sig = 0;
        Figure fig;
        fig.section = "diff";
        fig.kind = "volcano";
        fig.id = "diff-" + stem;
        fig.title = pretty_comparison(comparison) + (rank.empty() ? "" : ": " + rank) + (method.empty() ? "" : " (" + method + ")");
        fig.columns = {"feature", "lineage", "effect", "p_value", "q_value", "neg_log10_q", "class"};
        for (auto const& p : pts) {
            bool const sig = p.q < kSignificantQ;
            n_sig += sig;
            fig.rows.push_back({{"feature", labels[p.row]},
                                {"lineage", t.cell(p.row, fc)},
                                {"effect", p.effect},
                                {"p_value", pc ? number_or_null(t.number(p.row, *pc)) : json(nullptr)},
                                {"q_value", p.q},
                                {"neg_log10_q", -std::log10(std::max(p.q, kQFloor))},
                                {"class", sig ? (p.effect >= 0 ? up : down) : ns},
                                {"label", labelled.count(p.row) ? labels[p.row] : ""}});
        }
        fig.subtitle = std::to_string(pts.size()) + " features tested, " + std::to_string(n_sig) + " with q < " +
                       fmt_sig(kSignificantQ, 2);
        std::vector<std::string> groups;
        if (cmp != cx.comparisons.end()) groups = {cmp->second.test, cmp->second.reference};
        fig.params = {{"x_title", method == "lefse" ? "LDA score" : "log2 fold change"},
                      {"classes", {up, down, ns}},
                      {"class_groups", groups},
                      {"q_line", -std::log10(kSignificantQ)}};
        cx.report->figures.push_back(std::move(fig));

        auto rt = table_from(t, "diff",
                             "Differential abundance: " + pretty_comparison(comparison) + (rank.empty() ? "" : ", " + rank) +
                                 (method.empty() ? "" : ", " + method),
                             fc, {"lineage"});
        rt.id = "table-diff-" + stem;
        cx.report->tables.push_back(std::move(rt));
    }
}

void add_assoc(Context& cx) {
    fs::path const p = cx.dir / "assoc/assoc.tsv";
    if (!fs::exists(p)) {
        cx.report->skipped.push_back("Association heat map: assoc/assoc.tsv is absent (no host variables or metabolites)");
        return;
    }
    auto const t = TsvTable::read(p.string());
    std::size_t const fc = t.require("feature"), vc = t.require("variable"), cc = t.require("coefficient"),
                      qc = t.require("q_value");
    auto const pc = t.find("p_value"), mc = t.find("method");
    // Features with the strongest evidence (smallest q over the variables) fill the map.
    std::map<std::string, double> best_q;
    std::vector<std::string> feature_order, variables;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        auto const& f = t.cell(r, fc);
        auto q = t.number(r, qc).value_or(1.0);
        if (!best_q.count(f)) {
            feature_order.push_back(f);
            best_q[f] = q;
        } else {
            best_q[f] = std::min(best_q[f], q);
        }
        if (std::find(variables.begin(), variables.end(), t.cell(r, vc)) == variables.end()) variables.push_back(t.cell(r, vc));
    }
    std::stable_sort(feature_order.begin(), feature_order.end(),
                     [&](std::string const& a, std::string const& b) { return best_q[a] < best_q[b]; });
    if (feature_order.size() > kHeatmapFeatures) feature_order.resize(kHeatmapFeatures);
    auto const labels = unique_labels(feature_order);
    std::map<std::string, std::string> label_of;
    for (std::size_t i = 0; i < feature_order.size(); ++i) label_of[feature_order[i]] = labels[i];
    std::vector<std::string> var_labels;
    for (auto const& v : variables) var_labels.push_back(taxon_label(v));

    Figure fig;
    fig.section = "assoc";
    fig.kind = "heatmap";
    fig.id = "assoc-heatmap";
    std::string const method = mc && t.n_rows() ? t.cell(0, *mc) : "";
    fig.title = "Associations" + (method.empty() ? "" : " (" + method + ")");
    fig.columns = {"feature", "variable", "coefficient", "p_value", "q_value", "mark"};
    std::size_t n_sig = 0;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        auto it = label_of.find(t.cell(r, fc));
        auto c = t.number(r, cc);
        if (it == label_of.end() || !c) continue;
        auto q = t.number(r, qc);
        bool const sig = q && *q < kSignificantQ;
        n_sig += sig;
        fig.rows.push_back({{"feature", it->second},
                            {"variable", taxon_label(t.cell(r, vc))},
                            {"coefficient", *c},
                            {"p_value", pc ? number_or_null(t.number(r, *pc)) : json(nullptr)},
                            {"q_value", number_or_null(q)},
                            {"mark", sig ? "*" : ""}});
    }
    fig.subtitle = std::to_string(feature_order.size()) + " features with the smallest q; * q < " + fmt_sig(kSignificantQ, 2) +
                   " (" + std::to_string(n_sig) + " pairs)";
    fig.params = {{"features", labels}, {"variables", var_labels}};
    cx.report->figures.push_back(std::move(fig));
    auto rt = table_from(t, "assoc", "Associations", fc);
    rt.id = "table-assoc";
    cx.report->tables.push_back(std::move(rt));
}

void read_comparisons(Context& cx, json const& provenance) {
    for (auto const* p : {"/study/comparisons", "/parameters/comparisons", "/comparisons"}) {
        auto const ptr = json::json_pointer(p);
        if (!provenance.contains(ptr) || !provenance.at(ptr).is_array()) continue;
        for (auto const& c : provenance.at(ptr))
            if (c.is_object() && c.value("name", json()).is_string() && c.value("test", json()).is_string() &&
                c.value("reference", json()).is_string())
            {
                std::string const name = c["name"].get<std::string>();
                if (cx.comparisons.emplace(name, Comparison{c["test"].get<std::string>(), c["reference"].get<std::string>()}).second)
                    cx.comparison_order.push_back(name);
            }
    }
    for (auto const* rel : {"alpha/tests.tsv", "ratio/tests.tsv"}) {
        if (!fs::exists(cx.dir / rel)) continue;
        auto const t = TsvTable::read((cx.dir / rel).string());
        auto const c = t.find("comparison"), te = t.find("test"), re = t.find("reference");
        if (!c || !te || !re) continue;
        for (std::size_t r = 0; r < t.n_rows(); ++r) cx.comparisons.try_emplace(t.cell(r, *c), Comparison{t.cell(r, *te), t.cell(r, *re)});
    }
}

std::string string_at(json const& j, std::initializer_list<char const*> pointers) {
    for (auto const* p : pointers) {
        auto const ptr = json::json_pointer(p);
        if (j.contains(ptr) && j.at(ptr).is_string()) return j.at(ptr).get<std::string>();
    }
    return "";
}

}  // namespace

std::string taxon_label(std::string const& key) {
    auto parts = split(key, ';');
    std::vector<std::string> names;
    for (auto p : parts) {
        auto s = std::string(trim(p));
        if (s.size() > 3 && s[1] == '_' && s[2] == '_' && s[0] >= 'a' && s[0] <= 'z') s = s.substr(3);
        if (!s.empty()) names.push_back(s);
    }
    if (names.empty()) return key;
    if (names.back() == "unassigned" && names.size() >= 2) return names[names.size() - 2] + " (unassigned)";
    return names.back();
}

StudyReport load_study(std::string const& dir, ReportOptions const& options) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw IoError(Errc::no_input, dir, "no such study directory");
    for (auto const* f : kRequiredFiles) {
        fs::path const p = fs::path(dir) / f;
        if (!fs::exists(p, ec))
            throw IoError(Errc::no_input, p.string(), "missing; not a study directory written by `orbiome run` (see docs/study.md)");
    }
    StudyReport report;
    report.generator = options.generator;
    Context cx{fs::path(dir), options, {}, {}, {}, {}, &report};

    std::string const prov_path = (cx.dir / "provenance.json").string();
    json provenance;
    {
        auto in = open_input(prov_path);
        provenance = json::parse(in, nullptr, false);
        if (provenance.is_discarded() || !provenance.is_object())
            fail_data(prov_path, 1, "not a JSON object", "provenance.json is written by `orbiome run`; was it edited?");
    }
    report.title = string_at(provenance, {"/study/name"});
    if (report.title.empty()) report.title = "orbiome study";
    report.version = string_at(provenance, {"/orbiome_version", "/version", "/orbiome/version"});
    report.created = string_at(provenance, {"/created", "/date", "/started", "/timestamp"});

    auto const samples = TsvTable::read((cx.dir / "samples.tsv").string());
    std::size_t const sc = samples.require("sample_id"), gc = samples.require("group");
    std::set<std::string> groups;
    for (std::size_t r = 0; r < samples.n_rows(); ++r) {
        if (!cx.group_of.emplace(samples.cell(r, sc), samples.cell(r, gc)).second)
            fail_data(samples.path(), samples.line(r), "sample '" + samples.cell(r, sc) + "' is listed twice");
        groups.insert(samples.cell(r, gc));
    }
    cx.groups.assign(groups.begin(), groups.end());
    report.groups = cx.groups;
    report.n_samples = samples.n_rows();
    read_comparisons(cx, provenance);

    add_composition(cx, "phylum");
    add_composition(cx, "genus");
    add_alpha(cx);
    add_beta(cx);
    add_ratio(cx, provenance);
    add_diff(cx);
    add_assoc(cx);

    std::set<std::string> used;
    for (auto& f : report.figures) f.id = make_id(f.id, used);
    for (auto& t : report.tables) t.id = make_id(t.id, used);
    return report;
}

}  // namespace orbiome::report
