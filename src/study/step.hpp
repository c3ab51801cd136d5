#pragma once
/// \file step.hpp
/// A study is a list of steps. Each step has a name, the inputs it reads, the outputs it
/// writes, its options (a JSON hash, kept in provenance.json and shown in the report's methods
/// section) and a run function that writes files and records each in the manifest
/// (report/manifest.hpp). The runner (study_run.cpp) loads the data once, asks every step
/// whether it runs and lets it check the study before any output, then runs them in order.
///
/// Adding a step: write `Step my_step(StudySpec const&)` in its own file and add one line to
/// the list in steps.cpp (docs/architecture.md).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "diffabund/blocked.hpp"
#include "diffabund/design.hpp"
#include "io/metadata.hpp"
#include "report/manifest.hpp"
#include "study/study.hpp"
#include "table/feature_table.hpp"
#include "table/ops.hpp"

namespace orbiome::study {

/// Depth (total count) below which a sample is flagged as shallow in the run's notes and the
/// report: a sample with fewer reads gives unstable diversity and relative abundances (the
/// 11-read sample of issue #17). 1,000 is the common lowest rarefaction depth in 16S studies.
inline constexpr double kLowDepth = 1000;

/// The loaded inputs, shared read-only by every step.
struct StudyData {
    io::Metadata metadata;
    table::FeatureTable filtered;  ///< after the feature filter (counts)
    table::FeatureTable analysed;  ///< `filtered`, rarefied when the study asks for it
    std::unordered_map<std::string, std::size_t> metadata_row;  ///< metadata row of each table sample id
    std::string tree;              ///< path, or ""
    std::size_t n_features_raw = 0, n_samples_raw = 0;
    table::RarefyReport rarefy;    ///< samples dropped by rarefaction
    std::vector<std::pair<std::string, double>> low_depth;  ///< analysed samples below kLowDepth, with their depth
};

/// What a running step sees.
struct StepContext {
    StudySpec const& spec;
    StudyData const& data;
    std::string out_dir;  ///< the (staged) study directory
    int threads = 1;
    report::Manifest& manifest;
    std::string step;     ///< name of the running step

    /// Absolute path of `rel` in the study directory; creates its parent folder.
    std::string path(std::string const& rel) const;
    /// Records a written file (path relative to the study directory) in the manifest.
    void wrote(std::string kind, std::string rel, std::string comparison = "", std::string metric = "",
               std::string rank = "", std::string method = "") const;
};

struct Step {
    std::string name;
    std::vector<std::string> inputs;   ///< what it reads ("table", "metadata", "tree", "lineages", ...)
    std::vector<std::string> outputs;  ///< folders or files it writes, relative to the study directory
    nlohmann::json options = nlohmann::json::object();
    /// Why the step does not run for this study ("" = it runs). Asked after loading, before output.
    std::function<std::string(StudySpec const&, StudyData const&)> skip;
    /// Checks that need the loaded data, before any output of any step. Throws ParseError or
    /// UsageError naming the study file, key and line, and the step.
    std::function<void(StudySpec const&, StudyData const&)> check;
    std::function<void(StepContext const&)> run;
};

/// The registered steps of `spec`, in run order (steps.cpp).
std::vector<Step> study_steps(StudySpec const& spec);

/// Reads table (with taxonomy), metadata and tree; joins samples (a table sample missing from
/// the metadata is an error); filters; rarefies when asked (on `threads`). Writes nothing.
StudyData load_study_data(StudySpec const& spec, int threads);

// Helpers shared by the steps.

/// Absolute path of `rel` in the study directory `dir`; creates its parent folder. Throws IoError.
std::string path_in_study(std::string const& dir, std::string const& rel);

/// The design of `cmp` on `spec`'s group and covariates, samples missing a covariate left out
/// (as comparison_samples does): what every step's per-comparison test starts from.
diffabund::DesignSpec comparison_design(StudySpec const& spec, Comparison const& cmp);

/// `#orbiome run <step> <version>`, the header line of the study's feature tables and results.
std::string run_header(std::string const& step);
/// Group level of table sample `s`.
std::string const& group_of(StudySpec const& spec, StudyData const& data, table::FeatureTable const& t, std::size_t s);
/// Table indices of `cmp`'s samples (group is test or reference, `where` holds, no covariate or
/// subject value missing), table order. `dropped` receives how many were left out for a
/// missing value.
std::vector<std::size_t> comparison_samples(StudySpec const& spec, StudyData const& data, Comparison const& cmp,
                                            table::FeatureTable const& t, std::size_t* dropped = nullptr);
/// How design.subject lies across `cmp`'s two groups (0 = reference, 1 = test) over table
/// samples `samples` of `t`; nullopt when the study has no subject or when fewer than two
/// subjects have more than one sample (no repeated measures: a single repeat is a labelling
/// accident, as RR-5's SamID 6951, two mice in two cages).
std::optional<diffabund::Blocks> subject_blocks(StudySpec const& spec, StudyData const& data, Comparison const& cmp,
                                                table::FeatureTable const& t, std::vector<std::size_t> const& samples);
/// `data.filtered` at `rank` ("feature": as is; else collapsed by lineage).
table::FeatureTable table_at_rank(StudyData const& data, std::string const& rank);
/// ParseError at the study file's line of `key` ("section.key"), naming the step.
[[noreturn]] void fail_step(StudySpec const& spec, std::string const& step, std::string const& key,
                            std::string const& message, std::string const& hint = "");

}  // namespace orbiome::study
