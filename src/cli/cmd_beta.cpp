// orbiome beta: parse, validate, one library call (ecology::beta_diversity).
#include "cli/cli.hpp"
#include "core/error.hpp"
#include "ecology/beta.hpp"
#include "ecology/distance_matrix.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"

namespace orbiome::cli {

int cmd_beta(Args const& a) {
    auto app = make_app(a,
                        "Distances between all pairs of samples, written as a square scikit-bio/QIIME TSV.\n"
                        "Metrics: braycurtis (values as given), jaccard (presence/absence), aitchison (Euclidean\n"
                        "distance of clr(x + pseudocount), pseudocount 1 by default, added to every cell),\n"
                        "unweighted_unifrac, weighted_unifrac (unnormalized), weighted_normalized_unifrac,\n"
                        "generalized_unifrac (--alpha, default 0.5). UniFrac needs --tree; every table feature must\n"
                        "be a tip (extra tips are ignored). An all-zero sample is an error.");
    std::string table_path, tree_path, metric_name, out;
    double pseudocount = ecology::kDefaultPseudocount;
    double alpha = ecology::kDefaultGeneralizedAlpha;
    int threads = 1;
    app->add_option("--table", table_path, "Feature table (TSV, BIOM, GeneLab, MetaPhlAn)")->required();
    app->add_option("--metric", metric_name, "Distance metric (see above)")->required();
    app->add_option("--tree", tree_path, "Rooted Newick tree whose tips are the table's features (UniFrac)");
    app->add_option("--pseudocount", pseudocount, "aitchison: added to every cell before the log");
    app->add_option("--alpha", alpha, "generalized_unifrac: weight parameter a");
    app->add_option("--out", out, "Output distance matrix (TSV)")->required();
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
    o.pseudocount = pseudocount;
    o.alpha = alpha;
    o.n_threads = threads;
    o.table_origin = table_path;
    o.tree_origin = tree_path;
    io::Tree tree;
    if (phylo) o.tree = &tree;
    o.validate();
    auto const table = io::read_table(table_path);
    if (phylo) tree = io::read_newick(tree_path);
    ecology::write_distance_matrix(ecology::beta_diversity(table, o), out);
    return 0;
}

}  // namespace orbiome::cli
