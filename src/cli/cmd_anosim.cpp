// orbiome anosim: analysis of similarities (scikit-bio 0.5.8 semantics).
#include <cmath>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/atomic_output.hpp"
#include "core/text.hpp"
#include "ecology/anosim.hpp"
#include "io/metadata.hpp"

namespace orbiome::cli {

int cmd_anosim(Args const& a) {
    auto app = make_app(a, "ANOSIM (scikit-bio 0.5.8 semantics: average ranks of the distances, group labels "
                           "permuted, one-sided p for R >= observed). Output columns: method_name, "
                           "test_statistic_name, sample_size, number_of_groups, test_statistic, p_value, "
                           "number_of_permutations.");
    std::string dm_path, column, out;
    ecology::PermutationOptions opt;
    add_dm(*app, dm_path);
    MetadataFlags metadata;
    metadata.add(*app);
    app->add_option("--column", column, "Metadata column holding the groups")->required();
    add_permutation_test(*app, opt.permutations, opt.seed);
    add_out(*app, out);
    add_threads(*app, opt.threads);
    if (!parse(*app, a)) return 0;

    auto const dm = ecology::read_distance_matrix(dm_path);
    auto const md = metadata.read(dm.ids());
    auto const r = ecology::anosim(dm, dm_path, md, column, opt);
    auto num = [](double v) { return std::isnan(v) ? std::string("NA") : format_double(v); };
    AtomicOutput o(out);
    o.stream() << output_header(a) << '\n'
               << "# column=" << column << " permutations=" << opt.permutations << " seed=" << opt.seed << '\n'
               << "method_name\ttest_statistic_name\tsample_size\tnumber_of_groups\ttest_statistic\tp_value\t"
                  "number_of_permutations\n"
               << r.method_name << '\t' << r.test_statistic_name << '\t' << r.sample_size << '\t' << r.number_of_groups
               << '\t' << num(r.test_statistic) << '\t' << num(r.p_value) << '\t' << r.number_of_permutations << '\n';
    o.commit();
    return 0;
}

}  // namespace orbiome::cli
