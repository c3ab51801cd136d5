// orbiome table merge|filter|rarefy|collapse|relabund: parse, validate, one library call each.
#include <iostream>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "io/table_io.hpp"
#include "cli/options.hpp"
#include "table/ops.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::cli {

namespace {

/// The options every table operation shares: input, optional taxonomy, output.
struct TableInOut {
    std::string table;
    std::string taxonomy;
    std::string out;
    std::string to;
    TableReadFlags flags;

    void add(CLI::App& app, bool with_input = true) {
        flags.add(app);
        if (with_input) app.add_option("--table", table, "Input feature table (TSV, BIOM, GeneLab, MetaPhlAn)")->required();
        app.add_option("--taxonomy", taxonomy, "Taxonomy TSV joined by feature id");
        app.add_option("--out", out, "Output table; format from the extension (.tsv, .biom, .json)")->required();
        app.add_option("--to", to, "Output format: tsv, biom-hdf5, biom-json (overrides the extension)");
    }
    io::TableFormat out_format() const {
        return to.empty() ? io::format_from_extension(out) : io::parse_format_name(to);
    }
    table::FeatureTable read(std::string const& path) const {
        return read_table_noting(path, flags.options(taxonomy));
    }
    void write(table::FeatureTable const& t, Args const& a) const {
        io::write_table(t, out, out_format(), {output_header(a)});
    }
};

taxonomy::Rank rank_option(std::string const& name) {
    auto r = taxonomy::parse_rank(name);
    if (!r) throw UsageError("unknown rank '" + name + "'", "use domain, phylum, class, order, family, genus or species");
    return *r;
}

}  // namespace

int cmd_table_filter(Args const& a) {
    auto app = make_app(a, "Keep features that pass ANY given rule.\n"
                           "The RR-5 authors' rule: --min-count 10 --min-samples 2 --min-total 100");
    TableInOut io;
    io.add(*app);
    table::FilterRules rules;
    double min_count = -1, min_total = -1, min_prevalence = -1;
    std::size_t min_samples = 0;
    app->add_option("--min-count", min_count, "Rule 1: at least this count ...");
    app->add_option("--min-samples", min_samples, "... in at least this many samples");
    app->add_option("--min-total", min_total, "Rule 2: at least this total over all samples");
    app->add_option("--min-prevalence", min_prevalence, "Rule 3: non-zero in at least this fraction of samples");
    if (!parse(*app, a)) return 0;
    if (app->count("--min-count")) rules.min_count = min_count;
    if (app->count("--min-samples")) rules.min_samples = min_samples;
    if (app->count("--min-total")) rules.min_total = min_total;
    if (app->count("--min-prevalence")) rules.min_prevalence = min_prevalence;
    rules.validate();
    io.out_format();
    auto const t = io.read(io.table);
    auto const kept = table::filter_features(t, rules);
    io.write(kept, a);
    std::cerr << "kept " << kept.n_features() << " of " << t.n_features() << " features\n";
    return 0;
}

int cmd_table_rarefy(Args const& a) {
    auto app = make_app(a, "Subsample every sample to exactly --depth counts without replacement (seeded).\n"
                           "Samples with fewer counts are dropped and listed.");
    TableInOut io;
    io.add(*app);
    std::uint64_t depth = 0, seed = 0;
    int threads = 1;
    app->add_option("--depth", depth, "Counts per sample")->required();
    app->add_option("--seed", seed, "Random seed")->required();
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;
    io.out_format();
    auto const t = io.read(io.table);
    table::RarefyReport report;
    auto const r = table::rarefy(t, depth, seed, threads, &report);
    io.write(r, a);
    std::cerr << "rarefied " << r.n_samples() << " samples to " << depth << " counts";
    if (!report.dropped_samples.empty()) {
        std::cerr << "; dropped " << report.dropped_samples.size() << " below the depth:";
        for (auto const& s : report.dropped_samples) std::cerr << ' ' << s;
    }
    std::cerr << "; " << report.n_features_dropped << " features left empty were removed\n";
    return 0;
}

int cmd_table_collapse(Args const& a) {
    auto app = make_app(a, "Sum features that share a lineage down to --rank.\n"
                           "Features unnamed at that rank go to their nearest named ancestor + ';unassigned'.");
    TableInOut io;
    io.add(*app);
    std::string rank;
    app->add_option("--rank", rank, "domain, phylum, class, order, family, genus or species")->required();
    if (!parse(*app, a)) return 0;
    auto const r = rank_option(rank);
    io.out_format();
    auto const t = io.read(io.table);
    io.write(table::collapse(t, r), a);
    return 0;
}

int cmd_table_relabund(Args const& a) {
    auto app = make_app(a, "Scale each sample to sum 1");
    TableInOut io;
    io.add(*app);
    if (!parse(*app, a)) return 0;
    io.out_format();
    io.write(table::relative_abundance(io.read(io.table)), a);
    return 0;
}

int cmd_table_merge(Args const& a) {
    auto app = make_app(a, "Merge tables or per-sample profiles into one table (samples side by side,\n"
                           "features matched by id; optionally collapsed to --rank first)");
    TableInOut io;
    io.add(*app, false);
    std::vector<std::string> inputs;
    std::string rank;
    app->add_option("inputs", inputs, "Tables or profiles to merge")->required();
    app->add_option("--rank", rank, "Collapse each input to this rank before merging");
    if (!parse(*app, a)) return 0;
    io.out_format();
    std::optional<taxonomy::Rank> r;
    if (!rank.empty()) r = rank_option(rank);
    // A per-sample profile lists every rank; the rows of --rank (default species) are read.
    auto options = io.flags.options(io.taxonomy);
    options.profile_rank = r;
    std::vector<table::FeatureTable> tables;
    for (auto const& path : inputs) {
        auto t = read_table_noting(path, options);
        tables.push_back(r ? table::collapse(t, *r) : std::move(t));
    }
    io.write(table::merge(tables, inputs), a);
    return 0;
}

}  // namespace orbiome::cli
