#pragma once
/// \file study.hpp
/// A study: its TOML file (docs/study.md), validated before any work, and the runner that
/// writes every table of the study output directory. The runner runs the registered steps
/// (study/step.hpp) in order; docs/architecture.md says how a new one plugs in.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <map>

#include <nlohmann/json.hpp>

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
    std::string metadata_id_column;  ///< "" = found as `io::read_metadata` finds it
    /// A study from reads: the samplesheet (`sample`, `reads`, optional `reads2`) and its kind
    /// ("shotgun"); the per-sample steps (sample_step.hpp) make `table` from them.
    std::string reads, kind;
    /// The per-sample steps' sections ([qc], [profile], ...) as their parsers checked them:
    /// section name -> options. They are also the steps' cache keys and methods entries.
    std::map<std::string, nlohmann::json> step_sections;
    std::string group, subject;
    std::vector<std::string> covariates;
    std::vector<Comparison> comparisons;
    table::FilterRules filter{10.0, 2, 100.0, std::nullopt};  ///< the RR-5 authors' rule
    std::optional<std::uint64_t> rarefy_depth;
    std::uint64_t rarefy_seed = 42;
    /// Canonical rank names (`taxonomy::rank_name`), or "feature" (no collapse; also spelled
    /// `otu` / `asv` in the study file).
    std::vector<std::string> ranks{"phylum", "genus", "species"};
    std::vector<std::string> alpha{"observed", "shannon", "simpson", "chao1"};
    std::vector<std::string> beta{"braycurtis", "jaccard"};
    std::vector<std::string> diff_methods{"wilcoxon"};
    /// Numerator and denominator taxa of the log2 ratio step; absent (the step is off) when the
    /// study file gives no `analysis.ratio` or `ratio = []`.
    std::optional<std::pair<std::string, std::string>> ratio;
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

/// The rank name for a study file's rank: "feature" for `feature`, `otu`, `asv`; else the
/// canonical taxonomic rank name; nullopt when unknown.
std::optional<std::string> study_rank(std::string const& name);

/// How a run reports what happens: the library never prints, the CLI decides.
struct RunOptions {
    int threads = 1;
    /// Called after each step with its wall time (also kept in provenance.json).
    std::function<void(std::string const& step, double seconds)> on_step_done;
    /// Called with a one-line note: a skipped step and why, a low-depth warning.
    std::function<void(std::string const& note)> on_note;
    /// A study from reads: recompute every sample's units even where the cache holds them (`--force`).
    bool recompute = false;
};

/// An output directory that is written in a fresh sibling `<out>.orbiome-tmp-<pid>` and replaces
/// `out` only on `commit()`; destroyed uncommitted, the temporary is removed and `out` is left
/// as it was. The constructor refuses (UsageError, 64) an `out` that exists and is not an
/// orbiome study directory (one holding manifest.json or provenance.json, or only a sample
/// cache `samples/`) nor empty, and a path that exists and is not a directory. The sample cache
/// of a study from reads is written in `out/samples/` directly (it outlives a failed run) and
/// moves into the new directory on commit. Not thread-safe.
class StagedDirectory {
public:
    explicit StagedDirectory(std::string out);
    ~StagedDirectory();
    StagedDirectory(StagedDirectory const&) = delete;
    StagedDirectory& operator=(StagedDirectory const&) = delete;

    std::string const& path() const { return tmp_; }  ///< where to write now
    std::string const& out() const { return out_; }   ///< where it will be
    /// Replaces `out` by the temporary (the old study directory is removed). Throws IoError (74).
    void commit();

private:
    std::string out_, tmp_;
    bool committed_ = false;
};

/// Refuses (UsageError, 64) an `out` that exists and is neither empty nor an orbiome study
/// directory (see StagedDirectory), or is not a directory.
void check_study_out(std::string const& out);

/// One job of the Snakemake workflow: computes the per-sample units of `sample` of a study from
/// reads into `out_dir/samples/` (the cache `run_study` reuses), and nothing else.
void run_sample_units(StudySpec const& spec, std::string const& out_dir, std::string const& sample,
                      RunOptions const& options);

/// Writes `dir`/Snakefile (the repo's workflow/Snakefile) and `dir`/config.yaml, which run the
/// study `spec` into `out_dir` with `orbiome` (the binary's absolute path): one job per sample
/// of a study from reads, then one for the rest (docs/scale.md). `out_dir` and the study file
/// are made absolute. Throws IoError (74) when the files cannot be written.
void write_snakemake(StudySpec const& spec, std::string const& out_dir, std::string const& dir,
                     std::string const& orbiome, int threads);

/// Runs the whole study into `out_dir`, through a StagedDirectory: every check (the spec against
/// metadata and table, each step's own) happens before any output, and `out_dir` is replaced
/// only when every step succeeded. Returns the path of the report.
std::string run_study(StudySpec const& spec, std::string const& out_dir, RunOptions const& options);
/// As above with only a thread count (kept for callers of the first version).
std::string run_study(StudySpec const& spec, std::string const& out_dir, int threads);
/// Runs the study into the already staged directory `stage` (paths under `stage.path()` are
/// recorded as under `stage.out()`), without committing it. For callers that put inputs in the
/// stage first (`orbiome demo`).
std::string run_study_staged(StudySpec const& spec, StagedDirectory const& stage, RunOptions const& options);

}  // namespace orbiome::study
