// orbiome report: the self-contained HTML report of a study output directory.
#include <iostream>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "orbiome/version.hpp"
#include "report/html_report.hpp"

namespace orbiome::cli {

int cmd_report(Args const& a) {
    auto app = make_app(a, "Write one self-contained HTML report (interactive charts, sortable tables, TSV downloads; "
                           "no network needed to view it) from a study directory written by `orbiome run` or "
                           "`orbiome demo` (layout: docs/study.md), and/or power curves from a power.tsv of "
                           "`orbiome power`. Figures whose files are absent are left out.");
    std::string study_dir, out;
    report::ReportOptions options;
    app->add_option("--study-dir", study_dir, "Study output directory (has provenance.json and samples.tsv)");
    app->add_option("--power", options.power_tsv, "power.tsv of `orbiome power`: adds its power curves (alone without --study-dir)");
    app->add_option("--out", out, "HTML file to write")->required();
    if (!parse(*app, a)) return 0;
    if (study_dir.empty() && options.power_tsv.empty()) throw UsageError("give --study-dir, --power or both");
    options.generator = std::string("orbiome ") + kVersion;
    report::write_report(study_dir, out, options);
    std::cerr << "orbiome report: wrote " << out << '\n';
    return 0;
}

}  // namespace orbiome::cli
