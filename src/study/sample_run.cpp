// The per-sample part of a study from reads: every sample through the chain of per-sample steps,
// each result a cached unit in DIR/samples/NAME/STEP/ (sample_step.hpp), then the gathers.
#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "io/metadata.hpp"
#include "orbiome/version.hpp"
#include "study/sample_step.hpp"
#include "study/step.hpp"

namespace orbiome::study {

namespace fs = std::filesystem;

namespace {

constexpr char kUnitFile[] = "unit.json";

/// Identity of a database in a cache key: path, size and modification time.
std::string database_identity(std::string const& path) {
    std::error_code ec;
    auto const size = fs::file_size(path, ec);
    auto const mtime = fs::last_write_time(path, ec).time_since_epoch().count();
    return path + ":" + std::to_string(ec ? 0 : size) + ":" + std::to_string(ec ? 0 : mtime);
}

/// The files of the unit in `dir` when its unit.json carries `key` and they all exist; else empty.
std::map<std::string, std::string> cached_outputs(std::string const& dir, std::string const& key) {
    std::ifstream in(fs::path(dir) / kUnitFile);
    if (!in) return {};
    nlohmann::json unit;
    try {
        in >> unit;
        if (unit.value("key", "") != key) return {};
        auto outputs = unit.at("outputs").get<std::map<std::string, std::string>>();
        for (auto const& [role, name] : outputs)
            if (!fs::exists(fs::path(dir) / name)) return {};
        return outputs;
    } catch (nlohmann::json::exception const&) {
        return {};  // a unit.json that does not parse is recomputed, not trusted
    }
}

/// Computes one unit: into a temporary folder beside `dir`, then renamed over it, so a failure
/// leaves the previous unit (or none), never half of one.
std::map<std::string, std::string> compute_unit(SampleRun const& run, SampleFiles const& in, std::string const& dir,
                                                std::string const& key, std::string const& step) {
    std::string const tmp = dir + ".tmp-" + std::to_string(::getpid());
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec) throw IoError(Errc::io, tmp, "cannot create directory: " + ec.message());
    try {
        auto outputs = run(in, tmp);
        nlohmann::json unit{{"key", key}, {"step", step}, {"sample", in.reads.name}, {"outputs", outputs},
                            {"orbiome_version", kVersion}};
        AtomicOutput out((fs::path(tmp) / kUnitFile).string());
        out.stream() << unit.dump(2) << '\n';
        out.commit();
        fs::remove_all(dir, ec);
        fs::rename(tmp, dir, ec);
        if (ec) throw IoError(Errc::io, dir, "cannot move the sample's results into place: " + ec.message());
        return outputs;
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

void take_outputs(SampleFiles& files, std::string const& dir, std::map<std::string, std::string> const& outputs) {
    for (auto const& [role, name] : outputs) {
        std::string const path = (fs::path(dir) / name).string();
        files.files[role] = path;
        if (role == "reads") files.reads.reads = path;
        if (role == "reads2") files.reads.reads2 = path;
    }
}

}  // namespace

std::string GatherContext::path(std::string const& rel) const { return path_in_study(stage, rel); }

void GatherContext::wrote(std::string kind, std::string rel, std::string comparison, std::string metric,
                          std::string rank, std::string method) const {
    manifest.add({std::move(kind), std::move(rel), step, std::move(comparison), std::move(metric), std::move(rank),
                  std::move(method)});
}

std::vector<seqio::SampleReads> read_study_samples(StudySpec const& spec) {
    auto samples = seqio::read_samplesheet(spec.reads);
    fs::path const folder = fs::path(spec.reads).parent_path();
    io::MetadataOptions options{spec.metadata_id_column, {}};
    for (auto const& s : samples) options.sample_ids.push_back(s.name);
    auto const md = io::read_metadata(spec.metadata, options);
    for (auto& s : samples) {
        if (s.name.find('/') != std::string::npos)
            throw ParseError({spec.reads, 0}, "sample name '" + s.name + "' contains '/'");
        if (md.sample_index(s.name) == io::Metadata::npos)
            throw ParseError({spec.reads, 0}, "sample '" + s.name + "' is not in the metadata " + spec.metadata,
                             "every sample of the sheet needs a metadata row");
        for (auto* file : {&s.reads, &s.reads2}) {
            if (file->empty()) continue;
            fs::path p(*file);
            if (p.is_relative()) p = folder / p;
            *file = p.lexically_normal().string();
            std::ifstream probe(*file, std::ios::binary);
            if (!probe)
                throw IoError(Errc::no_input, spec.reads,
                              "sample " + s.name + ": cannot read '" + *file + "'" +
                                  (fs::exists(*file) ? " (permission denied)" : " (no such file)"));
        }
    }
    return samples;
}

SampleStageReport run_sample_steps(StudySpec const& spec, std::string const& out_dir, std::string const& stage,
                                   report::Manifest& manifest, RunOptions const& options,
                                   std::string const& only_sample) {
    auto const& on_note = options.on_note;
    auto sheet = read_study_samples(spec);
    if (!only_sample.empty()) {
        auto const it = std::find_if(sheet.begin(), sheet.end(), [&](auto const& s) { return s.name == only_sample; });
        if (it == sheet.end()) throw UsageError("--sample " + only_sample + ": no such sample in " + spec.reads);
        sheet = {*it};
    }
    std::vector<SampleStep> steps;
    for (auto const& entry : sample_step_registry()) {
        auto step = entry.make(spec);
        std::string const why = step.skip ? step.skip(spec) : std::string();
        if (!why.empty()) {
            manifest.skipped.push_back({step.name, why});
            continue;
        }
        steps.push_back(std::move(step));
    }

    SampleStageReport report;
    std::vector<SampleFiles> samples;
    std::vector<SampleRun> runs(steps.size());  // opened on first need
    std::exception_ptr first_failure;
    std::vector<std::size_t> done(sheet.size(), 0);  // per sample: how many steps it finished
    for (auto const& s : sheet) {
        SampleFiles files{s, {}, {}};
        // The input of the first step: the reads' content.
        std::string input = s.name + ":" + sha256_file(s.reads) + (s.reads2.empty() ? "" : ":" + sha256_file(s.reads2));
        try {
            for (std::size_t i = 0; i < steps.size(); ++i) {
                auto const& step = steps[i];
                std::string key_text = step.name + "\n" + step.options.dump() + "\n" + input;
                for (auto const& db : step.databases) key_text += "\n" + database_identity(db);
                std::string const key = sha256_hex(key_text);
                std::string const dir = (fs::path(out_dir) / "samples" / s.name / step.name).string();
                auto outputs = options.recompute ? std::map<std::string, std::string>() : cached_outputs(dir, key);
                if (!outputs.empty()) {
                    report.reused.emplace_back(s.name, step.name);
                    if (on_note) on_note("sample " + s.name + ": " + step.name + " reused from " + dir);
                } else {
                    if (!runs[i]) runs[i] = step.open(options.threads);
                    outputs = compute_unit(runs[i], files, dir, key, step.name);
                    report.computed.emplace_back(s.name, step.name);
                    if (on_note) on_note("sample " + s.name + ": " + step.name + " computed");
                }
                take_outputs(files, dir, outputs);
                input = key;
                done[samples.size()] = i + 1;
                if (step.check) files.stopped = step.check(files);
                if (!files.stopped.empty()) {
                    report.stopped.emplace_back(s.name, files.stopped);
                    if (on_note) on_note("sample " + s.name + " stops after " + step.name + ": " + files.stopped);
                    break;
                }
            }
        } catch (Error const& e) {
            // The other samples still run, so that their units are cached for the rerun.
            if (on_note) on_note("sample " + s.name + " failed: " + e.message());
            if (!first_failure) first_failure = std::current_exception();
        }
        samples.push_back(std::move(files));
    }
    if (first_failure) std::rethrow_exception(first_failure);
    if (!only_sample.empty()) return report;  // one job of a workflow: its units only

    for (std::size_t i = 0; i < steps.size(); ++i) {
        auto const& step = steps[i];
        manifest.methods[step.name] = step.options;
        if (!step.gather) continue;
        std::vector<SampleFiles> ran;  // a sample stopped by an earlier step's threshold is not in later gathers
        for (std::size_t k = 0; k < samples.size(); ++k)
            if (done[k] > i) ran.push_back(samples[k]);
        if (ran.empty())
            throw Error(Errc::data, {spec.source}, "no sample is left for " + step.name + ": every sample stopped at a threshold",
                        "the messages above say why; lower the thresholds or check the reads");
        GatherContext cx{spec, ran, stage, manifest, step.name, {}};
        step.gather(cx);
        if (!cx.table.empty()) report.table = cx.table;
    }
    if (report.table.empty())
        throw UsageError(spec.source + ": no step of this study makes a feature table from its reads",
                         "a shotgun study needs a [profile] section with its index (db)");
    return report;
}

}  // namespace orbiome::study

namespace orbiome::study {

void run_sample_units(StudySpec const& spec, std::string const& out_dir, std::string const& sample,
                      RunOptions const& options) {
    if (spec.reads.empty()) throw UsageError("--sample is for studies from reads; " + spec.source + " starts from a table");
    check_study_out(out_dir);
    validate_against_metadata(spec);
    report::Manifest unused;
    run_sample_steps(spec, out_dir, "", unused, options, sample);
}

}  // namespace orbiome::study
