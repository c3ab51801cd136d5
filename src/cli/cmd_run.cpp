#include <filesystem>
#include <iostream>

#include "cli/cli.hpp"
#include "cli/study_reporting.hpp"
#include "core/error.hpp"
#include "study/study.hpp"

namespace orbiome::cli {

int cmd_run(Args const& a) {
    auto app = make_app(a, "Run a whole study: tables, alpha and beta diversity, PERMANOVA, the F/B ratio,\n"
                           "differential abundance and the report (study file keys: docs/study.md).\n"
                           "The study is written to a temporary folder beside --out, which replaces --out\n"
                           "only when every step succeeded; an existing --out must be a study folder or empty.");
    std::string study_file, out = "orbiome-study", sample, snakemake_dir;
    int threads = 1;
    StudyReporting reporting;
    app->add_option("study", study_file, "Study file (TOML)")->required();
    app->add_option("--out", out, "Output directory");
    app->add_option("--sample", sample,
                    "Study from reads: compute only this sample's per-sample steps into OUT/samples/ (the cache "
                    "a full run reuses; one job of the Snakemake workflow)");
    app->add_option("--emit-snakemake", snakemake_dir,
                    "Write DIR/Snakefile and DIR/config.yaml: the repo's Snakemake workflow for this study "
                    "(one job per sample, then the rest), run with `snakemake --snakefile DIR/Snakefile --cores N`")
        ->excludes("--sample");
    bool force = false;
    app->add_flag("--force", force, "Study from reads: recompute every sample's per-sample steps, ignoring the cache");
    add_threads(*app, threads);
    reporting.add_to(*app);
    if (!parse(*app, a)) return 0;
    auto const spec = study::read_study(study_file);
    if (!snakemake_dir.empty()) {
        std::error_code ec;
        auto const self = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (ec) throw IoError(Errc::io, "/proc/self/exe", "cannot find the orbiome binary: " + ec.message());
        study::write_snakemake(spec, out, snakemake_dir, self.string(), threads);
        std::cerr << "orbiome run: workflow written to " << snakemake_dir
                  << "/; run it with: snakemake --snakefile " << snakemake_dir << "/Snakefile --cores N\n";
        return 0;
    }
    auto options = reporting.options("run", threads);
    options.recompute = force;
    if (!sample.empty()) {
        study::run_sample_units(spec, out, sample, options);
        return 0;
    }
    auto const report = study::run_study(spec, out, options);
    std::cout << "study '" << spec.name << "' written to " << out << "/" << (report.empty() ? "" : "\nreport: " + report)
              << '\n';
    return 0;
}

}  // namespace orbiome::cli
