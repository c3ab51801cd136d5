#include "report/html_report.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::report {

namespace embedded {
extern std::pair<std::string_view, std::string_view> const kEmbeddedFiles[];
extern std::size_t const kNumEmbeddedFiles;
}  // namespace embedded

using nlohmann::json;

namespace {

std::string_view asset(std::string_view name) {
    for (std::size_t i = 0; i < embedded::kNumEmbeddedFiles; ++i)
        if (embedded::kEmbeddedFiles[i].first == name) return embedded::kEmbeddedFiles[i].second;
    throw Error(Errc::software, {}, "no embedded report asset '" + std::string(name) + "'");
}

bool contains_ci(std::string_view text, std::string_view needle) {
    auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != text.end();
}

/// Inline text must not end its element early; the libraries and template are checked at every
/// render because they are replaced whenever the lockfile is updated.
std::string_view inline_asset(std::string_view name, std::string_view closing_tag) {
    auto const text = asset(name);
    if (contains_ci(text, closing_tag))
        throw Error(Errc::software, {}, "embedded asset '" + std::string(name) + "' contains '" + std::string(closing_tag) +
                                            "' and cannot be inlined");
    return text;
}

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

/// Fills the template's {{name}} slots in one pass over the template, so inserted text (a
/// library that happens to contain "{{") is never scanned again. Every slot must appear at least once.
std::string fill_template(std::string_view tmpl, std::vector<std::pair<std::string_view, std::string_view>> const& slots) {
    std::string out;
    std::vector<int> filled(slots.size(), 0);
    std::size_t pos = 0;
    while (true) {
        auto const open = tmpl.find("{{", pos);
        if (open == std::string_view::npos) break;
        auto const close = tmpl.find("}}", open);
        ORBIOME_ASSERT(close != std::string_view::npos);
        auto const name = tmpl.substr(open + 2, close - open - 2);
        auto const it = std::find_if(slots.begin(), slots.end(), [&](auto const& s) { return s.first == name; });
        ORBIOME_ASSERT(it != slots.end());
        out += tmpl.substr(pos, open - pos);
        out += it->second;
        ++filled[static_cast<std::size_t>(it - slots.begin())];
        pos = close + 2;
    }
    out += tmpl.substr(pos);
    ORBIOME_ASSERT(std::all_of(filled.begin(), filled.end(), [](int n) { return n >= 1; }));
    return out;
}

std::string data_block(std::string_view cls, std::string const& id, json const& value) {
    return "<script type=\"application/json\" class=\"" + std::string(cls) + "\" id=\"" + html_escape(id) + "\">" +
           script_json(value) + "</script>\n";
}

}  // namespace

std::string script_json(json const& value) {
    // error_handler::replace: a table with invalid UTF-8 still gives a valid page.
    std::string const text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '<') out += "\\u003c";
        else out += c;
    }
    return out;
}

std::string render_html(StudyReport const& report) {
    json sections = json::array();
    for (auto const& s : report.sections)
        sections.push_back({{"id", s.id}, {"layout", s.layout}, {"title", s.title}, {"lead", s.lead}});
    json const meta = {{"sections", sections},
                       {"title", report.title},
                       {"version", report.version},
                       {"generator", report.generator},
                       {"groups", report.groups},
                       {"n_samples", report.n_samples},
                       {"n_samples_total", report.n_samples_total},
                       {"methods", report.methods},
                       {"warnings", report.warnings},
                       {"skipped", report.skipped}};
    std::string data = data_block("orbiome-meta", "orbiome-meta", meta);
    for (auto const& f : report.figures)
        data += data_block("orbiome-figure", "figure-data-" + f.id,
                           json{{"id", f.id},
                                {"section", f.section},
                                {"kind", f.kind},
                                {"title", f.title},
                                {"subtitle", f.subtitle},
                                {"columns", f.columns},
                                {"rows", f.rows},
                                {"params", f.params}});
    for (auto const& t : report.tables)
        data += data_block("orbiome-table", "table-data-" + t.id,
                           json{{"id", t.id},
                                {"source", t.source},
                                {"section", t.section},
                                {"title", t.title},
                                {"columns", t.columns},
                                {"numeric", t.numeric},
                                {"rows", t.rows}});
    std::string libs;
    for (auto const* lib : {"lib/vega", "lib/vega-lite", "lib/vega-embed"})
        libs += "<script>\n" + std::string(inline_asset(lib, "</script")) + "\n</script>\n";

    std::string const title = html_escape(report.title);
    return fill_template(asset("template/report.html"), {{"title", title},
                                                         {"style", inline_asset("template/report.css", "</style")},
                                                         {"libraries", libs},
                                                         {"data", data},
                                                         {"app", inline_asset("template/report.js", "</script")}});
}

void write_report(std::string const& study_dir, std::string const& out_path, ReportOptions const& options) {
    std::string const page =
        render_html(study_dir.empty() ? load_power_report(options.power_tsv, options) : load_study(study_dir, options));
    AtomicOutput out(out_path);
    out.stream() << page;
    out.commit();
}

}  // namespace orbiome::report
