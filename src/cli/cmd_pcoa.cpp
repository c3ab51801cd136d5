// orbiome pcoa: principal coordinates of a distance matrix (scikit-bio 0.5.8 conventions).
#include <cstdint>
#include <iostream>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/distance_matrix.hpp"
#include "ecology/pcoa_io.hpp"

namespace orbiome::cli {

int cmd_pcoa(Args const& a) {
    auto app = make_app(a, "Principal coordinate analysis (classical MDS) of a distance matrix, as scikit-bio 0.5.8's "
                           "pcoa: negative eigenvalues are reported on stderr and set to 0 with their axes; each axis "
                           "is signed so that its largest-magnitude coordinate is positive.\n"
                           "Writes OUT (sample_id, PC1..PCk) and OUT with .tsv replaced by .eigenvalues.tsv "
                           "(axis, eigenvalue, proportion_explained).");
    std::string dm_path, out, method = "exact";
    std::size_t dimensions = 0;
    std::uint64_t seed = 0;
    int threads = 1;
    app->add_option("--dm", dm_path, "Distance matrix (scikit-bio/QIIME square TSV, or Striped UniFrac HDF5)")
        ->required();
    app->add_option("--out", out, "Coordinates TSV")->required();
    app->add_option("--dimensions", dimensions, "Axes to keep (0 = all, as scikit-bio; fsvd needs 1..n)");
    app->add_option("--method", method,
                    "exact (all eigenpairs, O(n^3)) or fsvd (leading axes by randomized subspace iteration, for "
                    "large matrices)")
        ->check(CLI::IsMember({"exact", "fsvd"}));
    app->add_option("--seed", seed, "fsvd: seed of the random start vectors");
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;
    std::string const eig_path = ecology::pcoa_eigenvalues_path(out);
    if (eig_path == out) throw UsageError("--out must differ from its eigenvalues file");

    auto const dm = ecology::read_distance_matrix(dm_path);
    auto const res = method == "fsvd" ? ecology::pcoa_fsvd(dm, dimensions, seed, threads) : ecology::pcoa(dm, dimensions);
    if (res.n_negative > 0)
        std::cerr << "orbiome " << a.name << ": warning: " << res.n_negative
                  << " negative eigenvalues (smallest " << format_double(res.smallest_eigenvalue) << ", largest "
                  << format_double(res.largest_eigenvalue)
                  << ") were set to 0 with their axes, as scikit-bio does; the distance is not Euclidean\n";

    ecology::write_pcoa(res, out, output_header(a));
    return 0;
}

}  // namespace orbiome::cli
