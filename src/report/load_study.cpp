// The report loader: reads provenance.json, samples.tsv and manifest.json, writes the methods
// section from the manifest, and lets each registered section build its figures from the
// manifest entries of its kind.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "report/html_report.hpp"
#include "report/sections.hpp"

namespace orbiome::report {

namespace fs = std::filesystem;
using nlohmann::json;
using detail::Context;

namespace {

/// The section registry, in page order: the manifest kind a section is built from, its builder,
/// and its place on the page (anchor, layout, heading, lead). A new capability's section is its
/// builder plus one line here; neither the loader nor the page's script changes.
struct SectionEntry {
    char const* kind;
    detail::SectionBuilder build;
    ReportSection section;
};
// clang-format off
SectionEntry const kSections[] = {
    {"qc_summary", &detail::reads_section, {"reads", "wide", "Reads", "What quality control did to each sample's reads: reads kept after each step, in order (adapter and quality trimming, length, ambiguous bases, complexity, host), the share kept overall, the host share, and the samples that failed the QC thresholds (min_reads, max_host_percent) and were left out."}},
    {"table", &detail::composition_section, {"composition", "two", "Composition", "Mean relative abundance per group; the most abundant taxa are shown by name, the rest as Other."}},
    {"alpha", &detail::alpha_section, {"alpha", "four", "Alpha diversity", "Within-sample diversity per group; p and q from the Wilcoxon tests of each comparison (rank-sum, or the paired / blocked form when the study names a subject; the table says which; BH over the metrics)."}},
    {"pcoa", &detail::beta_section, {"beta", "two", "Beta diversity", "Principal coordinates of the samples of each comparison, coloured by group; PERMANOVA R² and permutation p in the title."}},
    {"ratio", &detail::ratio_section, {"ratio", "two", "Phylum ratio", "Log2 ratio of the two phyla per sample, by group."}},
    {"diff", &detail::diff_section, {"diff", "two", "Differential abundance", "Effect against −log10 q for every feature tested; the dashed line is q = 0.05 and the most significant features are named."}},
    {"assoc", &detail::assoc_section, {"assoc", "wide", "Associations", "Correlation coefficients between features and variables; * marks q < 0.05."}},
    {"power", &detail::power_section, {"power", "two", "Power and sample size", "How many animals a study needs: the fraction of studies simulated from a pilot group (orbiome power, docs/power.md) in which each method calls the spiked taxon, against animals per group; bands are 95 % Monte-Carlo intervals, the dashed line the target power."}},
};
// clang-format on

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

std::string text_of(json const& v) {
    if (v.is_string()) return v.get<std::string>().empty() ? "none" : v.get<std::string>();
    if (v.is_array()) {
        std::vector<std::string> parts;
        for (auto const& x : v) parts.push_back(text_of(x));
        return parts.empty() ? "none" : join(parts, ", ");
    }
    if (v.is_number_float()) {
        double const d = v.get<double>();
        return d == std::floor(d) && std::abs(d) < 1e15 ? std::to_string(static_cast<long long>(d)) : format_double(d);
    }
    return v.dump();
}

std::string count(json const& j, char const* key) { return j.contains(key) ? text_of(j[key]) : "?"; }

/// The methods section: every parameter, the filter and rarefaction with features and samples
/// before and after, the samples dropped and why, and the steps not run.
void add_methods(Context& cx) {
    auto& r = *cx.report;
    json const& m = cx.manifest.methods;
    json const study = cx.provenance.value("study", json::object());
    json const load = m.value("load", json::object());
    json const inputs = study.value("inputs", json::object());
    r.methods.push_back("Input: " + count(load, "features_in") + " features x " + count(load, "samples_in") +
                        " samples (" + inputs.value("table", "") + ").");
    json const filter = study.value("filter", json::object());
    std::vector<std::string> rules;
    if (filter.contains("min_count"))
        rules.push_back(">= " + text_of(filter["min_count"]) + " reads in >= " + count(filter, "min_samples") + " samples");
    if (filter.contains("min_total")) rules.push_back(">= " + text_of(filter["min_total"]) + " reads in total");
    if (filter.contains("min_prevalence")) rules.push_back("present in >= " + text_of(filter["min_prevalence"]) + " of samples");
    r.methods.push_back("Feature filter: a feature is kept if " + join(rules, ", or ") + ": " + count(load, "features_in") +
                        " -> " + count(load, "features_after_filter") + " features.");
    if (load.contains("rarefy_depth")) {
        std::vector<std::string> dropped;
        json const dropped_samples = load.value("dropped_samples", json::array());
        for (auto const& d : dropped_samples)
            dropped.push_back(text_of(d["sample"]) + " (" + text_of(d["reason"]) + ")");
        r.methods.push_back("Rarefaction to " + text_of(load["rarefy_depth"]) + " reads per sample (seed " +
                            count(load, "rarefy_seed") + "): " + count(load, "samples_in") + " -> " +
                            count(load, "samples_analysed") + " samples, " + count(load, "features_after_filter") +
                            " -> " + count(load, "features_analysed") + " features" +
                            (dropped.empty() ? "." : "; dropped: " + join(dropped, ", ") + "."));
    } else {
        r.methods.push_back("No rarefaction: " + count(load, "samples_analysed") + " samples analysed.");
    }
    json const design = study.value("design", json::object());
    r.methods.push_back("Design: group " + text_of(design.value("group", json(""))) + "; subject " +
                        (design.value("subject", "").empty() ? "none" : text_of(design["subject"])) + "; covariates " +
                        text_of(design.value("covariates", json::array())) + ".");
    std::vector<std::string> comparisons;
    json const comparison_list = study.value("comparisons", json::array());
    for (auto const& c : comparison_list) {
        std::string s = text_of(c.value("name", json(""))) + " = " + text_of(c.value("test", json(""))) + " vs " +
                        text_of(c.value("reference", json("")));
        std::vector<std::string> where;
        json const where_pairs = c.value("where", json::object());
        for (auto const& [k, v] : where_pairs.items()) where.push_back(k + " = " + text_of(v));
        if (!where.empty()) s += " where " + join(where, ", ");
        comparisons.push_back(s);
    }
    if (!comparisons.empty()) r.methods.push_back("Comparisons: " + join(comparisons, "; ") + ".");
    for (auto const& [step, options] : m.items()) {
        if (step == "load" || !options.is_object()) continue;
        std::vector<std::string> parts;
        for (auto const& [k, v] : options.items())
            if (!v.is_object()) parts.push_back(k + " = " + text_of(v));
            else {
                std::vector<std::string> sub;
                for (auto const& [k2, v2] : v.items()) sub.push_back(k2 + ": " + text_of(v2));
                parts.push_back(k + " (" + join(sub, "; ") + ")");
            }
        r.methods.push_back("Step " + step + ": " + join(parts, "; ") + ".");
    }
    for (auto const& s : cx.manifest.skipped) r.methods.push_back("Step " + s.step + " not run: " + s.reason + ".");
    json const low_depth = load.value("low_depth_samples", json::array());
    for (auto const& d : low_depth)
        r.warnings.push_back("Sample " + text_of(d["sample"]) + " has only " + text_of(d["depth"]) + " reads (below " +
                             count(load, "low_depth_threshold") + "): its diversity and relative abundances are unreliable.");
}

/// A power.tsv given on the command line (`report --power`), by absolute path.
ManifestEntry power_entry(std::string const& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw IoError(Errc::no_input, path, "no such power table (written by `orbiome power`)");
    ManifestEntry e;
    e.kind = "power";
    e.path = fs::absolute(path).string();
    return e;
}

/// Every registered section in page order; `only_present`: call only the builders with entries
/// (a report of one file has no samples or groups for the others).
void build_sections(Context& cx, bool only_present) {
    for (auto const& s : kSections) {
        cx.report->sections.push_back(s.section);
        auto const entries = cx.manifest.of_kind(s.kind);
        if (!only_present || !entries.empty()) s.build(cx, entries);
    }
    std::set<std::string> used;
    for (auto& f : cx.report->figures) f.id = make_id(f.id, used);
    for (auto& t : cx.report->tables) t.id = make_id(t.id, used);
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
    Context cx;
    cx.dir = fs::path(dir);
    cx.options = options;
    cx.report = &report;
    cx.manifest = read_manifest((cx.dir / kManifestFile).string());

    std::string const prov_path = (cx.dir / "provenance.json").string();
    {
        auto in = open_input(prov_path);
        cx.provenance = json::parse(in, nullptr, false);
        if (cx.provenance.is_discarded() || !cx.provenance.is_object())
            fail_data(prov_path, 1, "not a JSON object", "provenance.json is written by `orbiome run`; was it edited?");
    }
    json const study = cx.provenance.value("study", json::object());
    report.title = study.value("name", "");
    if (report.title.empty()) report.title = "orbiome study";
    report.version = cx.provenance.value("orbiome_version", "");
    json const comparison_list = study.value("comparisons", json::array());
    for (auto const& c : comparison_list)
        cx.comparisons.emplace(c.value("name", ""), detail::ComparisonGroups{c.value("test", ""), c.value("reference", "")});

    auto const* samples_entry = cx.manifest.first("samples");
    auto const samples = TsvTable::read((cx.dir / (samples_entry ? samples_entry->path : "samples.tsv")).string());
    std::size_t const sc = samples.require("sample_id"), gc = samples.require("group");
    std::set<std::string> groups;
    for (std::size_t r = 0; r < samples.n_rows(); ++r) {
        if (!cx.group_of.emplace(samples.cell(r, sc), samples.cell(r, gc)).second)
            fail_data(samples.path(), samples.line(r), "sample '" + samples.cell(r, sc) + "' is listed twice");
        groups.insert(samples.cell(r, gc));
    }
    cx.groups.assign(groups.begin(), groups.end());
    report.groups = cx.groups;
    report.n_samples_total = samples.n_rows();
    json const load = cx.manifest.methods.value("load", json::object());
    report.n_samples = load.contains("samples_analysed") ? load["samples_analysed"].get<std::size_t>() : samples.n_rows();

    add_methods(cx);
    if (!options.power_tsv.empty()) cx.manifest.add(power_entry(options.power_tsv));
    build_sections(cx, false);
    return report;
}

StudyReport load_power_report(std::string const& power_tsv, ReportOptions const& options) {
    StudyReport report;
    report.generator = options.generator;
    report.title = "Power and sample size: " + fs::path(power_tsv).filename().string();
    Context cx;
    cx.options = options;
    cx.report = &report;
    cx.manifest.add(power_entry(power_tsv));
    build_sections(cx, true);
    return report;
}

}  // namespace orbiome::report
