#pragma once
/// \file html_report.hpp
/// The study report: one self-contained HTML file built from a study output directory
/// (docs/study.md), with interactive Vega-Lite charts, sortable result tables and each
/// figure's data downloadable as TSV.
///
/// The work is split in two so that each half can be tested alone:
///  * `load_study` reads the directory's TSV files and computes what the figures show (mean
///    relative abundance per group, top taxa, -log10 q, ...) into JSON figure and table blocks;
///  * `render_html` puts those blocks, the page template and the Vega, Vega-Lite and
///    vega-embed builds (pinned by report/package-lock.json; all embedded into the binary at
///    build time) into one page that references no URL, so it works offline from disk.
/// The page's script (report/template/report.js) turns each figure block into a Vega-Lite
/// specification. Vega-Lite: Satyanarayan et al., IEEE TVCG 23(1) 2017, doi:10.1109/TVCG.2016.2599030.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/manifest.hpp"

namespace orbiome::report {

/// Taxa shown by name in the stacked composition bars; the rest are summed into "Other".
inline constexpr std::size_t kTopTaxa = 12;
/// Features of the association heat map (those with the smallest q); a readable grid on a slide.
inline constexpr std::size_t kHeatmapFeatures = 30;
/// q below which a differential-abundance feature or an association counts as significant
/// (colour in the volcano plot, "*" in the heat map).
inline constexpr double kSignificantQ = 0.05;

/// Options of a report. `generator` names the program writing the report (e.g. "orbiome
/// 0.1.0"), shown in the footer next to the version that ran the study.
struct ReportOptions {
    std::size_t top_taxa = kTopTaxa;
    std::string generator;
    std::string power_tsv;  ///< a power.tsv of `orbiome power` to add as the power section (`report --power`)
};

/// One chart: `kind` selects the page script's Vega-Lite builder ("stacked_bar", "box", "power_curve",
/// "pcoa", "volcano", "heatmap"); `rows` are the chart's data (also the TSV download, with the
/// columns in `columns` order); `params` holds what the builder needs besides the rows (axis
/// titles, group order).
struct Figure {
    std::string id;       ///< unique within the page, [a-z0-9-] only
    std::string section;  ///< composition, alpha, beta, ratio, diff, assoc, power
    std::string kind;
    std::string title;
    std::string subtitle;  ///< test results shown under the title ("PERMANOVA R² = 0.16, p = 0.012")
    std::vector<std::string> columns;
    nlohmann::json rows = nlohmann::json::array();  ///< array of objects keyed by `columns`
    nlohmann::json params = nlohmann::json::object();
};

/// One sortable result table (a test output file shown as is, or its top rows).
struct ResultTable {
    std::string id;
    std::string source;  ///< the full file, relative to the study directory (a link on the page), or ""
    std::string section;
    std::string title;
    std::vector<std::string> columns;
    std::vector<bool> numeric;                      ///< per column: sorts as a number
    nlohmann::json rows = nlohmann::json::array();  ///< array of arrays; numbers, strings or null
};

/// A section of the page: its anchor, heading, lead paragraph and grid layout (`two`, `four`:
/// charts per row; `wide`: one). Figures and tables name their section by `id`.
struct ReportSection {
    std::string id, layout, title, lead;
};

/// Everything the page shows.
struct StudyReport {
    std::string title;    ///< provenance.json `study.name`
    std::string version;  ///< orbiome version that ran the study (provenance.json)
    std::vector<std::string> groups;  ///< group levels in display order (sorted)
    std::size_t n_samples = 0;        ///< samples analysed (after rarefaction)
    std::size_t n_samples_total = 0;  ///< samples of samples.tsv (before rarefaction)
    std::vector<std::string> methods;   ///< the methods section, one paragraph each (from manifest.json)
    std::vector<std::string> warnings;  ///< e.g. shallow samples
    std::vector<ReportSection> sections;  ///< in page order; a section without figures or tables is not shown
    std::vector<Figure> figures;
    std::vector<ResultTable> tables;
    std::vector<std::string> skipped;  ///< one note per figure that could not be drawn
    std::string generator;
};

/// The files every study directory has; the report refuses a directory without them.
inline constexpr char const* kRequiredFiles[] = {"provenance.json", "samples.tsv", "manifest.json"};

/// Reads the study directory `dir`: its manifest.json (report/manifest.hpp) says which file
/// holds what, and the section registry (load_study.cpp) builds each section from the entries
/// of its kind, in a fixed order (methods, composition, alpha, beta, ratio, diff, assoc, power).
/// Throws IoError (no_input, 66) naming the first missing required file (or `dir` itself);
/// ParseError (65) at file:line for a malformed file or a missing column. O(total size of the
/// files read).
StudyReport load_study(std::string const& dir, ReportOptions const& options = {});

/// A report of `power_tsv` alone (`orbiome report --power FILE` without a study): the power
/// section's curves and table, its notes as methods. Throws IoError (66) when the file is
/// absent, ParseError (65) when it is not a power table.
StudyReport load_power_report(std::string const& power_tsv, ReportOptions const& options = {});

/// The complete HTML page. Every embedded JSON block goes through `script_json`. Throws
/// Error(software) if an embedded library contains "</script" (it could not be inlined).
std::string render_html(StudyReport const& report);

/// `load_study` (or `load_power_report` when `study_dir` is empty) + `render_html`, written
/// atomically to `out_path` (nothing is written when loading fails). Throws as those do, and
/// IoError (74) when the output cannot be written.
void write_report(std::string const& study_dir, std::string const& out_path, ReportOptions const& options = {});

/// JSON text that is safe inside a `<script type="application/json">` element: every '<' is
/// written as the JSON escape \u003c, so no "</script>" or "<!--" in the data can end or
/// change the element, and JSON.parse gives back the original text.
std::string script_json(nlohmann::json const& value);

/// Display name of a collapse key or lineage ("Bacteria;Firmicutes;...;Lactobacillus" ->
/// "Lactobacillus", "g__Dorea" -> "Dorea", "...;Lachnospiraceae;unassigned" ->
/// "Lachnospiraceae (unassigned)").
std::string taxon_label(std::string const& key);

}  // namespace orbiome::report
