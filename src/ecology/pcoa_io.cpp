#include "ecology/pcoa_io.hpp"

#include "core/atomic_output.hpp"
#include "core/text.hpp"

namespace orbiome::ecology {

std::string pcoa_eigenvalues_path(std::string const& out) {
    std::string const ext = ".tsv";
    if (out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0)
        return out.substr(0, out.size() - ext.size()) + ".eigenvalues.tsv";
    return out + ".eigenvalues.tsv";
}

void write_pcoa(PcoaResult const& res, std::string const& coordinates_path, std::string const& header_line) {
    auto const k = res.eigenvalues.size();
    AtomicOutput coords(coordinates_path);
    auto& os = coords.stream();
    os << header_line << '\n' << "sample_id";
    for (std::size_t c = 0; c < k; ++c) os << "\tPC" << c + 1;
    os << '\n';
    for (std::size_t i = 0; i < res.ids.size(); ++i) {
        os << res.ids[i];
        for (std::size_t c = 0; c < k; ++c)
            os << '\t' << format_double(res.coordinates(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)));
        os << '\n';
    }
    AtomicOutput eig(pcoa_eigenvalues_path(coordinates_path));
    auto& es = eig.stream();
    es << header_line << '\n';
    es << "# negative_eigenvalues=" << res.n_negative << " smallest_eigenvalue=" << format_double(res.smallest_eigenvalue)
       << " (negative ones set to 0; proportions over the sum of the non-negative eigenvalues)\n";
    es << "axis\teigenvalue\tproportion_explained\n";
    for (std::size_t c = 0; c < k; ++c)
        es << "PC" << c + 1 << '\t' << format_double(res.eigenvalues[c]) << '\t'
           << format_double(res.proportion_explained[c]) << '\n';
    eig.commit();
    coords.commit();
}

}  // namespace orbiome::ecology
