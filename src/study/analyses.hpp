#pragma once
/// \file analyses.hpp
/// The steps of a study run (docs/study.md lists what each writes). Each step is a client of
/// the domain libraries: the numbers are those of the standalone commands on the same samples.

#include <string>
#include <unordered_map>
#include <vector>

#include "io/metadata.hpp"
#include "study/study.hpp"
#include "table/feature_table.hpp"

namespace orbiome::study {

/// The loaded inputs.
struct StudyData {
    io::Metadata metadata;
    table::FeatureTable filtered;  ///< after the feature filter (counts)
    table::FeatureTable analysed;  ///< `filtered`, rarefied when the study asks for it
    std::unordered_map<std::string, std::size_t> metadata_row;  ///< metadata row of each table sample id
    std::string tree;              ///< path, or ""
};

/// Reads table (with taxonomy), metadata and tree; joins samples (a table sample missing from
/// the metadata is an error); filters; rarefies when asked (on `threads`).
StudyData load_study_data(StudySpec const& spec, int threads);

/// Table indices of `cmp`'s samples (group is test or reference, `where` holds), table order.
std::vector<std::size_t> comparison_samples(StudySpec const& spec, StudyData const& data, Comparison const& cmp,
                                            table::FeatureTable const& t);

void write_tables(StudySpec const& spec, StudyData const& data, std::string const& out_dir);
void run_alpha(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads);
void run_beta(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads);
void run_ratio(StudySpec const& spec, StudyData const& data, std::string const& out_dir);
void run_diff(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads);
/// [host]: assoc/assoc.tsv (host variables, or the metabolites when no variable is given) and
/// assoc/metabolites.tsv (when both are given). Nothing when the study has no [host].
void run_assoc(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads);

}  // namespace orbiome::study
