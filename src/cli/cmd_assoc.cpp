// orbiome assoc: parse, validate, one library call, write assoc.tsv.
#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "diffabund/assoc.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "table/ops.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::cli {

namespace {

std::vector<std::string> comma_list(std::string const& value) {
    std::vector<std::string> out;
    if (value.empty()) return out;
    for (auto part : split(value, ',')) {
        std::string s(trim(part));
        if (s.empty()) throw UsageError("empty name in the list '" + value + "'");
        out.push_back(s);
    }
    return out;
}

}  // namespace

int cmd_assoc(Args const& a) {
    auto app = make_app(a, "Correlate every feature (as relative abundance) with host variables or with every\n"
                           "column of a second numeric table; BH across all pairs.");
    std::string table_path, taxonomy, vars, with, method = "spearman", covariates, rank, out;
    diffabund::AssocSpec spec;
    int threads = 1;
    TableReadFlags table_flags;
    MetadataFlags metadata;
    app->add_option("--table", table_path, "Feature table (TSV, BIOM, GeneLab, MetaPhlAn)")->required();
    table_flags.add(*app);
    app->add_option("--taxonomy", taxonomy, "Taxonomy TSV joined by feature id");
    metadata.add(*app);
    app->add_option("--vars", vars, "Comma-separated numeric metadata columns");
    app->add_option("--with", with, "Second numeric table (e.g. metabolites); NA allowed");
    app->add_option("--method", method, "spearman or pearson");
    app->add_option("--covariates", covariates, "Comma-separated metadata columns: partial correlation");
    app->add_option("--subject", spec.subject, "Metadata column of subjects: samples of one subject are averaged");
    app->add_option("--rank", rank, "Collapse to this rank first (e.g. genus)");
    app->add_option("--out", out, "Output assoc.tsv")->required();
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;

    if (vars.empty() == with.empty()) throw UsageError("give exactly one of --vars LIST and --with TABLE2");
    if (method == "spearman")
        spec.method = diffabund::CorrelationMethod::spearman;
    else if (method == "pearson")
        spec.method = diffabund::CorrelationMethod::pearson;
    else
        throw UsageError("unknown --method '" + method + "'", "methods: spearman, pearson");
    spec.vars = comma_list(vars);
    spec.covariates = comma_list(covariates);
    spec.n_threads = threads;
    std::optional<taxonomy::Rank> r;
    if (!rank.empty()) {
        r = taxonomy::parse_rank(rank);
        if (!r) throw UsageError("unknown --rank '" + rank + "'", "ranks: domain, phylum, class, order, family, genus, species");
    }

    auto inputs = read_table_with_metadata(table_path, table_flags, taxonomy, metadata);
    auto t = std::move(inputs.table);
    auto const& md = inputs.metadata;
    if (r) t = table::collapse(t, *r);
    std::optional<diffabund::NumericMatrix> second;
    if (!with.empty()) second = diffabund::read_numeric_matrix(with);
    auto const result = diffabund::associate(t, table_path, md, second ? &*second : nullptr, spec);

    AtomicOutput file(out);
    file.stream() << output_header(a) << "\n";
    if (r) file.stream() << "#rank: " << taxonomy::rank_name(*r) << "\n";
    diffabund::write_assoc(result, spec.method, file.stream());
    file.commit();
    return 0;
}

}  // namespace orbiome::cli
