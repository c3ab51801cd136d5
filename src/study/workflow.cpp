// `orbiome run STUDY --emit-snakemake DIR`: the repo's Snakemake workflow (workflow/Snakefile,
// embedded at build time) and the config that points it at one study (docs/scale.md).
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "study/sample_step.hpp"
#include "study/study.hpp"

namespace orbiome::study {

namespace embedded {
extern char const kSnakefile[];  // workflow/Snakefile (generated/workflow_snakefile.cpp)
}

void write_snakemake(StudySpec const& spec, std::string const& out_dir, std::string const& dir,
                     std::string const& orbiome, int threads) {
    namespace fs = std::filesystem;
    std::vector<std::string> samples;
    std::string last_step;
    if (!spec.reads.empty()) {
        for (auto const& s : read_study_samples(spec)) samples.push_back(s.name);
        for (auto const& entry : sample_step_registry()) {
            auto const step = entry.make(spec);
            if (!step.skip || step.skip(spec).empty()) last_step = step.name;
        }
    }
    // A sample's job is done when the unit of its last per-sample step exists (sample_step.hpp).
    nlohmann::json config = {{"orbiome", orbiome},
                             {"study", fs::absolute(spec.source).lexically_normal().string()},
                             {"out", fs::absolute(out_dir).lexically_normal().string()},
                             {"samples", samples},
                             {"sample_done", last_step + "/unit.json"},
                             {"sample_threads", threads},
                             {"study_threads", threads}};
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw IoError(Errc::io, dir, "cannot create directory: " + ec.message());
    // JSON is YAML, and Snakemake reads config.yaml as YAML.
    AtomicOutput cfg((fs::path(dir) / "config.yaml").string());
    cfg.stream() << "# written by orbiome run --emit-snakemake for " << spec.source << "\n" << config.dump(2) << '\n';
    AtomicOutput snakefile((fs::path(dir) / "Snakefile").string());
    snakefile.stream() << embedded::kSnakefile;
    cfg.commit();
    snakefile.commit();
}

}  // namespace orbiome::study
