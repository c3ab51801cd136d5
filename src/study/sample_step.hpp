#pragma once
/// \file sample_step.hpp
/// Per-sample steps. A study that starts from reads (`[inputs] reads = SHEET`, `kind`) runs, for
/// every sample of the sheet, the chain of per-sample steps (qc, then profile) before the table
/// steps of step.hpp. A step's result for one sample is one unit, the folder
/// `DIR/samples/NAME/STEP/`: written in a temporary folder and renamed into place, with
/// `unit.json` holding its cache key and the files it made. The key is a SHA-256 of the step's
/// options, its databases' identity and its input (the reads' checksums, or the key of the step
/// before it), so a rerun reuses every unit whose key matches: adding a sample computes only
/// that sample; changing a step's option recomputes that step and the ones after it.
///
/// Adding a per-sample step: a file `sample_step_<name>.cpp` defining its section parser and
/// `SampleStep <name>_sample_step(StudySpec const&)`, and one line in kSampleSteps (steps.cpp).

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <toml.hpp>

#include "report/manifest.hpp"
#include "seqio/samplesheet.hpp"
#include "study/study.hpp"

namespace orbiome::study {

/// What one sample's steps have made so far.
struct SampleFiles {
    seqio::SampleReads reads;                  ///< its current reads: the sheet's, then QC's output
    std::map<std::string, std::string> files;  ///< role -> absolute path, e.g. "profile" -> NAME.abundance.tsv
    /// Why the sample stopped after a step's thresholds (a SampleStep::check), "" while it goes on.
    std::string stopped;
};

/// Computes one sample's unit into `dir` (an empty folder) from `in`. Returns the files it wrote:
/// role -> file name inside `dir`. The roles "reads" and "reads2" become the sample's reads for
/// the steps after it. Throws orbiome::Error naming the input file and record on bad input.
using SampleRun = std::function<std::map<std::string, std::string>(SampleFiles const& in, std::string const& dir)>;

/// What a step's `gather` sees once every sample is done.
struct GatherContext {
    StudySpec const& spec;
    std::vector<SampleFiles> const& samples;  ///< the samples that ran this step, in sheet order
    std::string stage;                        ///< the (staged) study directory
    report::Manifest& manifest;
    std::string step;
    std::string table;  ///< set by the step whose output is the study's feature table

    /// Absolute path of `rel` in the study directory; creates its parent folder.
    std::string path(std::string const& rel) const;
    /// Records a written file (path relative to the study directory) in the manifest.
    void wrote(std::string kind, std::string rel, std::string comparison = "", std::string metric = "",
               std::string rank = "", std::string method = "") const;
};

struct SampleStep {
    std::string name;  ///< also its TOML section and its folder in DIR/samples/NAME/
    nlohmann::json options = nlohmann::json::object();  ///< enters the cache key; shown in the methods
    /// Databases the step reads, identified in the key by path, size and modification time (a
    /// checksum of a many-gigabyte index on every run would cost more than some steps).
    std::vector<std::string> databases;
    /// Why the step does not run for this study ("" = it runs). Asked before any work.
    std::function<std::string(StudySpec const&)> skip;
    /// Loads what every sample needs (an index) and returns the per-sample computation. Called
    /// at most once per run, and only when some sample's unit is not in the cache.
    std::function<SampleRun(int threads)> open;
    /// Optional: the step's thresholds on one sample's finished unit (e.g. too few reads left
    /// after QC). Returns "" when the sample goes on, else why it stops: the later steps skip it,
    /// the study's table leaves it out, and the run reports it (not an error: its reads were
    /// read correctly, they are just not enough).
    std::function<std::string(SampleFiles const& after)> check;
    /// Optional: writes the study-level files from every sample's results (a merged table, a
    /// summary) into the stage and records them in the manifest.
    std::function<void(GatherContext&)> gather;
};

/// A TOML section parser: called with the section's value, or nullptr when the file has none.
using SectionParser = void (*)(toml::value const* v, std::string const& path, StudySpec& spec);

/// One registered per-sample step: its section and its factory.
struct SampleStepEntry {
    char const* section;
    SectionParser parse;
    SampleStep (*make)(StudySpec const&);
};

/// The registered per-sample steps, in run order (steps.cpp).
std::vector<SampleStepEntry> const& sample_step_registry();

/// How the per-sample part of a run went, for provenance.json and the messages.
struct SampleStageReport {
    std::string table;                                 ///< the study table made from the reads
    std::vector<std::pair<std::string, std::string>> computed, reused;  ///< (sample, step)
    std::vector<std::pair<std::string, std::string>> stopped;           ///< (sample, why): failed a threshold
};

/// Runs every registered per-sample step that does not skip on every sample of `spec.reads`,
/// with the units under `out_dir/samples/` (the final study directory, not the stage: the cache
/// outlives a failed run), then their gathers into `stage`. Every input file is checked before
/// any work. A sample that fails (a truncated file) does not stop the others; after all ran, the
/// first failure is thrown, the units computed so far staying in the cache. `options.on_note` gets
/// one line per sample and step ("computed" or "reused"); `options.recompute` ignores the cache.
/// With `only_sample`, only that sample's units are computed (one job of the Snakemake
/// workflow), without the gathers.
SampleStageReport run_sample_steps(StudySpec const& spec, std::string const& out_dir, std::string const& stage,
                                   report::Manifest& manifest, RunOptions const& options,
                                   std::string const& only_sample = {});

/// The sheet of a reads study with paths resolved against the sheet's folder. Throws IoError (66)
/// naming the sheet and sample for a read file that is missing or unreadable, ParseError for
/// a sample that is not in the metadata.
std::vector<seqio::SampleReads> read_study_samples(StudySpec const& spec);

}  // namespace orbiome::study
