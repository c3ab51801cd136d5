#pragma once
/// \file sections.hpp
/// The report's sections (internal to the report domain). Each builder reads the manifest
/// entries of its kinds and the files they name, and adds figures, tables and notes. The
/// registry in load_study.cpp maps each manifest kind to its builder: a new capability adds a
/// builder and one line there, and the loader itself does not change.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/html_report.hpp"
#include "report/manifest.hpp"
#include "report/tsv.hpp"

namespace orbiome::report::detail {

struct ComparisonGroups {
    std::string test;
    std::string reference;
};

/// What every section builder sees.
struct Context {
    std::filesystem::path dir;
    ReportOptions options;
    Manifest manifest;
    nlohmann::json provenance;
    std::map<std::string, std::string> group_of;  ///< sample -> group (samples.tsv)
    std::vector<std::string> groups;              ///< sorted group levels
    std::map<std::string, ComparisonGroups> comparisons;
    StudyReport* report = nullptr;

    /// The table a manifest entry names.
    TsvTable read(ManifestEntry const& e) const { return TsvTable::read((dir / e.path).string()); }
    /// The table of the first entry of `kind`, if any.
    std::optional<TsvTable> read_first(std::string const& kind) const;
};

using SectionBuilder = void (*)(Context& cx, std::vector<ManifestEntry> const& entries);

void reads_section(Context& cx, std::vector<ManifestEntry> const& qc_summary);
void composition_section(Context& cx, std::vector<ManifestEntry> const& tables);
void alpha_section(Context& cx, std::vector<ManifestEntry> const& alpha);
void beta_section(Context& cx, std::vector<ManifestEntry> const& pcoa);
void ratio_section(Context& cx, std::vector<ManifestEntry> const& ratio);
void diff_section(Context& cx, std::vector<ManifestEntry> const& diff);
void assoc_section(Context& cx, std::vector<ManifestEntry> const& assoc);
void power_section(Context& cx, std::vector<ManifestEntry> const& power);

// Shared helpers (sections.cpp).
std::string fmt_sig(double v, int digits);
std::string fmt_p(double p);
std::string pretty_comparison(std::string s);
std::string pretty_metric(std::string const& m);
/// Labels for collapse keys, made unique by adding the parent level where two taxa share a name.
std::vector<std::string> unique_labels(std::vector<std::string> const& keys);
/// A result file as a sortable table (`label_column` shown as a taxon label; `drop` columns left out).
ResultTable table_from(TsvTable const& t, std::string const& section, std::string const& title,
                       std::optional<std::size_t> label_column = std::nullopt, std::vector<std::string> const& drop = {});

}  // namespace orbiome::report::detail
