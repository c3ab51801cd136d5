// PCoA's leading axes by randomized block Krylov iteration with Rayleigh-Ritz and restarts
// (pcoa.hpp, `pcoa --method fsvd`).
#include <algorithm>
#include <cmath>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "ecology/dm_partition.hpp"
#include "ecology/pcoa.hpp"

namespace orbiome::ecology {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Block width: the axes asked for plus extra vectors, which guard the last axis against a
// nearby eigenvalue (Halko et al. 2011, section 4.3).
constexpr std::size_t kOversampling = 10;
// Blocks of the Krylov basis [Q, GQ, G^2 Q, ...] kept before a restart from the best Ritz vectors.
// A Krylov basis of j blocks converges about as a subspace iteration of j^2 steps would
// (Musco & Musco 2015), for the same j products; the cap bounds memory at 2 x kMaxBlocks blocks.
constexpr std::size_t kMaxBlocks = 16;
// Iterations stop when every kept axis's residual ||G v - lambda v|| is below this fraction of the
// largest eigenvalue, or after kMaxProducts block products.
constexpr double kResidualTolerance = 1e-11;
constexpr int kMaxProducts = 400;
// Rows per task of the matrix product: a block's slab of the condensed matrix is read contiguously.
constexpr std::size_t kRowBlock = 128;

// y = A x for A_ij = d_ij^2 (zero diagonal), x and y n x m, from the condensed matrix. Row block
// [i0, i1) of y collects the upper part (row i, columns j > i: contiguous in condensed order) and
// the lower part (rows j < i1, columns in the block: contiguous slices of row j), always in the
// same order, so y is bit-identical for any number of threads.
void squared_product(DistanceMatrix const& dm, RowMatrix const& x, RowMatrix& y, int n_threads) {
    std::size_t const n = dm.size();
    auto const m = static_cast<std::size_t>(x.cols());
    double const* d = dm.condensed().data();
    y.setZero(x.rows(), x.cols());
    double const* xs = x.data();
    double* ys = y.data();
    // y_i += a x_j over the m columns: raw rows, so the compiler vectorises the short loop.
    auto axpy = [m](double a, double const* __restrict__ from, double* __restrict__ to) {
        for (std::size_t c = 0; c < m; ++c) to[c] += a * from[c];
    };
    std::size_t const n_blocks = (n + kRowBlock - 1) / kRowBlock;
    parallel_for(n_blocks, n_threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t blk = b; blk < e; ++blk) {
            std::size_t const i0 = blk * kRowBlock, i1 = std::min(n, i0 + kRowBlock);
            for (std::size_t j = 0; j + 1 < i1; ++j) {  // lower part: d(j, i), j < i
                std::size_t const c0 = std::max(i0, j + 1);
                if (c0 >= i1) continue;
                double const* row = d + condensed_index(n, j, c0);
                for (std::size_t i = c0; i < i1; ++i) axpy(row[i - c0] * row[i - c0], xs + j * m, ys + i * m);
            }
            for (std::size_t i = i0; i < i1; ++i) {  // upper part: d(i, j), j > i
                if (i + 1 >= n) continue;
                double const* row = d + condensed_index(n, i, i + 1);
                for (std::size_t j = i + 1; j < n; ++j) axpy(row[j - i - 1] * row[j - i - 1], xs + j * m, ys + i * m);
            }
        }
    });
}

// Subtracts each column's mean: J x with J = I - 11'/n.
void centre_columns(RowMatrix& x) {
    Eigen::RowVectorXd const mean = x.colwise().mean();
    x.rowwise() -= mean;
}

// G q for Gower's centred matrix G = -1/2 J A J (Gower 1966), without forming G.
RowMatrix gower_product(DistanceMatrix const& dm, RowMatrix q, int n_threads) {
    centre_columns(q);
    RowMatrix y;
    squared_product(dm, q, y, n_threads);
    centre_columns(y);
    y *= -0.5;
    return y;
}

}  // namespace

PcoaResult pcoa_fsvd(DistanceMatrix const& dm, std::size_t dimensions, std::uint64_t seed, int n_threads) {
    std::size_t const n = dm.size();
    if (n < 2) throw ParseError({}, "PCoA needs at least 2 samples, the distance matrix has " + std::to_string(n));
    if (dimensions == 0 || dimensions > n)
        throw UsageError("--method fsvd needs --dimensions between 1 and the number of samples (" + std::to_string(n) +
                         ")", "fsvd computes only the leading axes; e.g. --dimensions 10");
    auto const m = static_cast<Eigen::Index>(std::min(n, dimensions + kOversampling));
    auto const nn = static_cast<Eigen::Index>(n);
    auto const k = static_cast<Eigen::Index>(dimensions);

    // basis: orthonormal columns spanning the Krylov space; images = G basis, column by column.
    Eigen::MatrixXd basis, images;
    {
        Eigen::MatrixXd start(nn, m);
        for (Eigen::Index c = 0; c < m; ++c) {
            auto rng = Rng::stream(seed, static_cast<std::uint64_t>(c));
            for (Eigen::Index r = 0; r < nn; ++r) start(r, c) = 2.0 * rng.uniform() - 1.0;
        }
        Eigen::HouseholderQR<Eigen::MatrixXd> qr(start);
        basis = qr.householderQ() * Eigen::MatrixXd::Identity(nn, m);
        images = gower_product(dm, RowMatrix(basis), n_threads);
    }
    auto const max_columns = std::min<Eigen::Index>(nn, static_cast<Eigen::Index>(kMaxBlocks) * m);
    Eigen::MatrixXd ritz_vectors;
    Eigen::VectorXd ritz_values;
    for (int products = 1;; ++products) {
        // Rayleigh-Ritz on the basis: T = Q' G Q (symmetrised against rounding).
        Eigen::MatrixXd t = basis.transpose() * images;
        t = 0.5 * (t + t.transpose()).eval();
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> small(t);
        ritz_values = small.eigenvalues().reverse();  // descending
        Eigen::MatrixXd const s = small.eigenvectors().rowwise().reverse();
        ritz_vectors = basis * s.leftCols(k);
        Eigen::MatrixXd const gv = images * s.leftCols(k);
        double const scale = std::max(std::abs(ritz_values(0)), std::abs(ritz_values(ritz_values.size() - 1)));
        double worst = 0;
        for (Eigen::Index a = 0; a < k; ++a)
            worst = std::max(worst, (gv.col(a) - ritz_values(a) * ritz_vectors.col(a)).norm());
        if (worst <= kResidualTolerance * std::max(scale, 1e-300) || products >= kMaxProducts) break;
        if (basis.cols() == nn) break;  // the whole space: Rayleigh-Ritz is exact
        if (basis.cols() + m > max_columns && basis.cols() > m) {
            // Restart from the m best Ritz vectors; their images follow without a product.
            basis = (basis * s.leftCols(m)).eval();
            images = (images * s.leftCols(m)).eval();
        }
        // The next block: G times the newest block, orthogonalised against the basis (twice, as
        // one pass loses orthogonality in rounding), then orthonormalised.
        auto const width = std::min<Eigen::Index>(m, nn - basis.cols());
        Eigen::MatrixXd block = images.rightCols(width);
        for (int pass = 0; pass < 2; ++pass) {
            block -= basis * (basis.transpose() * block);
            Eigen::HouseholderQR<Eigen::MatrixXd> qr(block);
            block = qr.householderQ() * Eigen::MatrixXd::Identity(nn, width);
        }
        Eigen::MatrixXd const block_images = gower_product(dm, RowMatrix(block), n_threads);
        Eigen::Index const c = basis.cols();
        basis.conservativeResize(Eigen::NoChange, c + width);
        images.conservativeResize(Eigen::NoChange, c + width);
        basis.rightCols(width) = block;
        images.rightCols(width) = block_images;
    }

    PcoaResult res;
    res.ids = dm.ids();
    res.smallest_eigenvalue = ritz_values(ritz_values.size() - 1);
    res.largest_eigenvalue = ritz_values(0);
    // The proportion explained is relative to the sum of ALL eigenvalues, which fsvd does not
    // compute: it is the trace of G, sum_{i<j} d_ij^2 / n (scikit-bio's fsvd does the same).
    double trace = 0;
    for (double v : dm.condensed()) trace += v * v;
    trace /= static_cast<double>(n);
    res.coordinates.resize(nn, k);
    for (Eigen::Index a = 0; a < k; ++a) {
        double lambda = ritz_values(a);
        if (std::abs(lambda) <= kZeroEigenvalue) lambda = 0.0;
        if (lambda < 0) {
            ++res.n_negative;
            lambda = 0.0;
        }
        detail::set_axis(res, a, ritz_vectors.col(a), lambda, trace);
    }
    return res;
}

}  // namespace orbiome::ecology
