#pragma once
/// \file study.hpp
/// A study: its TOML file (docs/study.md), validated before any work, and the runner that
/// writes every table of the study output directory.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "table/ops.hpp"

namespace orbiome::study {

/// One comparison: samples of `test` against samples of `reference` in the group column,
/// after keeping only samples whose metadata match every `where` pair.
struct Comparison {
    std::string name;
    std::string test;
    std::string reference;
    std::vector<std::pair<std::string, std::string>> where;
    std::size_t line = 0;            ///< line of the [[comparisons]] block, for messages
    std::size_t test_line = 0;       ///< line of its `test` key
    std::size_t reference_line = 0;  ///< line of its `reference` key
};

/// Everything a study file says, with paths resolved against the file's folder.
struct StudySpec {
    std::string source;  ///< the study file
    std::string name;
    std::string table, taxonomy, metadata, tree;
    std::string group, subject;
    std::vector<std::string> covariates;
    std::vector<Comparison> comparisons;
    table::FilterRules filter{10.0, 2, 100.0, std::nullopt};  ///< the RR-5 authors' rule
    std::optional<std::uint64_t> rarefy_depth;
    std::uint64_t rarefy_seed = 42;
    std::vector<std::string> ranks{"phylum", "genus", "species"};
    std::vector<std::string> alpha{"observed", "shannon", "simpson", "chao1"};
    std::vector<std::string> beta{"braycurtis", "jaccard"};
    std::vector<std::string> diff_methods{"wilcoxon"};
    std::pair<std::string, std::string> ratio{"Firmicutes", "Bacteroidetes"};
    /// [host]: features at `host_rank` correlated with numeric metadata columns `host_variables`
    /// and/or every column of the `metabolites` table (`orbiome assoc` semantics).
    std::vector<std::string> host_variables;
    std::string metabolites;
    std::string host_method = "spearman";
    std::string host_rank = "genus";
    std::uint64_t permutations = 999;
    std::uint64_t seed = 42;
    /// Line of each key as "section.key" -> line, for validation messages.
    std::vector<std::pair<std::string, std::size_t>> key_lines;
    std::size_t line_of(std::string const& key) const;
};

/// Reads and checks a study file: TOML syntax, unknown sections or keys, value types, input
/// files that do not exist. Throws ParseError / UsageError naming the file, key and line;
/// IoError(no_input) for a missing input, naming the key and line.
StudySpec read_study(std::string const& path);

/// Checks the spec against its metadata before any work: the group, subject, covariate and
/// `where` columns exist, and every comparison's levels occur among the selected samples.
/// Throws ParseError naming the study file, key and line.
void validate_against_metadata(StudySpec const& spec);

/// Runs the whole study into `out_dir` (created if needed). `threads` is passed to every step.
/// Returns the path of the report if one was written, else "".
std::string run_study(StudySpec const& spec, std::string const& out_dir, int threads);

}  // namespace orbiome::study
