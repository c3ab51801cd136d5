// orbiome permdisp: homogeneity of dispersions, scikit-bio 0.5.8 permdisp or vegan 2.6-4 betadisper.
#include <cmath>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/atomic_output.hpp"
#include "core/text.hpp"
#include "ecology/permdisp.hpp"
#include "io/metadata.hpp"

namespace orbiome::cli {

int cmd_permdisp(Args const& a) {
    auto app = make_app(a, "PERMDISP. --flavour skbio (default): scikit-bio 0.5.8 permdisp (PCoA with negative axes "
                           "dropped, labels permuted, centres recomputed). --flavour vegan: vegan 2.6-4 betadisper + "
                           "permutest (negative-eigenvalue axes as imaginary, residuals permuted). --centre median "
                           "(both peers' default; geometric/spatial median) or centroid. Output columns as anosim.");
    std::string dm_path, column, out, flavour = "skbio", centre = "median";
    ecology::PermdispOptions opt;
    add_dm(*app, dm_path);
    MetadataFlags metadata;
    metadata.add(*app);
    app->add_option("--column", column, "Metadata column holding the groups")->required();
    app->add_option("--flavour", flavour, "skbio | vegan");
    app->add_option("--centre", centre, "median | centroid");
    add_permutation_test(*app, opt.permutation.permutations, opt.permutation.seed);
    add_out(*app, out);
    add_threads(*app, opt.permutation.threads);
    if (!parse(*app, a)) return 0;
    opt.flavour = ecology::parse_permdisp_flavour(flavour);
    opt.centre = ecology::parse_dispersion_centre(centre);

    auto const dm = ecology::read_distance_matrix(dm_path);
    auto const md = metadata.read(dm.ids());
    auto const r = ecology::permdisp(dm, dm_path, md, column, opt);
    auto num = [](double v) { return std::isnan(v) ? std::string("NA") : format_double(v); };
    AtomicOutput o(out);
    o.stream() << output_header(a) << '\n'
               << "# column=" << column << " flavour=" << flavour << " centre=" << centre
               << " permutations=" << opt.permutation.permutations << " seed=" << opt.permutation.seed << '\n'
               << "method_name\ttest_statistic_name\tsample_size\tnumber_of_groups\ttest_statistic\tp_value\t"
                  "number_of_permutations\n"
               << r.method_name << '\t' << r.test_statistic_name << '\t' << r.sample_size << '\t' << r.number_of_groups
               << '\t' << num(r.test_statistic) << '\t' << num(r.p_value) << '\t' << r.number_of_permutations << '\n';
    o.commit();
    return 0;
}

}  // namespace orbiome::cli
