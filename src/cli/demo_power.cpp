#include "cli/demo_power.hpp"

#include <cmath>
#include <filesystem>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "report/html_report.hpp"
#include "report/manifest.hpp"
#include "report/tsv.hpp"
#include "simulate/power.hpp"
#include "table/ops.hpp"

namespace orbiome::cli {

namespace fs = std::filesystem;

void add_demo_power(std::string const& dir, std::uint64_t seed, int threads) {
    fs::path const d(dir);
    // The observed effects: the demo's own LinDA log2 fold changes at the end of the mission.
    std::string const comparison = "ISS_vs_ISS_G";
    auto const diff = report::TsvTable::read((d / "diff" / (comparison + ".genus.linda.tsv")).string());
    std::size_t const fc = diff.require("feature"), ec = diff.require("effect");
    simulate::EffectSpec effects;
    for (std::string const taxon : {"Lactobacillus", "Dorea"}) {
        bool found = false;
        for (std::size_t r = 0; r < diff.n_rows() && !found; ++r) {
            if (report::taxon_label(diff.cell(r, fc)) != taxon) continue;
            auto const log2fc = diff.number(r, ec);
            if (!log2fc) fail_data(diff.path(), diff.line(r), "no LinDA effect for " + taxon);
            effects.named.emplace_back(taxon, std::exp2(*log2fc));
            found = true;
        }
        if (!found) throw Error(Errc::software, SourceLoc{diff.path()}, "the demo's LinDA output has no row for " + taxon);
    }
    // The pilot: the ground controls at the end of the mission, as the comparison's reference.
    auto const table = table::collapse(io::read_table((d / "tables" / "filtered.tsv").string()), taxonomy::Rank::genus);
    auto const md = io::read_metadata((d / "inputs" / "rr5" / "16S_fecal" / "meta_table.txt").string());
    auto const model = simulate::fit_model(
        table, simulate::reference_samples(table, md, "Treatment", "ISS_G", {{"Time", "final"}}), "tables/filtered.tsv");
    auto const taxa = simulate::resolve_effects(model, table, effects);
    simulate::PowerOptions po;
    po.sizes = {5, 10, 15, 20, 30, 40};
    po.methods = {simulate::Method::linda, simulate::Method::wilcoxon};
    po.replicates = kDemoPowerReplicates;
    po.seed = seed;
    po.threads = threads;
    auto power = simulate::power_study(model, taxa, effects, po);
    std::string folds;
    for (auto const& [taxon, fold] : effects.named)
        folds += (folds.empty() ? "" : ", ") + taxon + " x" + format_double(std::round(fold * 100) / 100);
    power.notes.insert(power.notes.begin(),
                       "RR-5 demo, how many mice: power to detect the fold changes LinDA estimated in " + comparison +
                           " (genus; " + folds + "), simulated from the " + std::to_string(model.n_reference) +
                           " ISS_G mice at the final time point");
    fs::create_directories(d / "power");
    AtomicOutput out((d / "power" / "power.tsv").string());
    simulate::write_power(power, out.stream());
    out.commit();

    auto manifest = report::read_manifest((d / report::kManifestFile).string());
    manifest.add({"power", "power/power.tsv", "power", comparison, "", "genus", "linda,wilcoxon"});
    manifest.methods["power"] = {{"template", "tables/filtered.tsv, genus, Treatment = ISS_G at Time = final"},
                                 {"effects", folds},
                                 {"n_per_group", "5, 10, 15, 20, 30, 40"},
                                 {"methods", "linda, wilcoxon"},
                                 {"replicates", kDemoPowerReplicates},
                                 {"seed", seed}};
    report::write_manifest(manifest, (d / report::kManifestFile).string());
    report::write_report(dir, (d / "report.html").string());
}

}  // namespace orbiome::cli
