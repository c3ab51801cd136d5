// orbiome permanova: multi-term PERMANOVA with vegan 2.6-4 adonis2 semantics.
#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "ecology/distance_matrix.hpp"
#include "ecology/permanova.hpp"
#include "ecology/permanova_io.hpp"
#include "io/metadata.hpp"

namespace orbiome::cli {

int cmd_permanova(Args const& a) {
    auto app = make_app(a, "PERMANOVA (vegan 2.6-4 adonis2 semantics): --by terms = sequential sums of squares "
                           "(vegan's default), margin = each term after all others, none = whole model. "
                           "Categorical columns are dummy coded (treatment contrasts), numeric columns enter as "
                           "is; A*B and A:B interactions are supported. Observations are permuted (freely, or "
                           "within --strata blocks). Output columns: term, df, sum_sq, r2, F, p_value.");
    std::string dm_path, formula, strata, by = "terms", out;
    std::size_t permutations = 999;
    std::uint64_t seed = 0;
    int threads = 1;
    add_dm(*app, dm_path);
    MetadataFlags metadata;
    metadata.add(*app);
    app->add_option("--formula", formula, "Right-hand side, e.g. \"Group + Age\" or \"A*B\"")->required();
    app->add_option("--strata", strata, "Metadata column: permute only within its blocks");
    app->add_option("--by", by, "terms | margin | none");
    add_permutation_test(*app, permutations, seed);
    add_out(*app, out);
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;

    ecology::PermanovaOptions opt;
    opt.by = ecology::parse_permanova_by(by);
    opt.permutations = permutations;
    opt.seed = seed;
    opt.threads = threads;
    auto const dm = ecology::read_distance_matrix(dm_path);
    auto const md = metadata.read(dm.ids());
    auto const res = ecology::permanova(dm, dm_path, md, formula, strata, opt);

    AtomicOutput o(out);
    auto& os = o.stream();
    os << output_header(a) << '\n'
       << "# formula=" << formula << " by=" << by << " strata=" << (strata.empty() ? "none" : strata)
       << " permutations=" << permutations << " seed=" << seed << " samples=" << res.n_samples << '\n';
    ecology::write_permanova_header(os);
    ecology::write_permanova_rows(os, res);
    o.commit();
    return 0;
}

}  // namespace orbiome::cli
