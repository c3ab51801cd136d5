// orbiome alpha: parse, validate, one library call (ecology::alpha_diversity).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/alpha.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"

namespace orbiome::cli {

int cmd_alpha(Args const& a) {
    auto app = make_app(a,
                        "Alpha diversity per sample: one row per sample, one column per metric.\n"
                        "Metrics: observed, shannon, simpson (1 - sum p^2), inverse_simpson, chao1 (bias-corrected,\n"
                        "as vegan estimateR and scikit-bio), ace (rare threshold 10), pielou, faith_pd (needs --tree),\n"
                        "hill_0, hill_1, hill_2. Default: observed,shannon,simpson,inverse_simpson,chao1,ace,pielou\n"
                        "(+ faith_pd with --tree). Shannon uses the natural log unless --base is given\n"
                        "(scikit-bio 0.5.8's shannon uses base 2). Undefined values (ace when every rare feature is a\n"
                        "singleton, pielou of a one-feature sample) are written as NaN; an all-zero sample is an error.");
    std::string table_path, tree_path, metrics, out;
    double base = std::numbers::e;
    int threads = 1;
    app->add_option("--table", table_path, "Feature table (TSV, BIOM, GeneLab, MetaPhlAn)")->required();
    TableReadFlags table_flags;
    table_flags.add(*app);
    app->add_option("--tree", tree_path, "Rooted Newick tree whose tips are the table's features (for faith_pd)");
    app->add_option("--metrics", metrics, "Comma-separated metrics (default: see above)");
    app->add_option("--base", base, "Logarithm base of shannon (default e)");
    add_out(*app, out, "Output TSV: sample_id, then one column per metric");
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;

    ecology::AlphaOptions o;
    if (!metrics.empty()) o.metrics = ecology::parse_alpha_metrics(metrics);
    bool const wants_tree = o.metrics.empty() ? !tree_path.empty()
                                              : std::find(o.metrics.begin(), o.metrics.end(),
                                                          ecology::AlphaMetric::faith_pd) != o.metrics.end();
    if (wants_tree && tree_path.empty()) throw UsageError("metric faith_pd needs a tree", "give --tree FILE.nwk");
    if (!(base > 0.0) || base == 1.0 || !std::isfinite(base))
        throw UsageError("--base must be positive, finite and not 1 (got " + format_double(base) + ")");
    o.log_base = base;
    o.n_threads = threads;
    o.table_origin = table_path;
    o.tree_origin = tree_path;
    auto const table = read_table_noting(table_path, table_flags.options(""));
    io::Tree tree;
    if (wants_tree) {
        tree = io::read_newick(tree_path);
        o.tree = &tree;
    }
    auto const result = ecology::alpha_diversity(table, o);
    std::string const base_text = base == std::numbers::e ? std::string("e") : format_double(base);
    ecology::write_alpha(result, out, output_header(a) + " shannon_log_base=" + base_text);
    return 0;
}

}  // namespace orbiome::cli
