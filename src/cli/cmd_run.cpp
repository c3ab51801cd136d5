#include <iostream>

#include "cli/cli.hpp"
#include "cli/study_reporting.hpp"
#include "study/study.hpp"

namespace orbiome::cli {

int cmd_run(Args const& a) {
    auto app = make_app(a, "Run a whole study: tables, alpha and beta diversity, PERMANOVA, the F/B ratio,\n"
                           "differential abundance and the report (study file keys: docs/study.md).\n"
                           "The study is written to a temporary folder beside --out, which replaces --out\n"
                           "only when every step succeeded; an existing --out must be a study folder or empty.");
    std::string study_file, out = "orbiome-study";
    int threads = 1;
    StudyReporting reporting;
    app->add_option("study", study_file, "Study file (TOML)")->required();
    app->add_option("--out", out, "Output directory");
    add_threads(*app, threads);
    reporting.add_to(*app);
    if (!parse(*app, a)) return 0;
    auto const spec = study::read_study(study_file);
    auto const report = study::run_study(spec, out, reporting.options("run", threads));
    std::cout << "study '" << spec.name << "' written to " << out << "/" << (report.empty() ? "" : "\nreport: " + report)
              << '\n';
    return 0;
}

}  // namespace orbiome::cli
