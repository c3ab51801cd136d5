#include <filesystem>
#include <iostream>

#include "cli/cli.hpp"
#include "cli/demo_power.hpp"
#include "cli/study_reporting.hpp"
#include "study/demo_data.hpp"
#include "study/study.hpp"

namespace orbiome::cli {

int cmd_demo(Args const& a) {
    auto app = make_app(a, "Run a built-in RR-5 16S study (NASA Rodent Research 5, Bedree et al. 2023):\n"
                           "the study's own tables are compiled in; nothing is downloaded.\n"
                           "--study fecal: flight vs ground, ISS vs LAR and each group vs baseline (fecal pellets);\n"
                           "--study oral: LAR vs LAR_G oral swabs before launch, at 4 and at 8 weeks;\n"
                           "--study shotgun: simulated mouse gut shotgun reads (5 flight, 6 ground; data/shotgun)\n"
                           "from raw reads: QC with spike-in removal, profiling, then the statistics and the report.");
    std::string out = "orbiome-demo";
    std::string study_name = "fecal";
    int threads = 1;
    StudyReporting reporting;
    app->add_option("--out", out, "Output directory");
    // Each name is the stem of an embedded study file, data/rr5/<name>.toml or data/shotgun/shotgun.toml.
    app->add_option("--study", study_name, "Which built-in study: 'fecal', 'oral' or 'shotgun'")
        ->check(CLI::IsMember({"fecal", "oral", "shotgun"}));
    add_threads(*app, threads);
    reporting.add_to(*app);
    if (!parse(*app, a)) return 0;
    namespace fs = std::filesystem;
    // The inputs go into the staged folder too, so DIR/inputs/ always matches the run in DIR.
    study::StagedDirectory stage(out);
    std::string const inputs = (fs::path(stage.path()) / "inputs").string();
    bool const shotgun = study_name == "shotgun";
    study::write_demo_files(inputs, shotgun ? "shotgun" : "rr5");
    if (shotgun) study::build_shotgun_demo_indexes(inputs, threads);
    auto const spec = study::read_study((fs::path(inputs) / (shotgun ? "shotgun" : "rr5") / (study_name + ".toml")).string());
    auto const report = study::run_study_staged(spec, stage, reporting.options("demo", threads));
    if (study_name == "fecal") add_demo_power(stage.path(), spec.seed, threads);  // "how many mice" (#16)
    stage.commit();
    std::cout << (shotgun ? "Shotgun demo" : "RR-5 demo") << " written to " << out << "/\n";
    if (!report.empty()) std::cout << "report: " << report << '\n';
    return 0;
}

}  // namespace orbiome::cli
