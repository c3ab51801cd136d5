#pragma once
// The options every command that reads a feature table in `table ...` shares: the axis that holds
// the samples and which rows of a HUMAnN table are read (io::TableReadOptions).
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "io/table_io.hpp"

namespace orbiome::cli {

struct TableReadFlags {
    bool samples_as_rows = false;
    bool features_as_rows = false;
    bool stratified = false;

    void add(CLI::App& app) {
        auto* s = app.add_flag("--samples-as-rows", samples_as_rows,
                               "The table has samples as rows and features as columns (sniffed when unambiguous)");
        auto* f = app.add_flag("--features-as-rows", features_as_rows,
                               "The table has features as rows: do not sniff the orientation");
        s->excludes(f);
        app.add_flag("--stratified", stratified,
                     "HUMAnN table: read only the per-taxon rows (FEATURE|g__G.s__S), not the community totals");
    }
    io::TableReadOptions options(std::string taxonomy) const {
        io::TableReadOptions o;
        o.taxonomy_path = std::move(taxonomy);
        if (samples_as_rows) o.orientation = io::Orientation::samples_as_rows;
        if (features_as_rows) o.orientation = io::Orientation::features_as_rows;
        if (stratified) o.humann_rows = io::HumannRows::stratified;
        return o;
    }
};

/// Reads a table and says on stderr when its axes were swapped, so that no command swaps them
/// silently.
inline table::FeatureTable read_table_noting(std::string const& path, io::TableReadOptions const& options) {
    io::TableReadReport report;
    auto t = io::read_table(path, options, report);
    if (!report.orientation_note.empty()) std::cerr << "note: " << report.orientation_note << '\n';
    return t;
}

}  // namespace orbiome::cli
