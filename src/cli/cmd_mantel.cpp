// orbiome mantel: Mantel test between two distance matrices (scikit-bio 0.5.8 semantics).
#include <cmath>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/atomic_output.hpp"
#include "core/text.hpp"
#include "ecology/mantel.hpp"

namespace orbiome::cli {

int cmd_mantel(Args const& a) {
    auto app = make_app(a, "Mantel test (scikit-bio 0.5.8 semantics): Pearson r or Spearman rho between the two "
                           "matrices' distances; rows and columns of --dm permuted; two-sided alternative. Output "
                           "columns: method_name, test_statistic_name, sample_size, test_statistic, p_value, "
                           "number_of_permutations, alternative.");
    std::string dm_path, dm2_path, method = "pearson", out;
    ecology::PermutationOptions opt;
    add_dm(*app, dm_path, "First distance matrix TSV");
    app->add_option("--dm2", dm2_path, "Second distance matrix TSV (same samples, any order)")->required();
    app->add_option("--method", method, "pearson | spearman");
    add_permutation_test(*app, opt.permutations, opt.seed);
    add_out(*app, out);
    add_threads(*app, opt.threads);
    if (!parse(*app, a)) return 0;
    auto const m = ecology::parse_mantel_method(method);

    auto const x = ecology::read_distance_matrix(dm_path);
    auto const y = ecology::read_distance_matrix(dm2_path);
    auto const r = ecology::mantel(x, y, dm_path, dm2_path, m, opt);
    auto num = [](double v) { return std::isnan(v) ? std::string("NA") : format_double(v); };
    AtomicOutput o(out);
    o.stream() << output_header(a) << '\n'
               << "# method=" << method << " permutations=" << opt.permutations << " seed=" << opt.seed << '\n'
               << "method_name\ttest_statistic_name\tsample_size\ttest_statistic\tp_value\tnumber_of_permutations\t"
                  "alternative\n"
               << r.method_name << '\t' << r.test_statistic_name << '\t' << r.sample_size << '\t'
               << num(r.test_statistic) << '\t' << num(r.p_value) << '\t' << r.number_of_permutations
               << "\ttwo-sided\n";
    o.commit();
    return 0;
}

}  // namespace orbiome::cli
