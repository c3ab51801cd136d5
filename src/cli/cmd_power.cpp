// orbiome power: parse, fit the model, one library call (simulate + analyse every replicate),
// write power.tsv.
#include <cstdio>

#include "cli/progress.hpp"
#include "cli/simulate_options.hpp"
#include "core/atomic_output.hpp"

namespace orbiome::cli {

int cmd_power(Args const& a) {
    auto app = make_app(a, "Power, FDR and family-wise false positives by simulating studies from a real pilot\n"
                           "table and running the analyses `diff` and `permanova` run on each (docs/power.md).");
    TemplateOptions o;
    std::string methods = "linda,wilcoxon,permanova", out;
    simulate::PowerOptions po;
    ProgressFlags progress;
    o.add_to(*app, "Samples per group, comma-separated (e.g. 5,10,20,40)");
    app->add_option("--methods", methods, "linda, wilcoxon, welch, permanova (comma-separated)");
    app->add_option("--replicates", po.replicates, "Simulated studies per sample size")->check(CLI::Range(1, 10000000));
    app->add_option("--alpha", po.analysis.alpha, "Significance level (q for per-feature methods, p for permanova)");
    app->add_option("--target", po.target, "Power whose smallest n is reported");
    app->add_option("--permutations", po.analysis.permutations, "PERMANOVA permutations per replicate");
    app->add_option("--out", out, "Output power.tsv")->required();
    add_threads(*app, po.threads);
    progress.add_to(*app);
    if (!parse(*app, a)) return 0;

    if (!(po.analysis.alpha > 0 && po.analysis.alpha < 1)) throw UsageError("--alpha must be in (0, 1)");
    if (!(po.target > 0 && po.target <= 1)) throw UsageError("--target must be in (0, 1]");
    for (auto part : split(methods, ',')) po.methods.push_back(simulate::parse_method(trim(part)));
    po.sizes = o.sizes();
    po.seed = o.seed;
    po.depth = o.depth_value();
    auto const effects = o.effect_spec();
    table::FeatureTable t;
    auto const model = o.fit(t);
    auto const taxa = simulate::resolve_effects(model, t, effects);
    ProgressMeter meter(progress.show());
    po.progress = [&](std::size_t done, std::size_t total) {
        meter.update([&](double s) {
            return "power: " + std::to_string(done) + " / " + std::to_string(total) + " studies, " +
                   std::to_string(100 * done / total) + " % (" +
                   std::to_string(static_cast<int>(s)) + " s)";
        });
    };
    auto const table = simulate::power_study(model, taxa, effects, po);
    meter.finish([&](double s) {
        return "power: " + std::to_string(po.sizes.size() * po.replicates) + " studies in " + format_double(std::round(s * 10) / 10) + " s";
    });
    for (auto const& f : table.flags) std::fprintf(stderr, "orbiome power: warning: %s\n", f.c_str());  // also with --quiet
    AtomicOutput file(out);
    file.stream() << output_header(a) << "\n";
    simulate::write_power(table, file.stream());
    file.commit();
    return 0;
}

}  // namespace orbiome::cli
