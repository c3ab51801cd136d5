// The report's "Power and sample size" section: power curves from a power.tsv written by
// `orbiome power` (or the RR-5 demo's "how many mice" panel; manifest kind `power`).
// power.tsv columns: src/simulate/power.hpp (write_power); this file reads it by column name only.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "core/text.hpp"
#include "report/sections.hpp"

namespace orbiome::report::detail {

using nlohmann::json;

namespace {

/// One figure: its title, the fold shown under it, and its rows (one per method and n; the
/// page draws a line per method).
struct Curve {
    std::string title, fold;
    std::vector<json> rows;
};

/// The target power in the "#smallest n per group with power >= T: ..." notes (0.8 when absent,
/// `power`'s default), and every note line (without '#').
double read_notes(std::string const& path, std::vector<std::string>& notes) {
    std::ifstream in(path);
    double target = 0.8;
    std::string line;
    static constexpr std::string_view kSmallest = "#smallest n per group with power >= ";
    while (std::getline(in, line) && !line.empty() && line[0] == '#') {
        if (line.rfind("#orbiome", 0) == 0) continue;  // the command line, already in the file
        if (line.rfind(kSmallest, 0) == 0) {
            auto const end = line.find(':', kSmallest.size());
            if (auto v = try_parse_double(line.substr(kSmallest.size(), end - kSmallest.size()))) target = *v;
        }
        notes.push_back(line.substr(1));
    }
    return target;
}

/// "linda 30, wilcoxon > 40": the smallest n whose point estimate reaches `target`, per method.
std::string smallest_n(std::vector<json> const& rows, std::vector<std::string> const& methods, double target) {
    std::vector<std::string> parts;
    for (auto const& m : methods) {
        std::optional<double> first, largest;
        for (auto const& r : rows) {
            if (r["method"] != m) continue;
            double const n = r["n_per_group"].get<double>();
            largest = std::max(largest.value_or(n), n);
            if (r["power"].get<double>() >= target && (!first || n < *first)) first = n;
        }
        if (!largest) continue;
        parts.push_back(m + (first ? " " + fmt_sig(*first, 6) : " > " + fmt_sig(*largest, 6)));
    }
    return join(parts, ", ");
}

}  // namespace

void power_section(Context& cx, std::vector<ManifestEntry> const& entries) {
    for (auto const& e : entries) {
        auto const t = cx.read(e);
        std::size_t const mc = t.require("method"), nc = t.require("n_per_group"), fc = t.require("fold"),
                          pc = t.require("power"), lc = t.require("power_low"), hc = t.require("power_high"),
                          wc = t.require("fwer"), rc = t.require("replicates"), tc = t.require("taxon"),
                          wl = t.require("fwer_low"), wh = t.require("fwer_high");
        std::vector<std::string> notes;
        double const target = read_notes((cx.dir / e.path).string(), notes);
        // The pilot's size, marked on the n axis ("#model: ... marginals of 10 reference samples"):
        // for the RR-5 demo, the 10 mice per group the mission flew.
        std::optional<double> pilot;
        static constexpr std::string_view kPilot = "marginals of ";
        for (auto const& n : notes)
            if (auto const at = n.find(kPilot); n.rfind("model: ", 0) == 0 && at != std::string::npos)
                pilot = try_parse_double(n.substr(at + kPilot.size(), n.find(' ', at + kPilot.size()) - at - kPilot.size()));
        for (auto const& n : notes) {
            if (n.rfind("flag: ", 0) == 0) cx.report->warnings.push_back("Power: " + n.substr(6) + ".");
            else cx.report->methods.push_back("Power: " + n + ".");
        }

        // One figure per spiked taxon (named taxa; `all` only when no taxon is named, as with
        // --effect-fraction), one for PERMANOVA's community test, one for false positives.
        std::set<std::string> named;
        for (std::size_t r = 0; r < t.n_rows(); ++r)
            if (t.cell(r, tc) != "all" && t.cell(r, tc) != "none" && t.cell(r, tc) != "community") named.insert(t.cell(r, tc));
        std::vector<std::string> methods, order;
        std::map<std::string, Curve> curves;
        Curve false_calls{"False positives: family-wise rate", "", {}};
        std::string replicates;
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            std::string const& method = t.cell(r, mc);
            std::string const& taxon = t.cell(r, tc);
            if (std::find(methods.begin(), methods.end(), method) == methods.end()) methods.push_back(method);
            replicates = t.cell(r, rc);
            auto const n = t.number(r, nc);
            if (!n) continue;
            json row = {{"method", method}, {"n_per_group", *n}, {"taxon", taxon_label(taxon)}, {"fold", t.cell(r, fc)}};
            // Overall rows carry the false calls (a taxon's row repeats them).
            if (taxon == "all" || taxon == "none" || taxon == "community") {
                if (auto w = t.number(r, wc)) {
                    json fr = row;
                    fr["fwer"] = *w;
                    fr["fwer_low"] = t.number(r, wl).value_or(*w);
                    fr["fwer_high"] = t.number(r, wh).value_or(*w);
                    false_calls.rows.push_back(std::move(fr));
                }
            }
            auto const p = t.number(r, pc);
            if (!p || taxon == "none" || (taxon == "all" && !named.empty())) continue;
            row["power"] = *p;
            row["power_low"] = t.number(r, lc).value_or(*p);
            row["power_high"] = t.number(r, hc).value_or(*p);
            std::string const key = taxon == "community" ? "community" : taxon;
            if (!curves.count(key)) {
                order.push_back(key);
                curves[key].title = taxon == "community" ? "Community shift (" + method + ")"
                                    : taxon == "all"    ? "Spiked features"
                                                        : taxon_label(taxon);
                auto const fold = try_parse_double(t.cell(r, fc));  // overall rows may list several: "1.8,2.1"
                curves[key].fold = fold ? fmt_sig(*fold, 3) : t.cell(r, fc);
            }
            curves[key].rows.push_back(std::move(row));
        }
        // `y` names the plotted column; its interval is y_low .. y_high.
        auto add = [&](Curve const& c, std::string const& id, std::string const& subtitle, std::string const& y,
                       std::string const& y_title, double line) {
            Figure f;
            f.id = id;
            f.section = "power";
            f.kind = "power_curve";
            f.title = c.title;
            f.subtitle = subtitle;
            f.columns = {"method", "n_per_group", "taxon", "fold", y, y + "_low", y + "_high"};
            for (auto const& r : c.rows) f.rows.push_back(r);
            f.params = {{"y", y}, {"y_title", y_title}, {"line", line}, {"methods", methods}};
            if (pilot) f.params["pilot_n"] = *pilot;
            cx.report->figures.push_back(std::move(f));
        };
        std::string const prefix = "power-" + e.comparison + "-";
        for (auto const& key : order) {
            auto const& c = curves[key];
            add(c, prefix + key,
                "fold " + c.fold + " · " + replicates + " simulated studies per n · smallest n for power ≥ " +
                    fmt_sig(target, 3) + ": " + smallest_n(c.rows, methods, target),
                "power", "Power", target);
        }
        if (!false_calls.rows.empty()) {
            // The nominal level is in the first note ("alpha: 0.05 (...)").
            double alpha = 0.05;
            for (auto const& n : notes)
                if (n.rfind("alpha: ", 0) == 0)
                    if (auto v = try_parse_double(n.substr(7, n.find(' ', 7) - 7))) alpha = *v;
            add(false_calls, prefix + "false-calls",
                named.empty() && curves.empty()
                    ? "no spiked effect: every call is false; dashed line: alpha = " + fmt_sig(alpha, 3)
                    : "any call on an unspiked feature (incl. compositional dilution); dashed line: alpha = " + fmt_sig(alpha, 3),
                "fwer", "Family-wise false-positive rate", alpha);
        }
        auto rt = table_from(t, "power", "Power, FDR and family-wise false positives per method and n");
        rt.id = "table-" + prefix + "tsv";
        rt.source = e.path;
        cx.report->tables.push_back(std::move(rt));
    }
}

}  // namespace orbiome::report::detail
