#include "ecology/design.hpp"

#include <algorithm>
#include <map>

#include "core/rng.hpp"

namespace orbiome::ecology {

Eigen::MatrixXd gower_centred(DistanceMatrix const& dm) {
    auto const n = static_cast<Eigen::Index>(dm.size());
    Eigen::MatrixXd g(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        g(i, i) = 0.0;
        for (Eigen::Index j = i + 1; j < n; ++j) {
            double const d = dm(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
            g(i, j) = g(j, i) = -0.5 * d * d;
        }
    }
    if (n == 0) return g;
    Eigen::VectorXd const row_means = g.rowwise().mean();
    double const grand = row_means.mean();
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i) g(i, j) += grand - row_means(i) - row_means(j);
    return g;
}

Eigen::MatrixXd orthonormal_basis(Eigen::MatrixXd const& x, std::vector<std::size_t> const& columns,
                                  std::vector<std::size_t>* kept) {
    Eigen::Index const n = x.rows();
    std::vector<Eigen::VectorXd> basis;
    if (kept) kept->clear();
    for (std::size_t k = 0; k < columns.size(); ++k) {
        Eigen::VectorXd v = x.col(static_cast<Eigen::Index>(columns[k]));
        v.array() -= v.mean();
        double const norm0 = v.norm();
        if (norm0 == 0.0) continue;
        // Two passes of modified Gram–Schmidt keep the basis orthogonal to rounding error.
        for (int pass = 0; pass < 2; ++pass)
            for (auto const& q : basis) v -= q.dot(v) * q;
        double const norm = v.norm();
        if (norm <= kAliasTolerance * norm0) continue;
        basis.push_back(v / norm);
        if (kept) kept->push_back(k);
    }
    Eigen::MatrixXd q(n, static_cast<Eigen::Index>(basis.size()));
    for (std::size_t c = 0; c < basis.size(); ++c) q.col(static_cast<Eigen::Index>(c)) = basis[c];
    return q;
}

std::vector<std::size_t> draw_permutation(std::uint64_t seed, std::uint64_t index, std::size_t n,
                                          std::vector<std::size_t> const& strata) {
    auto rng = Rng::stream(seed, index);
    std::vector<std::size_t> perm(n);
    for (std::size_t i = 0; i < n; ++i) perm[i] = i;
    if (strata.empty()) {
        rng.shuffle(perm.begin(), perm.end());
        return perm;
    }
    // Blocks in order of their smallest member, so the draw depends only on the grouping.
    std::map<std::size_t, std::vector<std::size_t>> blocks;
    for (std::size_t i = 0; i < n; ++i) blocks[strata[i]].push_back(i);
    std::vector<std::vector<std::size_t>> ordered;
    for (auto& [key, members] : blocks) ordered.push_back(std::move(members));
    std::sort(ordered.begin(), ordered.end(), [](auto const& a, auto const& b) { return a.front() < b.front(); });
    for (auto const& members : ordered) {
        std::vector<std::size_t> shuffled = members;
        rng.shuffle(shuffled.begin(), shuffled.end());
        for (std::size_t k = 0; k < members.size(); ++k) perm[members[k]] = shuffled[k];
    }
    return perm;
}

}  // namespace orbiome::ecology
