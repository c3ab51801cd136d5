// orbiome beta: parse, validate, one library call (ecology::beta_diversity, beta_partial or
// merge_partials).
#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "ecology/beta.hpp"
#include "ecology/distance_matrix.hpp"
#include "ecology/dm_partition.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"

namespace orbiome::cli {

namespace {

int cmd_beta_merge(Args const& a) {
    auto app = make_app(a,
                        "Assembles the N partial results of `orbiome beta ... --partition I/N` into one distance\n"
                        "matrix, identical to the one `orbiome beta` computes whole. Partials of different inputs,\n"
                        "metrics or options are refused, and so is a set with a partition missing or repeated.\n"
                        "--out ending in .h5 writes Striped UniFrac's HDF5 layout; otherwise the square TSV.");
    std::vector<std::string> parts;
    std::string out;
    app->add_option("parts", parts, "Partial results (all N)")->required();
    app->add_option("--out", out, "Output distance matrix (.tsv, or .h5 for Striped UniFrac's HDF5 layout)")->required();
    if (!parse(*app, a)) return 0;
    ecology::write_distance_matrix(ecology::merge_partials(parts), out);
    return 0;
}

}  // namespace

int cmd_beta(Args const& a) {
    if (!a.args.empty() && a.args[0] == "merge")
        return cmd_beta_merge(Args{a.name + " merge", std::vector<std::string>(a.args.begin() + 1, a.args.end())});
    auto app = make_app(a,
                        "Distances between all pairs of samples, written as a square scikit-bio/QIIME TSV (or, for\n"
                        "--out *.h5, Striped UniFrac's HDF5 layout).\n"
                        "Metrics: braycurtis (values as given), jaccard (presence/absence), aitchison (Euclidean\n"
                        "distance of clr(x + pseudocount), pseudocount 1 by default, added to every cell),\n"
                        "unweighted_unifrac, weighted_unifrac (unnormalized), weighted_normalized_unifrac,\n"
                        "generalized_unifrac (--alpha, default 0.5). UniFrac needs --tree; every table feature must\n"
                        "be a tip (extra tips are ignored). An all-zero sample is an error.\n"
                        "--partition I/N computes only part I of N (UniFrac: stripes, others: rows) and writes a\n"
                        "partial file; `orbiome beta merge PART... --out DM` assembles the N parts exactly.");
    std::string table_path, tree_path, metric_name, out, partition;
    double pseudocount = ecology::kDefaultPseudocount;
    double alpha = ecology::kDefaultGeneralizedAlpha;
    int threads = 1;
    app->add_option("--table", table_path, "Feature table (TSV, BIOM, GeneLab, MetaPhlAn)")->required();
    TableReadFlags table_flags;
    table_flags.add(*app);
    app->add_option("--metric", metric_name, "Distance metric (see above)")->required();
    app->add_option("--tree", tree_path, "Rooted Newick tree whose tips are the table's features (UniFrac)");
    app->add_option("--pseudocount", pseudocount, "aitchison: added to every cell before the log");
    app->add_option("--alpha", alpha, "generalized_unifrac: weight parameter a");
    app->add_option("--partition", partition, "Compute part I of N only (I/N, 1 <= I <= N) and write a partial file");
    app->add_option("--out", out, "Output distance matrix (TSV, .h5), or the partial file with --partition")->required();
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;

    ecology::BetaOptions o;
    o.metric = ecology::parse_beta_metric(metric_name);
    if (app->count("--pseudocount") && o.metric != ecology::BetaMetric::aitchison)
        throw UsageError("--pseudocount applies only to --metric aitchison");
    if (app->count("--alpha") && o.metric != ecology::BetaMetric::generalized_unifrac)
        throw UsageError("--alpha applies only to --metric generalized_unifrac");
    bool const phylo = ecology::is_phylogenetic(o.metric);
    if (phylo && tree_path.empty())
        throw UsageError("metric " + metric_name + " needs a tree", "give --tree FILE.nwk");
    auto const part = partition.empty() ? ecology::Partition{} : ecology::Partition::parse(partition);
    o.pseudocount = pseudocount;
    o.alpha = alpha;
    o.n_threads = threads;
    o.table_origin = table_path;
    o.tree_origin = tree_path;
    io::Tree tree;
    if (phylo) o.tree = &tree;
    o.validate();
    auto const table = read_table_noting(table_path, table_flags.options(""));
    if (phylo) tree = io::read_newick(tree_path);
    if (!partition.empty())
        ecology::write_partial(ecology::beta_partial(table, o, part), out);
    else
        ecology::write_distance_matrix(ecology::beta_diversity(table, o), out);
    return 0;
}

}  // namespace orbiome::cli
