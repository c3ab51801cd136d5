#include <filesystem>
#include <iostream>

#include "cli/cli.hpp"
#include "study/demo_data.hpp"
#include "study/study.hpp"

namespace orbiome::cli {

int cmd_demo(Args const& a) {
    auto app = make_app(a, "Run the built-in RR-5 fecal 16S study (NASA Rodent Research 5, Bedree et al. 2023):\n"
                           "the study's own tables are compiled in; nothing is downloaded.");
    std::string out = "orbiome-demo";
    int threads = 1;
    app->add_option("--out", out, "Output directory");
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;
    namespace fs = std::filesystem;
    std::string const inputs = (fs::path(out) / "inputs").string();
    study::write_demo_files(inputs);
    auto const spec = study::read_study((fs::path(inputs) / "rr5" / "fecal.toml").string());
    auto const report = study::run_study(spec, out, threads);
    std::cout << "RR-5 demo written to " << out << "/\n";
    if (!report.empty()) std::cout << "report: " << report << '\n';
    return 0;
}

}  // namespace orbiome::cli
