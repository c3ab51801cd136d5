// The report's "Reads" section (a study from reads): one row per sample with the reads left
// after each QC step, from reads/qc.tsv (manifest kind `qc_summary`; study/sample_step_qc.cpp),
// its host share and QC verdict from reads/qc_status.tsv (kind `qc_status`), and the samples
// that failed the [qc] thresholds with the reason.
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
    // reads/qc_status.tsv (same run): the host share and the [qc] thresholds' verdict per sample.
    std::map<std::string, std::pair<double, std::string>> host_and_status;
    std::vector<std::pair<std::string, std::string>> failed;  // (sample, why)
    auto const status = cx.read_first("qc_status");
    if (status) {
        std::size_t const ssc = status->require("sample"), hc = status->require("host_percent"),
                          vc = status->require("status"), wc = status->require("reason");
        for (std::size_t r = 0; r < status->n_rows(); ++r) {
            host_and_status[status->cell(r, ssc)] = {status->number(r, hc).value_or(0), status->cell(r, vc)};
            if (status->cell(r, vc) != "pass") failed.emplace_back(status->cell(r, ssc), status->cell(r, wc));
        }
        rt.columns.insert(rt.columns.end(), {"host_percent", "qc_status"});
        rt.numeric.insert(rt.numeric.end(), {true, false});
    }
    for (auto const& sample : samples) {
        nlohmann::json row = {sample, input[sample]};
        for (auto const& s : steps) row.push_back(kept[sample][s]);
        double const in = input[sample];
        row.push_back(in > 0 ? 100.0 * kept[sample]["total"] / in : 0.0);
        if (status) {
            auto const it = host_and_status.find(sample);
            row.push_back(it == host_and_status.end() ? nlohmann::json() : nlohmann::json(it->second.first));
            row.push_back(it == host_and_status.end() ? "" : it->second.second);
        }
        rt.rows.push_back(std::move(row));
    }
    cx.report->tables.push_back(std::move(rt));
    if (failed.empty()) return;
    ResultTable ft;
    ft.id = "table-reads-qc-failed";
    ft.section = "reads";
    ft.title = "Samples that failed the QC thresholds (left out of every analysis)";
    ft.source = status ? cx.manifest.of_kind("qc_status").front().path : "";
    ft.columns = {"sample", "reason"};
    ft.numeric = {false, false};
    for (auto const& [sample, why] : failed) ft.rows.push_back({sample, why});
    cx.report->tables.push_back(std::move(ft));
}

}  // namespace orbiome::report::detail
