// The report's result sections: beta diversity, the phylum ratio, differential abundance and
// associations. Each reads the files its manifest entries name.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "core/text.hpp"
#include "report/sections.hpp"

namespace orbiome::report::detail {

using nlohmann::json;

namespace {

/// Floor of q before -log10, so a q of exactly 0 plots at the top instead of at infinity.
constexpr double kQFloor = std::numeric_limits<double>::min();
/// Significant features labelled by name in a volcano plot (the smallest q first, as long as
/// the labels do not overlap), and how many candidates are tried for those places.
constexpr std::size_t kVolcanoLabels = 6;
constexpr std::size_t kVolcanoCandidates = 24;
/// The volcano's plot area as the page lays it out (report.js: 'container' width of a half
/// column, height 300), in pixels, and the label font's average glyph width and line height.
/// Label boxes are placed in this frame; a wider page only spreads them further apart.
constexpr double kPlotWidth = 440, kPlotHeight = 300, kGlyphWidth = 6.0, kLabelHeight = 13;
/// Rows of the association top-hits table; the full table is the TSV file, linked.
constexpr std::size_t kAssocTopHits = 100;
/// Variables (columns) of the association heat map, as kHeatmapFeatures are its rows.
constexpr std::size_t kHeatmapVariables = 30;
constexpr std::size_t kSubtitleComparisons = 3;

json number_or_null(std::optional<double> v) { return v ? json(*v) : json(nullptr); }

/// Index of `name` in the study's comparison order (provenance), or the end.
std::size_t comparison_rank(Context const& cx, std::string const& name) {
    auto const& list = cx.provenance.value("study", json::object()).value("comparisons", json::array());
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].value("name", "") == name) return i;
    return list.size();
}

std::vector<ManifestEntry> by_comparison(Context const& cx, std::vector<ManifestEntry> entries) {
    std::stable_sort(entries.begin(), entries.end(), [&](ManifestEntry const& a, ManifestEntry const& b) {
        return comparison_rank(cx, a.comparison) < comparison_rank(cx, b.comparison);
    });
    return entries;
}

}  // namespace

void beta_section(Context& cx, std::vector<ManifestEntry> const& entries) {
    auto const perm = cx.read_first("permanova");
    std::string const group = cx.manifest.methods.value("load", json::object()).value("group", "");
    auto sorted = by_comparison(cx, entries);
    std::stable_sort(sorted.begin(), sorted.end(), [&](ManifestEntry const& a, ManifestEntry const& b) {
        auto const ra = comparison_rank(cx, a.comparison), rb = comparison_rank(cx, b.comparison);
        return ra != rb ? ra < rb : a.metric < b.metric;
    });
    for (auto const& e : sorted) {
        std::string const stem = e.comparison + "." + e.metric;
        auto const t = cx.read(e);
        std::size_t const sid = t.require("sample_id"), pc1 = t.require("PC1");
        auto const pc2 = t.find("PC2");
        if (!pc2) {
            cx.report->skipped.push_back("PCoA " + stem + ": only one axis");
            continue;
        }
        std::string x_title = "PC1", y_title = "PC2";
        for (auto const& eig : cx.manifest.of_kind("pcoa_eigenvalues")) {
            if (eig.comparison != e.comparison || eig.metric != e.metric) continue;
            auto const ev = cx.read(eig);
            auto const pcol = ev.find("proportion_explained");
            if (pcol && ev.n_rows() >= 2) {
                auto const p1 = ev.number(0, *pcol), p2 = ev.number(1, *pcol);
                if (p1) x_title += " (" + fmt_sig(100 * *p1, 3) + "%)";
                if (p2) y_title += " (" + fmt_sig(100 * *p2, 3) + "%)";
            }
        }
        Figure fig;
        fig.section = "beta";
        fig.kind = "pcoa";
        fig.id = "pcoa-" + stem;
        fig.title = pretty_metric(e.metric) + " PCoA: " + pretty_comparison(e.comparison);
        fig.columns = {"sample_id", "group", "PC1", "PC2"};
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            auto it = cx.group_of.find(t.cell(r, sid));
            auto x = t.number(r, pc1), y = t.number(r, *pc2);
            if (it == cx.group_of.end() || !x || !y) continue;
            fig.rows.push_back({{"sample_id", it->first}, {"group", it->second}, {"PC1", *x}, {"PC2", *y}});
        }
        if (perm) {
            std::size_t const cc = perm->require("comparison"), mc = perm->require("metric"), tc = perm->require("term"),
                              rc = perm->require("r2"), pc = perm->require("p_value");
            // The group's row (after any covariates); else the first term.
            std::optional<std::size_t> row;
            for (std::size_t r = 0; r < perm->n_rows(); ++r) {
                std::string const& term = perm->cell(r, tc);
                if (perm->cell(r, cc) != e.comparison || perm->cell(r, mc) != e.metric || term == "Residual" || term == "Total")
                    continue;
                if (!row || term == group) row = r;
                if (term == group) break;
            }
            if (row) {
                auto r2 = perm->number(*row, rc), p = perm->number(*row, pc);
                if (r2 && p) fig.subtitle = "PERMANOVA R² = " + fmt_sig(*r2, 2) + ", p = " + fmt_p(*p);
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

void ratio_section(Context& cx, std::vector<ManifestEntry> const& entries) {
    if (entries.empty()) return;
    auto const& e = entries.front();
    auto const t = cx.read(e);
    // The manifest's metric is "numerator/denominator", the taxa as the table names them.
    std::string name = "log2 ratio";
    if (auto const slash = e.metric.find('/'); slash != std::string::npos)
        name = "log2(" + e.metric.substr(0, slash) + " / " + e.metric.substr(slash + 1) + ")";
    std::size_t const sid = t.require("sample_id"), lc = t.require("log2_ratio");
    Figure fig;
    fig.section = "ratio";
    fig.kind = "box";
    fig.id = "ratio-log2";
    fig.title = name + " by group";
    fig.columns = {"sample_id", "group", "log2_ratio"};
    std::size_t dropped = 0;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        auto it = cx.group_of.find(t.cell(r, sid));
        auto v = t.number(r, lc);
        if (it == cx.group_of.end()) continue;
        if (!v) {
            ++dropped;
            continue;
        }
        fig.rows.push_back({{"sample_id", it->first}, {"group", it->second}, {"log2_ratio", *v}});
    }
    std::vector<std::string> lines;
    if (auto const tests = cx.read_first("ratio_tests")) {
        // Two rows per comparison (`test` = welch, wilcoxon), in the study's order.
        std::size_t const cc = tests->require("comparison"), tc = tests->require("test"), pc = tests->require("p_value");
        std::vector<std::string> order;
        std::map<std::string, std::map<std::string, double>> p;
        for (std::size_t r = 0; r < tests->n_rows(); ++r) {
            auto const& c = tests->cell(r, cc);
            if (!p.count(c)) order.push_back(c);
            p[c][tests->cell(r, tc)] = tests->number(r, pc).value_or(NAN);
        }
        for (auto const& c : order) {
            std::string s = pretty_comparison(c) + ":";
            if (p[c].count("welch")) s += " Welch p = " + fmt_p(p[c]["welch"]);
            if (p[c].count("wilcoxon")) s += std::string(p[c].count("welch") ? "," : "") + " Wilcoxon p = " + fmt_p(p[c]["wilcoxon"]);
            lines.push_back(s);
        }
        auto rt = table_from(*tests, "ratio", "Log2 ratio: Welch and Wilcoxon tests", std::nullopt, {"lineage"});
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

namespace {

struct Box {
    double x0, y0, x1, y1;
    bool overlaps(Box const& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

/// Places up to kVolcanoLabels labels of the most significant points so that no two overlap
/// and none leaves the plot: for each point (smallest q first) the first free place among
/// above-right, above-left, below-right, below-left. Sets `label`, `label_x`, `label_y` (data
/// units of the label's anchor) and `label_side` ("right": text starts at the anchor; "left":
/// it ends there) on the rows that get one.
void place_volcano_labels(json& rows, double max_abs_effect, double max_y) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i]["significant"].get<bool>()) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return rows[a]["q_value"].get<double>() < rows[b]["q_value"].get<double>();
    });
    if (order.size() > kVolcanoCandidates) order.resize(kVolcanoCandidates);
    double const xr = max_abs_effect * 1.05, yr = max_y > 0 ? max_y * 1.05 : 1;
    auto px = [&](double x) { return (x + xr) / (2 * xr) * kPlotWidth; };
    auto py = [&](double y) { return kPlotHeight - y / yr * kPlotHeight; };
    std::vector<Box> placed;
    // Points are obstacles too, so a label never covers a labelled point.
    for (auto i : order) {
        double const x = px(rows[i]["effect"].get<double>()), y = py(rows[i]["neg_log10_q"].get<double>());
        placed.push_back({x - 3, y - 3, x + 3, y + 3});
    }
    std::size_t n_labels = 0;
    for (auto i : order) {
        if (n_labels == kVolcanoLabels) break;
        std::string const text = rows[i]["label_text"].get<std::string>();
        double const w = kGlyphWidth * static_cast<double>(text.size()) + 2;
        double const x = px(rows[i]["effect"].get<double>()), y = py(rows[i]["neg_log10_q"].get<double>());
        struct Place {
            double ax, ay;
            bool right;
        };
        Place const places[] = {{x + 5, y - 4, true}, {x - 5, y - 4, false}, {x + 5, y + 4 + kLabelHeight, true},
                                {x - 5, y + 4 + kLabelHeight, false}};
        for (auto const& p : places) {
            Box const b{p.right ? p.ax : p.ax - w, p.ay - kLabelHeight, p.right ? p.ax + w : p.ax, p.ay};
            if (b.x0 < 0 || b.x1 > kPlotWidth || b.y0 < 0 || b.y1 > kPlotHeight) continue;
            if (std::any_of(placed.begin(), placed.end(), [&](Box const& o) { return b.overlaps(o); })) continue;
            placed.push_back(b);
            rows[i]["label"] = text;
            rows[i]["label_x"] = p.ax / kPlotWidth * 2 * xr - xr;
            rows[i]["label_y"] = (kPlotHeight - p.ay) / kPlotHeight * yr;
            rows[i]["label_side"] = p.right ? "right" : "left";
            ++n_labels;
            break;
        }
    }
    for (auto& r : rows) {
        r.erase("label_text");
        r.erase("significant");
    }
}

}  // namespace

void diff_section(Context& cx, std::vector<ManifestEntry> const& entries) {
    for (auto const& e : by_comparison(cx, entries)) {
        auto const t = cx.read(e);
        std::size_t const fc = t.require("feature"), ec = t.require("effect"), qc = t.require("q_value");
        auto const pc = t.find("p_value");
        auto const cmp = cx.comparisons.find(e.comparison);
        std::string const up = cmp != cx.comparisons.end() ? "higher in " + cmp->second.test : "effect > 0";
        std::string const down = cmp != cx.comparisons.end() ? "higher in " + cmp->second.reference : "effect < 0";
        std::string const ns = "q ≥ " + fmt_sig(kSignificantQ, 2);
        std::string const stem = e.comparison + "." + e.rank + "." + e.method;

        std::vector<std::string> keys;
        for (std::size_t r = 0; r < t.n_rows(); ++r) keys.push_back(t.cell(r, fc));
        auto const labels = unique_labels(keys);
        std::size_t n_sig = 0, n_points = 0;
        double max_abs = 1, max_y = 0;
        Figure fig;
        fig.section = "diff";
        fig.kind = "volcano";
        fig.id = "diff-" + stem;
        fig.title = pretty_comparison(e.comparison) + ": " + e.rank + " (" + e.method + ")";
        fig.columns = {"feature", "lineage", "effect", "p_value", "q_value", "neg_log10_q", "class"};
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            auto ef = t.number(r, ec), q = t.number(r, qc);
            if (!ef || !q) continue;
            bool const sig = *q < kSignificantQ;
            n_sig += sig;
            ++n_points;
            double const y = -std::log10(std::max(*q, kQFloor));
            max_abs = std::max(max_abs, std::abs(*ef));
            max_y = std::max(max_y, y);
            fig.rows.push_back({{"feature", labels[r]},
                                {"lineage", t.cell(r, fc)},
                                {"effect", *ef},
                                {"p_value", pc ? number_or_null(t.number(r, *pc)) : json(nullptr)},
                                {"q_value", *q},
                                {"neg_log10_q", y},
                                {"class", sig ? (*ef >= 0 ? up : down) : ns},
                                {"label", ""},
                                {"label_text", labels[r]},
                                {"significant", sig}});
        }
        // The y axis always shows the q = 0.05 line, even when no feature comes near it.
        max_y = std::max(max_y, -std::log10(kSignificantQ));
        place_volcano_labels(fig.rows, max_abs, max_y);
        fig.subtitle = std::to_string(n_points) + " features tested, " + std::to_string(n_sig) + " with q < " +
                       fmt_sig(kSignificantQ, 2);
        std::vector<std::string> groups;
        if (cmp != cx.comparisons.end()) groups = {cmp->second.test, cmp->second.reference};
        fig.params = {{"x_title", e.method == "lefse" ? "LDA score" : "log2 fold change"},
                      {"classes", {up, down, ns}},
                      {"class_groups", groups},
                      {"q_line", -std::log10(kSignificantQ)},
                      {"x_max", max_abs * 1.05},
                      {"y_max", max_y * 1.05}};
        cx.report->figures.push_back(std::move(fig));

        auto rt = table_from(t, "diff",
                             "Differential abundance: " + pretty_comparison(e.comparison) + ", " + e.rank + ", " + e.method,
                             fc, {"lineage"});
        rt.id = "table-diff-" + stem;
        rt.source = e.path;
        cx.report->tables.push_back(std::move(rt));
    }
}

namespace {

/// Leaf order of average-linkage hierarchical clustering (UPGMA) of the rows of `m` (n x k,
/// row-major) under Euclidean distance: similar rows end up next to each other. Ties merge the
/// lowest indices first, so the order is deterministic. O(n^3); n is at most a few dozen here.
std::vector<std::size_t> cluster_order(std::vector<double> const& m, std::size_t n, std::size_t k) {
    std::vector<std::vector<double>> d(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            double s = 0;
            for (std::size_t c = 0; c < k; ++c) s += (m[i * k + c] - m[j * k + c]) * (m[i * k + c] - m[j * k + c]);
            d[i][j] = d[j][i] = std::sqrt(s);
        }
    std::vector<std::vector<std::size_t>> members(n);
    std::vector<bool> alive(n, true);
    for (std::size_t i = 0; i < n; ++i) members[i] = {i};
    for (std::size_t step = 1; step < n; ++step) {
        std::size_t bi = 0, bj = 0;
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n && alive[i]; ++j)
                if (alive[j] && d[i][j] < best) best = d[i][j], bi = i, bj = j;
        double const ni = static_cast<double>(members[bi].size()), nj = static_cast<double>(members[bj].size());
        for (std::size_t x = 0; x < n; ++x)
            if (alive[x] && x != bi && x != bj) d[bi][x] = d[x][bi] = (ni * d[bi][x] + nj * d[bj][x]) / (ni + nj);
        members[bi].insert(members[bi].end(), members[bj].begin(), members[bj].end());
        alive[bj] = false;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (alive[i]) return members[i];
    return {};
}

}  // namespace

void assoc_section(Context& cx, std::vector<ManifestEntry> const& entries) {
    if (entries.empty()) return;
    auto const& e = entries.front();
    auto const t = cx.read(e);
    std::size_t const fc = t.require("feature"), vc = t.require("variable"), cc = t.require("coefficient"),
                      qc = t.require("q_value");
    auto const pc = t.find("p_value"), mc = t.find("method");
    // The features and variables with the strongest evidence (smallest q of any pair) fill the map.
    std::map<std::string, double> best_f, best_v;
    std::vector<std::string> features, variables;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        double const q = t.number(r, qc).value_or(1.0);
        for (auto [map, list, key] : {std::tuple{&best_f, &features, &t.cell(r, fc)}, std::tuple{&best_v, &variables, &t.cell(r, vc)}}) {
            auto [it, fresh] = map->try_emplace(*key, q);
            if (fresh) list->push_back(*key);
            else it->second = std::min(it->second, q);
        }
    }
    auto top = [](std::vector<std::string> list, std::map<std::string, double> const& best, std::size_t n) {
        std::stable_sort(list.begin(), list.end(), [&](auto const& a, auto const& b) { return best.at(a) < best.at(b); });
        if (list.size() > n) list.resize(n);
        return list;
    };
    features = top(features, best_f, kHeatmapFeatures);
    variables = top(variables, best_v, kHeatmapVariables);
    std::map<std::string, std::size_t> fi, vi;
    for (std::size_t i = 0; i < features.size(); ++i) fi[features[i]] = i;
    for (std::size_t i = 0; i < variables.size(); ++i) vi[variables[i]] = i;
    std::vector<double> coef(features.size() * variables.size(), 0.0);
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        auto f = fi.find(t.cell(r, fc));
        auto v = vi.find(t.cell(r, vc));
        if (f != fi.end() && v != vi.end()) coef[f->second * variables.size() + v->second] = t.number(r, cc).value_or(0.0);
    }
    // Cluster rows and columns so that features (variables) with similar profiles sit together.
    auto const forder = cluster_order(coef, features.size(), variables.size());
    std::vector<double> coef_t(coef.size());
    for (std::size_t f = 0; f < features.size(); ++f)
        for (std::size_t v = 0; v < variables.size(); ++v) coef_t[v * features.size() + f] = coef[f * variables.size() + v];
    auto const vorder = cluster_order(coef_t, variables.size(), features.size());
    std::vector<std::string> ordered_f, ordered_v;
    for (auto i : forder) ordered_f.push_back(features[i]);
    for (auto i : vorder) ordered_v.push_back(variables[i]);
    auto const labels = unique_labels(ordered_f);
    std::map<std::string, std::string> label_of;
    for (std::size_t i = 0; i < ordered_f.size(); ++i) label_of[ordered_f[i]] = labels[i];
    std::vector<std::string> var_labels;
    for (auto const& v : ordered_v) var_labels.push_back(taxon_label(v));

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
        if (it == label_of.end() || !vi.count(t.cell(r, vc)) || !c) continue;
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
    fig.subtitle = std::to_string(ordered_f.size()) + " features x " + std::to_string(ordered_v.size()) +
                   " variables with the smallest q, clustered (average linkage); * q < " + fmt_sig(kSignificantQ, 2) +
                   " (" + std::to_string(n_sig) + " pairs)";
    fig.params = {{"features", labels}, {"variables", var_labels}};
    cx.report->figures.push_back(std::move(fig));

    // Top hits by q (then |coefficient|); the full table stays in the TSV file.
    std::vector<std::size_t> rows(t.n_rows());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
    auto key = [&](std::size_t r) { return std::pair{t.number(r, qc).value_or(2.0), -std::abs(t.number(r, cc).value_or(0.0))}; };
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    auto rt = table_from(t, "assoc", "", fc);
    json top_rows = json::array();
    for (std::size_t i = 0; i < rows.size() && i < kAssocTopHits; ++i) top_rows.push_back(rt.rows[rows[i]]);
    rt.title = "Associations: the " + std::to_string(top_rows.size()) + " strongest of " + std::to_string(t.n_rows()) +
               " pairs (smallest q)";
    rt.rows = std::move(top_rows);
    rt.id = "table-assoc";
    rt.source = e.path;
    cx.report->tables.push_back(std::move(rt));
}

}  // namespace orbiome::report::detail
