// Per-sample step `qc` of a shotgun study from reads: each sample's reads through `orbiome qc`
// (adapters, quality, length, ambiguous bases, complexity, and host depletion when [qc] names a
// host index); the clean reads are what the later steps read. The gather writes every sample's
// counts into one table, reads/qc.tsv.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "qc/qc.hpp"
#include "study/sample_step.hpp"
#include "study/section.hpp"
#include "study/step.hpp"

namespace orbiome::study {

namespace {

/// The [qc] keys that judge a sample's QC result rather than make it: kept apart from the
/// step's options so that changing them does not recompute any unit.
constexpr char kThresholds[] = "thresholds";

/// The rows of a sample's NAME.qc.tsv in its order (the order QC runs its steps, "total" last).
std::vector<qc::StepCounts> read_qc_counts(std::string const& path) {
    std::ifstream in(path);
    std::vector<qc::StepCounts> rows;
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (header) {  // step reads_in reads_out bases_in bases_out
            header = false;
            continue;
        }
        std::istringstream fields(line);
        qc::StepCounts c;
        if (!(fields >> c.step >> c.reads_in >> c.reads_out >> c.bases_in >> c.bases_out))
            throw IoError(Errc::data, path, "cannot read the sample's QC counts: '" + line + "'");
        rows.push_back(c);
    }
    if (in.bad() || rows.empty() || rows.back().step != "total")
        throw IoError(Errc::io, path, "cannot read the sample's QC counts");
    return rows;
}

/// Percent of the reads reaching host depletion that it removed; 0 without a host index.
double host_percent(std::vector<qc::StepCounts> const& rows) {
    auto const it = std::find_if(rows.begin(), rows.end(), [](auto const& c) { return c.step == "host"; });
    if (it == rows.end() || it->reads_in == 0) return 0;
    auto const& h = *it;
    return 100.0 * static_cast<double>(h.reads_in - h.reads_out) / static_cast<double>(h.reads_in);
}

}  // namespace

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
    std::int64_t min_reads = 0;
    double max_host_percent = 100;
    s.read_path("host_db", host_db, false);
    s.read_path("adapters", adapters, false);
    s.read("min_quality", min_quality);
    s.read("min_length", min_length);
    s.read("max_n", max_n);
    s.read("min_complexity", min_complexity);
    s.read("min_reads", min_reads);
    s.read("max_host_percent", max_host_percent);
    s.finish();
    if (min_reads < 0) throw ParseError({path, spec.line_of("qc.min_reads")}, "qc.min_reads must be >= 0");
    if (max_host_percent < 0 || max_host_percent > 100)
        throw ParseError({path, spec.line_of("qc.max_host_percent")}, "qc.max_host_percent must be between 0 and 100");
    if (min_quality < 0 || min_quality > 93)
        throw ParseError({path, spec.line_of("qc.min_quality")}, "qc.min_quality must be between 0 and 93");
    if (min_length < 1) throw ParseError({path, spec.line_of("qc.min_length")}, "qc.min_length must be >= 1");
    if (min_complexity < 0 || min_complexity > 1)
        throw ParseError({path, spec.line_of("qc.min_complexity")}, "qc.min_complexity must be between 0 and 1");
    spec.step_sections["qc"] = {{"host_db", host_db},         {"adapters", adapters},
                                {"min_quality", min_quality}, {"min_length", min_length},
                                {"max_n", max_n},             {"min_complexity", min_complexity},
                                {kThresholds, {{"min_reads", min_reads}, {"max_host_percent", max_host_percent}}}};
}

namespace {

/// reads/qc.tsv: one row per sample and QC step, the rows of each NAME.qc.tsv after its sample.
/// reads/qc_status.tsv: one row per sample, its reads in and kept, the host share and whether it
/// passed the [qc] thresholds (a sample that did not is left out of the study's table).
void gather_qc(GatherContext& cx) {
    std::string const rel = "reads/qc.tsv", status_rel = "reads/qc_status.tsv";
    AtomicOutput out(cx.path(rel)), status(cx.path(status_rel));
    out.stream() << run_header("qc") << "\nsample\tstep\treads_in\treads_out\tbases_in\tbases_out\n";
    status.stream() << run_header("qc") << "\nsample\treads_in\treads_kept\thost_percent\tstatus\treason\n";
    for (auto const& s : cx.samples) {
        auto const rows = read_qc_counts(s.files.at("qc"));
        for (auto const& c : rows)
            out.stream() << s.reads.name << '\t' << c.step << '\t' << c.reads_in << '\t' << c.reads_out << '\t'
                         << c.bases_in << '\t' << c.bases_out << '\n';
        auto const& total = rows.back();
        status.stream() << s.reads.name << '\t' << total.reads_in << '\t' << total.reads_out << '\t'
                        << format_double(host_percent(rows)) << '\t' << (s.stopped.empty() ? "pass" : "fail") << '\t'
                        << s.stopped << '\n';
    }
    out.commit();
    status.commit();
    cx.wrote("qc_summary", rel);
    cx.wrote("qc_status", status_rel);
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
    auto const& o = it->second;
    step.options = o;
    step.options.erase(kThresholds);
    auto const min_reads = o.at(kThresholds).at("min_reads").get<std::uint64_t>();
    auto const max_host = o.at(kThresholds).at("max_host_percent").get<double>();
    step.check = [min_reads, max_host](SampleFiles const& after) -> std::string {
        auto const rows = read_qc_counts(after.files.at("qc"));
        auto const kept = rows.back().reads_out;
        if (kept < min_reads)
            return std::to_string(kept) + " reads kept, fewer than qc.min_reads = " + std::to_string(min_reads);
        double const host = host_percent(rows);
        if (host > max_host)
            return "host depletion removed " + format_double(host) + " % of the reads, more than qc.max_host_percent = " +
                   format_double(max_host);
        return "";
    };
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
