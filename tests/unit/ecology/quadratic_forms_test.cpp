// The float32 quadratic-form kernels against double-precision x'Gx: every kernel this CPU can
// run must stay within its certified bound, and the bound must be tight enough to be useful.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ecology/quadratic_forms.hpp"

namespace orbiome::ecology {
namespace {

std::vector<SimdLevel> runnable_levels() {
    std::vector<SimdLevel> out;
    for (auto l : {SimdLevel::baseline, SimdLevel::avx2, SimdLevel::avx512})
        if (simd_level_supported(l)) out.push_back(l);
    return out;
}

// A Gower-like matrix: doubly centred -1/2 d^2 of random points, so rows sum to zero and the
// quadratic forms cancel heavily, which is where float rounding shows.
Eigen::MatrixXd gower_of_random_points(std::size_t n, std::mt19937_64& rng) {
    std::normal_distribution<double> normal;
    Eigen::MatrixXd pts(static_cast<Eigen::Index>(n), 3);
    for (Eigen::Index i = 0; i < pts.size(); ++i) pts.data()[i] = normal(rng);
    auto const m = static_cast<Eigen::Index>(n);
    Eigen::MatrixXd a(m, m);
    for (Eigen::Index i = 0; i < m; ++i)
        for (Eigen::Index j = 0; j < m; ++j) a(i, j) = -0.5 * (pts.row(i) - pts.row(j)).squaredNorm();
    Eigen::MatrixXd const c = Eigen::MatrixXd::Identity(m, m) - Eigen::MatrixXd::Constant(m, m, 1.0 / static_cast<double>(n));
    return c * a * c;
}

TEST(QuadraticForms, EveryKernelStaysWithinItsBound) {
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal;
    for (std::size_t n : {1u, 5u, 37u, 130u}) {
        Eigen::MatrixXd const g = gower_of_random_points(n, rng);
        for (auto level : runnable_levels()) {
            QuadraticForms const forms(g, level);
            std::size_t const used = 21;  // not a multiple of any kernel's block: the rest is padding
            std::size_t const stride = (used + forms.column_multiple() - 1) / forms.column_multiple() * forms.column_multiple();
            std::vector<float> x(n * stride, 0.0f);
            std::vector<Eigen::VectorXd> cols(used, Eigen::VectorXd(static_cast<Eigen::Index>(n)));
            for (std::size_t c = 0; c < used; ++c) {
                for (std::size_t i = 0; i < n; ++i) {
                    auto const v = static_cast<float>(normal(rng));
                    x[i * stride + c] = v;
                    cols[c][static_cast<Eigen::Index>(i)] = v;  // the float value is the input
                }
            }
            std::vector<double> s(stride, -1.0);
            forms.evaluate(x.data(), stride, s.data());
            for (std::size_t c = 0; c < used; ++c) {
                double const exact = cols[c].dot(g * cols[c]);
                double const bound = forms.error_bound(cols[c].squaredNorm());
                EXPECT_LE(std::abs(s[c] - exact), bound) << "n=" << n << " column " << c;
                // The bound is (n + block + 4) u max-row-sum |x|^2: tight enough to decide all
                // but near-ties.
                EXPECT_LE(bound, 1e-4 * (1.0 + g.cwiseAbs().rowwise().sum().maxCoeff()) * cols[c].squaredNorm());
            }
            for (std::size_t c = used; c < stride; ++c) EXPECT_EQ(s[c], 0.0) << "padding column " << c;
        }
    }
}

TEST(QuadraticForms, KernelsAgreeWithinTheirBounds) {
    std::mt19937_64 rng(5);
    Eigen::MatrixXd const g = gower_of_random_points(64, rng);
    auto const levels = runnable_levels();
    std::size_t const used = 96;  // a multiple of every kernel's block
    std::vector<float> x(64 * used);
    std::normal_distribution<float> normal;
    for (auto& v : x) v = normal(rng);
    std::vector<std::vector<double>> results;
    for (auto level : levels) {
        QuadraticForms const forms(g, level);
        ASSERT_EQ(used % forms.column_multiple(), 0u);
        results.emplace_back(used);
        forms.evaluate(x.data(), used, results.back().data());
    }
    QuadraticForms const reference(g, SimdLevel::baseline);
    for (std::size_t k = 1; k < results.size(); ++k)
        for (std::size_t c = 0; c < used; ++c) {
            double norm2 = 0;
            for (std::size_t i = 0; i < 64; ++i) norm2 += double(x[i * used + c]) * double(x[i * used + c]);
            EXPECT_LE(std::abs(results[k][c] - results[0][c]), 2 * reference.error_bound(norm2));
        }
}

TEST(QuadraticForms, AutomaticPicksARunnableKernel) {
    QuadraticForms const forms(Eigen::MatrixXd::Identity(3, 3));
    EXPECT_NE(forms.level(), SimdLevel::automatic);
    EXPECT_TRUE(simd_level_supported(forms.level()));
}

}  // namespace
}  // namespace orbiome::ecology
