// Per-sample step `qc` of a shotgun study from reads: each sample's reads through `orbiome qc`
// (adapters, quality, length, ambiguous bases, complexity, and host depletion when [qc] names a
// host index); the clean reads are what the later steps read. The gather writes every sample's
// counts into one table, reads/qc.tsv.
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "qc/qc.hpp"
#include "study/sample_step.hpp"
#include "study/section.hpp"
#include "study/step.hpp"

namespace orbiome::study {

void parse_qc_section(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) return;
    if (spec.kind != "shotgun")
        throw ParseError({path, line_of_value(*v)}, "[qc] is for studies from shotgun reads",
                         "give [inputs] reads and kind = \"shotgun\"");
    Section s(path, "qc", *v, spec);
    qc::QcOptions const defaults;
    std::string host_db, adapters;
    std::int64_t min_quality = defaults.min_quality, min_length = static_cast<std::int64_t>(defaults.min_length);
    std::int64_t max_n = defaults.max_n;
    double min_complexity = defaults.min_complexity;
    s.read_path("host_db", host_db, false);
    s.read_path("adapters", adapters, false);
    s.read("min_quality", min_quality);
    s.read("min_length", min_length);
    s.read("max_n", max_n);
    s.read("min_complexity", min_complexity);
    s.finish();
    if (min_quality < 0 || min_quality > 93)
        throw ParseError({path, spec.line_of("qc.min_quality")}, "qc.min_quality must be between 0 and 93");
    if (min_length < 1) throw ParseError({path, spec.line_of("qc.min_length")}, "qc.min_length must be >= 1");
    if (min_complexity < 0 || min_complexity > 1)
        throw ParseError({path, spec.line_of("qc.min_complexity")}, "qc.min_complexity must be between 0 and 1");
    spec.step_sections["qc"] = {{"host_db", host_db},         {"adapters", adapters},
                                {"min_quality", min_quality}, {"min_length", min_length},
                                {"max_n", max_n},             {"min_complexity", min_complexity}};
}

namespace {

/// reads/qc.tsv: one row per sample and QC step, the rows of each NAME.qc.tsv after its sample.
void gather_qc(GatherContext& cx) {
    std::string const rel = "reads/qc.tsv";
    AtomicOutput out(cx.path(rel));
    out.stream() << run_header("qc") << "\nsample\tstep\treads_in\treads_out\tbases_in\tbases_out\n";
    for (auto const& s : cx.samples) {
        auto const& path = s.files.at("qc");
        std::ifstream in(path);
        std::string line;
        bool header = true;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            if (header) {  // the per-sample header: step reads_in ...
                header = false;
                continue;
            }
            out.stream() << s.reads.name << '\t' << line << '\n';
        }
        if (in.bad() || header) throw IoError(Errc::io, path, "cannot read the sample's QC counts");
    }
    out.commit();
    cx.wrote("qc_summary", rel);
}

}  // namespace

SampleStep qc_sample_step(StudySpec const& spec) {
    SampleStep step;
    step.name = "qc";
    auto const it = spec.step_sections.find("qc");
    step.skip = [](StudySpec const& sp) -> std::string {
        return sp.step_sections.count("qc") ? "" : "no [qc] section: reads are profiled as given";
    };
    if (it == spec.step_sections.end()) return step;
    step.options = it->second;
    auto const& o = it->second;
    qc::QcOptions opt;
    opt.min_quality = o.at("min_quality").get<int>();
    opt.min_length = o.at("min_length").get<std::size_t>();
    opt.max_n = o.at("max_n").get<int>();
    opt.min_complexity = o.at("min_complexity").get<double>();
    auto const adapters = o.at("adapters").get<std::string>();
    if (!adapters.empty()) step.databases.push_back(adapters);
    auto const host_db = o.at("host_db").get<std::string>();
    if (!host_db.empty()) step.databases.push_back(host_db);
    step.open = [opt, adapters, host_db](int threads) mutable -> SampleRun {
        if (!adapters.empty()) opt.adapters = qc::read_adapters(adapters);
        opt.n_threads = threads;
        std::shared_ptr<index::Index const> host;
        if (!host_db.empty()) host = std::make_shared<index::Index const>(index::Index::open(host_db));
        return [opt, host](SampleFiles const& in, std::string const& dir) {
            auto const& r = in.reads;
            qc::run_qc({r.name, r.reads, r.reads2, dir}, opt, host.get(), run_header("qc"));
            std::map<std::string, std::string> outputs{{"reads", r.name + "_R1.fastq.gz"}, {"qc", r.name + ".qc.tsv"}};
            if (!r.reads2.empty()) outputs["reads2"] = r.name + "_R2.fastq.gz";
            return outputs;
        };
    };
    step.gather = &gather_qc;
    return step;
}

}  // namespace orbiome::study
