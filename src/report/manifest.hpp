#pragma once
/// \file manifest.hpp
/// `manifest.json`: what every step of a study wrote (docs/study.md). The study runner writes
/// it; the report reads it instead of decoding file names, so the two cannot drift apart.
///
/// Layout: {"format": 1, "entries": [{"kind", "path", "step", "comparison", "metric", "rank",
/// "method"}...], "skipped": [{"step", "reason"}...], "methods": {...}}. `path` is relative to
/// the study directory; empty provenance fields are left out. `methods` holds each step's
/// parameters and counts (samples and features before/after) for the report's methods section.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace orbiome::report {

/// File name of the manifest inside a study directory.
inline constexpr char kManifestFile[] = "manifest.json";
/// Version of the layout above; a reader refuses a newer one.
inline constexpr int kManifestFormat = 1;

/// One file a step wrote. `kind` says what it holds (e.g. "alpha", "diff", "pcoa"; the report's
/// section registry is keyed by it); the other fields say which part of the study it is.
struct ManifestEntry {
    std::string kind;
    std::string path;  ///< relative to the study directory
    std::string step;
    std::string comparison, metric, rank, method;
};

/// A step that did not run, and why (also printed on stderr by the runner).
struct SkippedStep {
    std::string step;
    std::string reason;
};

/// The whole manifest. Not thread-safe.
struct Manifest {
    std::vector<ManifestEntry> entries;
    std::vector<SkippedStep> skipped;
    nlohmann::json methods = nlohmann::json::object();  ///< step name -> parameters and counts

    void add(ManifestEntry e) { entries.push_back(std::move(e)); }
    /// Entries of `kind`, in the order they were added (the study's comparison order).
    std::vector<ManifestEntry> of_kind(std::string_view kind) const;
    /// The first entry of `kind`, or nullptr.
    ManifestEntry const* first(std::string_view kind) const;
};

/// Writes `m` as JSON to `path` atomically. Throws IoError (74) when it cannot.
void write_manifest(Manifest const& m, std::string const& path);
/// Reads a manifest. Throws IoError (66) when absent, ParseError (65) naming the file when it is
/// not a manifest of a known format, or an entry lacks `kind` or `path`.
Manifest read_manifest(std::string const& path);

}  // namespace orbiome::report
