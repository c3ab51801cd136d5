#pragma once
/// \file options.hpp
/// Option groups shared by several commands, declared once so that their names, help texts
/// and checks cannot drift apart (issue #19: `--dm`, `--metadata`, `--seed`, `--permutations`
/// were declared in every command). `--threads` is `add_threads` (cli.hpp).

#include <cstddef>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

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

}  // namespace orbiome::cli
