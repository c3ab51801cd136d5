// The report's "Reads" section (a study from reads): one row per sample with the reads left
// after each QC step, from reads/qc.tsv (manifest kind `qc_summary`; study/sample_step_qc.cpp).
#include <algorithm>
#include <map>

#include "report/sections.hpp"

namespace orbiome::report::detail {

void reads_section(Context& cx, std::vector<ManifestEntry> const& entries) {
    if (entries.empty()) return;
    auto const& e = entries.front();
    auto const t = cx.read(e);
    std::size_t const sc = t.require("sample"), stc = t.require("step"), ic = t.require("reads_in"),
                      oc = t.require("reads_out");
    // Steps in the order of the file (the order QC ran them); `total` last, as the share kept.
    std::vector<std::string> samples, steps;
    std::map<std::string, std::map<std::string, double>> kept;
    std::map<std::string, double> input;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        std::string const& sample = t.cell(r, sc);
        std::string const& step = t.cell(r, stc);
        if (!kept.count(sample)) samples.push_back(sample);
        if (step == "total") input[sample] = t.number(r, ic).value_or(0);
        else if (std::find(steps.begin(), steps.end(), step) == steps.end()) steps.push_back(step);
        kept[sample][step] = t.number(r, oc).value_or(0);
    }
    ResultTable rt;
    rt.id = "table-reads-qc";
    rt.section = "reads";
    rt.title = "Reads per sample after each QC step";
    rt.source = e.path;
    rt.columns = {"sample", "reads_in"};
    for (auto const& s : steps) rt.columns.push_back("after_" + s);
    rt.columns.push_back("kept_percent");
    rt.numeric.assign(rt.columns.size(), true);
    rt.numeric[0] = false;
    for (auto const& sample : samples) {
        nlohmann::json row = {sample, input[sample]};
        for (auto const& s : steps) row.push_back(kept[sample][s]);
        double const in = input[sample];
        row.push_back(in > 0 ? 100.0 * kept[sample]["total"] / in : 0.0);
        rt.rows.push_back(std::move(row));
    }
    cx.report->tables.push_back(std::move(rt));
}

}  // namespace orbiome::report::detail
