#include <chrono>
#include <filesystem>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "orbiome/version.hpp"
#include "report/html_report.hpp"
#include "study/analyses.hpp"
#include "study/study.hpp"

namespace orbiome::study {

namespace {

namespace fs = std::filesystem;

/// Wall time of each step, for provenance.json and the progress lines on stderr (the report's
/// own time is only printed: provenance.json is written before the report reads it).
class StepTimer {
public:
    explicit StepTimer(nlohmann::json& timings) : timings_(timings) {}
    template <class F>
    void run(std::string const& name, F&& step) {
        auto const t0 = std::chrono::steady_clock::now();
        step();
        double const s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        timings_[name] = s;
        std::cerr << "[orbiome::run " << name << " " << s << "s]\n";
    }

private:
    nlohmann::json& timings_;
};

void make_dir(fs::path const& p) {
    std::error_code ec;
    fs::create_directories(p, ec);
    if (ec) throw IoError(Errc::io, p.string(), "cannot create directory: " + ec.message());
}

nlohmann::json spec_json(StudySpec const& spec) {
    nlohmann::json j;
    j["name"] = spec.name;
    j["inputs"] = {{"table", spec.table}, {"taxonomy", spec.taxonomy}, {"metadata", spec.metadata}, {"tree", spec.tree}};
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
    j["analysis"] = {{"ranks", spec.ranks},     {"alpha", spec.alpha},
                     {"beta", spec.beta},       {"diff_methods", spec.diff_methods},
                     {"ratio", {spec.ratio.first, spec.ratio.second}},
                     {"permutations", spec.permutations}, {"seed", spec.seed}};
    if (!spec.host_variables.empty() || !spec.metabolites.empty())
        j["host"] = {{"variables", spec.host_variables}, {"metabolites", spec.metabolites},
                     {"method", spec.host_method}, {"rank", spec.host_rank}};
    return j;
}

}  // namespace

std::string run_study(StudySpec const& spec, std::string const& out_dir, int threads) {
    validate_against_metadata(spec);  // every spec error before any work or output
    fs::path const out(out_dir);
    for (auto const* sub : {"tables", "alpha", "beta", "ratio", "diff"}) make_dir(out / sub);

    nlohmann::json prov;
    prov["orbiome_version"] = kVersion;
    prov["study"] = spec_json(spec);
    prov["study_file"] = spec.source;
    prov["threads"] = threads;
    for (auto const* path : {&spec.source, &spec.table, &spec.taxonomy, &spec.metadata, &spec.tree, &spec.metabolites})
        if (!path->empty()) prov["input_sha256"][*path] = sha256_file(*path);
    StepTimer timer(prov["timings_seconds"]);

    StudyData data;
    timer.run("load", [&] { data = load_study_data(spec, threads); });
    timer.run("tables", [&] { write_tables(spec, data, out.string()); });
    timer.run("alpha", [&] { run_alpha(spec, data, out.string(), threads); });
    timer.run("beta", [&] { run_beta(spec, data, out.string(), threads); });
    timer.run("ratio", [&] { run_ratio(spec, data, out.string()); });
    timer.run("diff", [&] { run_diff(spec, data, out.string(), threads); });
    timer.run("assoc", [&] { run_assoc(spec, data, out.string(), threads); });

    {
        AtomicOutput pj((out / "provenance.json").string());
        pj.stream() << prov.dump(2) << '\n';
        pj.commit();
    }
    std::string const report_path = (out / "report.html").string();
    timer.run("report", [&] { report::write_report(out.string(), report_path); });
    return report_path;
}

}  // namespace orbiome::study
