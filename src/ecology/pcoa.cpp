#include "ecology/pcoa.hpp"

#include <cmath>

#include <Eigen/Eigenvalues>

#include "core/error.hpp"
#include "ecology/design.hpp"

namespace orbiome::ecology {

PcoaResult pcoa(DistanceMatrix const& dm, std::size_t dimensions) {
    std::size_t const n = dm.size();
    if (n < 2) throw ParseError({}, "PCoA needs at least 2 samples, the distance matrix has " + std::to_string(n));
    if (dimensions > n)
        throw UsageError("--dimensions " + std::to_string(dimensions) + " exceeds the number of samples (" +
                         std::to_string(n) + ")");
    if (dimensions == 0) dimensions = n;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gower_centred(dm));
    if (solver.info() != Eigen::Success) throw Error(Errc::software, {}, "eigen-decomposition did not converge");
    Eigen::VectorXd values = solver.eigenvalues();  // ascending
    Eigen::MatrixXd const& vectors = solver.eigenvectors();
    auto const nn = static_cast<Eigen::Index>(n);

    PcoaResult res;
    res.ids = dm.ids();
    res.smallest_eigenvalue = values(0);
    res.largest_eigenvalue = values(nn - 1);
    for (Eigen::Index i = 0; i < nn; ++i) {
        if (std::abs(values(i)) <= kZeroEigenvalue) values(i) = 0.0;
        if (values(i) < 0) {
            ++res.n_negative;
            values(i) = 0.0;
        }
    }
    double const sum = values.sum();
    auto const k = static_cast<Eigen::Index>(dimensions);
    res.coordinates.resize(nn, k);
    for (Eigen::Index a = 0; a < k; ++a) {
        Eigen::Index const src = nn - 1 - a;
        detail::set_axis(res, a, vectors.col(src), values(src), sum);
    }
    return res;
}

namespace detail {

void set_axis(PcoaResult& res, Eigen::Index axis, Eigen::VectorXd const& unit_vector, double lambda,
              double eigenvalue_sum) {
    Eigen::VectorXd v = unit_vector * std::sqrt(lambda);
    Eigen::Index arg = 0;
    for (Eigen::Index i = 1; i < v.size(); ++i)
        if (std::abs(v(i)) > std::abs(v(arg))) arg = i;
    if (v(arg) < 0) v = -v;
    res.coordinates.col(axis) = v;
    res.eigenvalues.push_back(lambda);
    res.proportion_explained.push_back(eigenvalue_sum > 0 ? lambda / eigenvalue_sum : 0.0);
}

}  // namespace detail

}  // namespace orbiome::ecology
