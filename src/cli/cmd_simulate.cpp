// orbiome simulate: parse, fit the model to the template's reference group, draw one study,
// write its table (BIOM and TSV), metadata and truth.
#include <filesystem>

#include "cli/simulate_options.hpp"
#include "core/atomic_output.hpp"

namespace orbiome::cli {

int cmd_simulate(Args const& a) {
    auto app = make_app(a, "Simulate a two-group study from a real pilot table: a Gaussian-copula model with\n"
                           "empirical zero-inflated marginals fitted to the reference group (docs/power.md),\n"
                           "with known fold changes on named or random taxa in the test group.");
    TemplateOptions o;
    std::string out_dir;
    o.add_to(*app, "A,B: samples in the reference and the test group (one number: both)");
    app->add_option("--out-dir", out_dir, "Output directory: table.biom, table.tsv, metadata.tsv, truth.tsv")->required();
    if (!parse(*app, a)) return 0;

    auto const sizes = o.sizes();
    if (sizes.size() > 2) throw UsageError("--n expects A,B (reference, test) or one number, got '" + o.n + "'");
    auto const effects = o.effect_spec();
    auto const depth = o.depth_value();
    table::FeatureTable t;
    auto const model = o.fit(t);
    auto const taxa = simulate::resolve_effects(model, t, effects);
    simulate::SimulationSpec spec;
    spec.n_reference = sizes[0];
    spec.n_test = sizes.back();
    spec.depth = depth;
    // Replicate 0 of `power` with the same seed and sizes is this study.
    std::uint64_t const seed = Rng::stream(o.seed, 0)();
    std::vector<std::size_t> spiked;
    spec.fold = simulate::study_folds(model, taxa, effects, seed, spiked);
    auto const study = simulate::simulate_study(model, spec, seed);

    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) throw IoError(Errc::io, out_dir, "cannot create the output directory: " + ec.message());
    auto const dir = std::filesystem::path(out_dir);
    io::TableWriteOptions wo;
    wo.generated_by = output_header(a);
    io::write_table(study.table, (dir / "table.biom").string(), io::TableFormat::biom_hdf5, wo);
    io::write_table(study.table, (dir / "table.tsv").string(), io::TableFormat::tsv, wo);
    {
        AtomicOutput md((dir / "metadata.tsv").string());
        md.stream() << "sample_id\tgroup\n";
        for (std::size_t s = 0; s < study.table.n_samples(); ++s)
            md.stream() << study.table.sample_ids()[s] << '\t' << study.group[s] << '\n';
        md.commit();
    }
    AtomicOutput truth((dir / "truth.tsv").string());
    truth.stream() << "feature\tfold\n";
    for (std::size_t f = 0; f < model.n_features(); ++f)
        truth.stream() << model.feature_ids[f] << '\t' << format_double(spec.fold.empty() ? 1.0 : spec.fold[f]) << '\n';
    truth.commit();
    return 0;
}

}  // namespace orbiome::cli
