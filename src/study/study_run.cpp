#include <chrono>
#include <filesystem>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "orbiome/version.hpp"
#include "report/html_report.hpp"
#include "report/manifest.hpp"
#include "study/sample_step.hpp"
#include "study/step.hpp"
#include "study/study.hpp"

namespace orbiome::study {

namespace {

namespace fs = std::filesystem;

/// The per-sample cache's folder in a study directory (sample_step.hpp).
constexpr char kSampleCache[] = "samples";

nlohmann::json spec_json(StudySpec const& spec, std::function<std::string(std::string const&)> const& shown) {
    nlohmann::json j;
    j["name"] = spec.name;
    j["inputs"] = {{"table", shown(spec.table)},
                   {"taxonomy", shown(spec.taxonomy)},
                   {"metadata", shown(spec.metadata)},
                   {"tree", shown(spec.tree)}};
    if (!spec.reads.empty()) {
        j["inputs"]["reads"] = shown(spec.reads);
        j["inputs"]["kind"] = spec.kind;
        for (auto const& [section, options] : spec.step_sections) j[section] = options;
    }
    if (!spec.metadata_id_column.empty()) j["inputs"]["metadata_id_column"] = spec.metadata_id_column;
    j["design"] = {{"group", spec.group}, {"subject", spec.subject}, {"covariates", spec.covariates}};
    for (auto const& c : spec.comparisons) {
        nlohmann::json where = nlohmann::json::object();
        for (auto const& [k, v] : c.where) where[k] = v;
        j["comparisons"].push_back({{"name", c.name}, {"test", c.test}, {"reference", c.reference}, {"where", where}});
    }
    nlohmann::json filter = nlohmann::json::object();
    if (spec.filter.min_count) filter["min_count"] = *spec.filter.min_count;
    if (spec.filter.min_samples) filter["min_samples"] = *spec.filter.min_samples;
    if (spec.filter.min_total) filter["min_total"] = *spec.filter.min_total;
    if (spec.filter.min_prevalence) filter["min_prevalence"] = *spec.filter.min_prevalence;
    j["filter"] = filter;
    if (spec.rarefy_depth) j["rarefy"] = {{"depth", *spec.rarefy_depth}, {"seed", spec.rarefy_seed}};
    nlohmann::json ratio = nlohmann::json::array();
    if (spec.ratio) ratio = {spec.ratio->first, spec.ratio->second};
    j["analysis"] = {{"ranks", spec.ranks},     {"alpha", spec.alpha},
                     {"beta", spec.beta},       {"diff_methods", spec.diff_methods},
                     {"ratio", ratio},          {"permutations", spec.permutations}, {"seed", spec.seed}};
    if (!spec.host_variables.empty() || !spec.metabolites.empty())
        j["host"] = {{"variables", spec.host_variables}, {"metabolites", shown(spec.metabolites)},
                     {"method", spec.host_method}, {"rank", spec.host_rank}};
    return j;
}

/// What loading did, for the report's methods section: features and samples before and after
/// the filter and rarefaction, which samples were dropped and why, shallow samples.
nlohmann::json load_methods(StudySpec const& spec, StudyData const& data) {
    nlohmann::json m;
    m["features_in"] = data.n_features_raw;
    m["samples_in"] = data.n_samples_raw;
    m["features_after_filter"] = data.filtered.n_features();
    m["samples_analysed"] = data.analysed.n_samples();
    m["features_analysed"] = data.analysed.n_features();
    m["group"] = spec.group;
    m["subject"] = spec.subject;
    m["covariates"] = spec.covariates;
    if (spec.rarefy_depth) {
        m["rarefy_depth"] = *spec.rarefy_depth;
        m["rarefy_seed"] = spec.rarefy_seed;
        nlohmann::json dropped = nlohmann::json::array();
        for (auto const& s : data.rarefy.dropped_samples)
            dropped.push_back({{"sample", s}, {"reason", "fewer than " + std::to_string(*spec.rarefy_depth) + " reads"}});
        m["dropped_samples"] = dropped;
    }
    nlohmann::json low = nlohmann::json::array();
    for (auto const& [s, depth] : data.low_depth) low.push_back({{"sample", s}, {"depth", depth}});
    m["low_depth_samples"] = low;
    m["low_depth_threshold"] = kLowDepth;
    return m;
}

/// A folder holding nothing but a sample cache: what a failed first run of a study from reads
/// leaves (the cache outlives the run so that the rerun redoes only what failed).
bool only_sample_cache(fs::path const& dir) {
    std::error_code ec;
    bool any = false;
    for (auto const& e : fs::directory_iterator(dir, ec)) {
        if (e.path().filename() != kSampleCache) return false;
        any = true;
    }
    return any;
}

}  // namespace

void check_study_out(std::string const& out) {
    std::error_code ec;
    fs::path const o(out);
    if (!fs::exists(o, ec)) return;
    if (!fs::is_directory(o, ec)) throw UsageError("--out " + out + " exists and is not a directory");
    bool const ours = fs::exists(o / report::kManifestFile, ec) || fs::exists(o / "provenance.json", ec) ||
                      only_sample_cache(o);
    if (!ours && !fs::is_empty(o, ec))
        throw UsageError("--out " + out + " exists and is not an orbiome study directory (no manifest.json or "
                         "provenance.json); refusing to replace it",
                         "give a new or empty folder");
}

StagedDirectory::StagedDirectory(std::string out) : out_(std::move(out)) {
    std::error_code ec;
    fs::path const o(out_);
    check_study_out(out_);
    fs::path const parent = o.has_parent_path() ? o.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);
    if (ec) throw IoError(Errc::io, out_, "cannot create directory: " + ec.message());
    std::string const name = o.filename().empty() ? o.parent_path().filename().string() : o.filename().string();
    // Lexically normal, as read_study makes the input paths, so that paths under the stage can
    // be recognised (and shown as under `out`).
    tmp_ = (parent / ("." + name + ".orbiome-tmp-" + std::to_string(::getpid()))).lexically_normal().string();
    fs::remove_all(tmp_, ec);
    fs::create_directory(tmp_, ec);
    if (ec) throw IoError(Errc::io, tmp_, "cannot create directory: " + ec.message());
}

StagedDirectory::~StagedDirectory() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(tmp_, ec);
}

void StagedDirectory::commit() {
    std::error_code ec;
    fs::path const o(out_);
    std::string old;
    // The sample cache of a study from reads is written in place (it outlives failed runs): it
    // moves into the new study directory.
    fs::path const cache = o / kSampleCache, staged_cache = fs::path(tmp_) / kSampleCache;
    bool const moved_cache = fs::exists(cache, ec) && !fs::exists(staged_cache, ec);
    if (moved_cache) {
        fs::rename(cache, staged_cache, ec);
        if (ec) throw IoError(Errc::io, cache.string(), "cannot move the sample cache: " + ec.message());
    }
    if (fs::exists(o, ec)) {
        old = tmp_ + ".old";
        fs::rename(o, old, ec);
        if (ec) {
            std::error_code ignored;
            if (moved_cache) fs::rename(staged_cache, cache, ignored);
            throw IoError(Errc::io, out_, "cannot move the previous study directory aside: " + ec.message());
        }
    }
    fs::rename(tmp_, o, ec);
    if (ec) {
        std::error_code ignored;
        if (!old.empty()) fs::rename(old, o, ignored);
        if (moved_cache) fs::rename(staged_cache, cache, ignored);
        throw IoError(Errc::io, out_, "cannot move the new study directory into place: " + ec.message());
    }
    committed_ = true;
    if (!old.empty()) fs::remove_all(old, ec);
}

std::string run_study_staged(StudySpec const& spec, StagedDirectory const& stage, RunOptions const& options) {
    // Every check before any output: the spec against the metadata, then (with the data
    // loaded, which writes nothing) each step's own.
    validate_against_metadata(spec);
    auto note = [&](std::string const& line) {
        if (options.on_note) options.on_note(line);
    };
    report::Manifest manifest;
    // A study from reads first makes its table, sample by sample (sample_step.hpp).
    StudySpec spec_with_table = spec;
    SampleStageReport samples;
    double samples_seconds = 0;
    if (!spec.reads.empty()) {
        auto const t0 = std::chrono::steady_clock::now();
        samples = run_sample_steps(spec, stage.out(), stage.path(), manifest, options);
        spec_with_table.table = samples.table;
        samples_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (options.on_step_done) options.on_step_done("samples", samples_seconds);
    }
    auto const t_load = std::chrono::steady_clock::now();
    StudyData const data = load_study_data(spec_with_table, options.threads);
    double const load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();
    auto steps = study_steps(spec);
    std::vector<bool> runs;
    for (auto const& s : steps) {
        std::string const why = s.skip ? s.skip(spec, data) : std::string();
        runs.push_back(why.empty());
        if (!why.empty()) manifest.skipped.push_back({s.name, why});
        else if (s.check) s.check(spec, data);
    }

    auto shown = [&](std::string const& p) {
        return p.rfind(stage.path(), 0) == 0 ? stage.out() + p.substr(stage.path().size()) : p;
    };
    // The per-sample steps' databases in the methods: as the user will find them, not in the stage.
    for (auto& options : manifest.methods)
        for (auto& value : options)
            if (value.is_string()) value = shown(value.get<std::string>());
    for (auto const& s : manifest.skipped) note("step " + s.step + " skipped: " + s.reason);
    for (auto const& [sample, depth] : data.low_depth)
        note("warning: sample " + sample + " has only " + std::to_string(static_cast<long long>(depth)) +
             " reads (below " + std::to_string(static_cast<long long>(kLowDepth)) + "); its diversity is unreliable");

    nlohmann::json prov;
    prov["orbiome_version"] = kVersion;
    prov["study"] = spec_json(spec, shown);
    prov["study_file"] = shown(spec.source);
    prov["threads"] = options.threads;
    for (auto const* path : {&spec.source, &spec.table, &spec.reads, &spec.taxonomy, &spec.metadata, &spec.tree,
                             &spec.metabolites})
        if (!path->empty()) prov["input_sha256"][shown(*path)] = sha256_file(*path);
    if (!spec.reads.empty()) {
        nlohmann::json computed = nlohmann::json::array(), reused = nlohmann::json::array();
        for (auto const& [sample, step] : samples.computed) computed.push_back({{"sample", sample}, {"step", step}});
        for (auto const& [sample, step] : samples.reused) reused.push_back({{"sample", sample}, {"step", step}});
        nlohmann::json stopped = nlohmann::json::array();
        for (auto const& [sample, why] : samples.stopped) stopped.push_back({{"sample", sample}, {"reason", why}});
        prov["samples"] = {{"computed", computed}, {"reused_from_cache", reused}, {"stopped_at_a_threshold", stopped}};
        prov["timings_seconds"]["samples"] = samples_seconds;
    }
    prov["timings_seconds"]["load"] = load_seconds;
    if (options.on_step_done) options.on_step_done("load", load_seconds);
    manifest.methods["load"] = load_methods(spec, data);

    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (!runs[i]) continue;
        auto const& s = steps[i];
        manifest.methods[s.name] = s.options;
        StepContext const cx{spec, data, stage.path(), options.threads, manifest, s.name};
        auto const t0 = std::chrono::steady_clock::now();
        s.run(cx);
        double const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        prov["timings_seconds"][s.name] = secs;
        if (options.on_step_done) options.on_step_done(s.name, secs);
    }
    fs::path const dir(stage.path());
    {
        AtomicOutput pj((dir / "provenance.json").string());
        pj.stream() << prov.dump(2) << '\n';
        pj.commit();
    }
    report::write_manifest(manifest, (dir / report::kManifestFile).string());
    auto const t0 = std::chrono::steady_clock::now();
    report::write_report(stage.path(), (dir / "report.html").string());
    if (options.on_step_done)
        options.on_step_done("report", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return (fs::path(stage.out()) / "report.html").string();
}

std::string run_study(StudySpec const& spec, std::string const& out_dir, RunOptions const& options) {
    StagedDirectory stage(out_dir);
    auto report = run_study_staged(spec, stage, options);
    stage.commit();
    return report;
}

std::string run_study(StudySpec const& spec, std::string const& out_dir, int threads) {
    RunOptions options;
    options.threads = threads;
    return run_study(spec, out_dir, options);
}

}  // namespace orbiome::study
