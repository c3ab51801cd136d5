#pragma once
/// \file options.hpp
/// Option groups shared by several commands, declared once so that their names, help texts
/// and checks cannot drift apart (issue #19: `--dm`, `--metadata`, `--seed`, `--permutations`
/// were declared in every command). `--threads` is `add_threads` (cli.hpp). The table and
/// metadata groups carry the layouts users' files come in (issue #17): samples as rows, and a
/// metadata id column that is not found by name.

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "io/inputs.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"

namespace orbiome::cli {

/// `--dm PATH` (required): a distance matrix in scikit-bio/QIIME square TSV.
inline CLI::Option* add_dm(CLI::App& app, std::string& path, std::string const& what = "Distance matrix TSV") {
    return app.add_option("--dm", path, what)->required();
}

/// `--metadata PATH` (required): QIIME 2-style sample metadata.
inline CLI::Option* add_metadata(CLI::App& app, std::string& path) {
    return app.add_option("--metadata", path, "Sample metadata TSV")->required();
}

/// `--out PATH` (required), described by `what`.
inline CLI::Option* add_out(CLI::App& app, std::string& path, std::string const& what = "Result TSV") {
    return app.add_option("--out", path, what)->required();
}

/// `--permutations N` (default as given; 0 = no p-value) and `--seed S` (required) of a
/// permutation test.
inline void add_permutation_test(CLI::App& app, std::size_t& permutations, std::uint64_t& seed) {
    app.add_option("--permutations", permutations, "Number of permutations (0: no p-value)");
    app.add_option("--seed", seed, "Random seed")->required();
}

/// `--samples-as-rows` / `--features-as-rows` (which axis holds the samples; sniffed when
/// neither is given) and `--stratified` (which rows of a HUMAnN table): io::TableReadOptions.
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

/// `--metadata PATH` (required) and `--id-column COL`, the column of its sample ids when it is
/// not found (io/metadata.hpp: QIIME 2's names, else the one column matching the sample ids).
struct MetadataFlags {
    std::string path;
    std::string id_column;

    void add(CLI::App& app) {
        add_metadata(app, path);
        app.add_option("--id-column", id_column,
                       "Metadata column holding the sample ids (default: found by QIIME 2's names or by the ids)");
    }
    /// The metadata; `sample_ids` (of the table or distance matrix) help find its id column.
    io::Metadata read(std::vector<std::string> sample_ids) const {
        return io::read_metadata(path, io::MetadataOptions{id_column, std::move(sample_ids)});
    }
};

/// A feature table read with its metadata (io/inputs.hpp): the metadata's ids tell a table with
/// samples as rows, the table's ids the metadata's id column. A swap of axes is noted on stderr.
inline io::TableAndMetadata read_table_with_metadata(std::string const& table, TableReadFlags const& flags,
                                                     std::string const& taxonomy, MetadataFlags const& metadata) {
    auto both = io::read_table_and_metadata(table, flags.options(taxonomy), metadata.path,
                                            io::MetadataOptions{metadata.id_column, {}});
    if (!both.report.orientation_note.empty()) std::cerr << "note: " << both.report.orientation_note << '\n';
    return both;
}

}  // namespace orbiome::cli
