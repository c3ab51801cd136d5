// orbiome pcoa: principal coordinates of a distance matrix (scikit-bio 0.5.8 conventions).
#include <iostream>

#include "cli/cli.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/distance_matrix.hpp"
#include "ecology/pcoa.hpp"

namespace orbiome::cli {

namespace {

// pcoa.tsv -> pcoa.eigenvalues.tsv (a name without .tsv just gains the suffix).
std::string eigenvalues_path(std::string const& out) {
    std::string const ext = ".tsv";
    if (out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0)
        return out.substr(0, out.size() - ext.size()) + ".eigenvalues.tsv";
    return out + ".eigenvalues.tsv";
}

}  // namespace

int cmd_pcoa(Args const& a) {
    auto app = make_app(a, "Principal coordinate analysis (classical MDS) of a distance matrix, as scikit-bio 0.5.8's "
                           "pcoa: negative eigenvalues are reported on stderr and set to 0 with their axes; each axis "
                           "is signed so that its largest-magnitude coordinate is positive.\n"
                           "Writes OUT (sample_id, PC1..PCk) and OUT with .tsv replaced by .eigenvalues.tsv "
                           "(axis, eigenvalue, proportion_explained).");
    std::string dm_path, out;
    std::size_t dimensions = 0;
    app->add_option("--dm", dm_path, "Distance matrix TSV (scikit-bio/QIIME square form)")->required();
    app->add_option("--out", out, "Coordinates TSV")->required();
    app->add_option("--dimensions", dimensions, "Axes to keep (0 = all, as scikit-bio)");
    if (!parse(*app, a)) return 0;
    std::string const eig_path = eigenvalues_path(out);
    if (eig_path == out) throw UsageError("--out must differ from its eigenvalues file");

    auto const dm = ecology::read_distance_matrix(dm_path);
    auto const res = ecology::pcoa(dm, dimensions);
    if (res.n_negative > 0)
        std::cerr << "orbiome " << a.name << ": warning: " << res.n_negative
                  << " negative eigenvalues (smallest " << format_double(res.smallest_eigenvalue) << ", largest "
                  << format_double(res.largest_eigenvalue)
                  << ") were set to 0 with their axes, as scikit-bio does; the distance is not Euclidean\n";

    auto const k = res.eigenvalues.size();
    AtomicOutput coords(out);
    auto& os = coords.stream();
    os << output_header(a) << '\n' << "sample_id";
    for (std::size_t c = 0; c < k; ++c) os << "\tPC" << c + 1;
    os << '\n';
    for (std::size_t i = 0; i < res.ids.size(); ++i) {
        os << res.ids[i];
        for (std::size_t c = 0; c < k; ++c)
            os << '\t' << format_double(res.coordinates(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)));
        os << '\n';
    }
    AtomicOutput eig(eig_path);
    auto& es = eig.stream();
    es << output_header(a) << '\n';
    es << "# negative_eigenvalues=" << res.n_negative << " smallest_eigenvalue=" << format_double(res.smallest_eigenvalue)
       << " (negative ones set to 0; proportions over the sum of the non-negative eigenvalues)\n";
    es << "axis\teigenvalue\tproportion_explained\n";
    for (std::size_t c = 0; c < k; ++c)
        es << "PC" << c + 1 << '\t' << format_double(res.eigenvalues[c]) << '\t'
           << format_double(res.proportion_explained[c]) << '\n';
    eig.commit();
    coords.commit();
    return 0;
}

}  // namespace orbiome::cli
