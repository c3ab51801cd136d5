#include "ecology/quadratic_forms.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace orbiome::ecology {

namespace {

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define ORBIOME_X86_DISPATCH 1
#endif

// GCC/Clang vector types: one source for every instruction set; the compiler maps them to
// zmm, ymm or xmm registers (or pairs of narrower ones) for the target of the function they
// are inlined into.
// The unaligned variants load x's rows, which start at any multiple of 4 bytes.
using Float16 = float __attribute__((vector_size(64)));
using Float8 = float __attribute__((vector_size(32)));
using Float16Unaligned = float __attribute__((vector_size(64), aligned(4), may_alias));
using Float8Unaligned = float __attribute__((vector_size(32), aligned(4), may_alias));

// Register blocking per kernel: kRows x kVectors accumulators plus kVectors loads and one
// broadcast must fit the register file (32 zmm for AVX-512; 16 ymm for AVX2; 16 xmm baseline,
// where a Float8 takes two), with at least 8 independent accumulators to cover FMA latency.
struct Avx512Shape {
    using Vec = Float16;
    using Unaligned = Float16Unaligned;
    static constexpr std::size_t kRows = 8, kVectors = 2;
};
struct Avx2Shape {
    using Vec = Float8;
    using Unaligned = Float8Unaligned;
    static constexpr std::size_t kRows = 6, kVectors = 2;
};
struct BaselineShape {
    using Vec = Float8;
    using Unaligned = Float8Unaligned;
    static constexpr std::size_t kRows = 4, kVectors = 1;
};

// Column tile: the x rows of one tile (n x kColumnTile floats) stay in L2 while every panel
// passes over them.
constexpr std::size_t kColumnTile = 256;

// s[c] for all c < stride. Each panel p (rows i0..i0+kRows-1) holds A(i0 + r, j) for j >= i0 at
// [(j - i0) * kRows + r], zero below the diagonal and beyond n, so one loop covers the diagonal
// block too. always_inline: the body is compiled anew inside each target-specific wrapper.
template <typename Shape>
[[gnu::always_inline]] inline void quadratic_forms_kernel(QuadraticForms::Panels const& a, float const* x,
                                                           std::size_t stride, double* s) {
    using Vec = typename Shape::Vec;
    using Unaligned = typename Shape::Unaligned;
    constexpr std::size_t kRows = Shape::kRows;
    constexpr std::size_t kVectors = Shape::kVectors;
    constexpr std::size_t kLanes = sizeof(Vec) / sizeof(float);
    constexpr std::size_t kCols = kLanes * kVectors;
    std::size_t const n = a.n;
    std::fill(s, s + stride, 0.0);
    for (std::size_t t0 = 0; t0 < stride; t0 += kColumnTile) {
        std::size_t const t1 = std::min(stride, t0 + kColumnTile);
        float const* panel = a.data;
        for (std::size_t i0 = 0; i0 < n; i0 += kRows) {
            for (std::size_t c0 = t0; c0 < t1; c0 += kCols) {
                // Every loop over r and v has a constant trip count, so the arrays below live in
                // registers once unrolled.
                Vec acc[kRows][kVectors] = {};
                float const* col = panel;
                for (std::size_t j = i0; j < n; ++j, col += kRows) {
                    auto const* xj = reinterpret_cast<Unaligned const*>(x + j * stride + c0);
#pragma GCC unroll 16
                    for (std::size_t r = 0; r < kRows; ++r)
#pragma GCC unroll 4
                        for (std::size_t v = 0; v < kVectors; ++v) acc[r][v] += col[r] * xj[v];
                }
                Vec block[kVectors] = {};
#pragma GCC unroll 16
                for (std::size_t r = 0; r < kRows; ++r) {
                    if (i0 + r >= n) break;
                    auto const* xi = reinterpret_cast<Unaligned const*>(x + (i0 + r) * stride + c0);
#pragma GCC unroll 4
                    for (std::size_t v = 0; v < kVectors; ++v) block[v] += acc[r][v] * xi[v];
                }
                for (std::size_t v = 0; v < kVectors; ++v)
                    for (std::size_t l = 0; l < kLanes; ++l) s[c0 + v * kLanes + l] += static_cast<double>(block[v][l]);
            }
            panel += (n - i0) * kRows;
        }
    }
}

void kernel_baseline(QuadraticForms::Panels const& a, float const* x, std::size_t stride, double* s) {
    quadratic_forms_kernel<BaselineShape>(a, x, stride, s);
}

#ifdef ORBIOME_X86_DISPATCH
[[gnu::target("avx2,fma")]] void kernel_avx2(QuadraticForms::Panels const& a, float const* x, std::size_t stride,
                                              double* s) {
    quadratic_forms_kernel<Avx2Shape>(a, x, stride, s);
}
[[gnu::target("avx512f,avx2,fma")]] void kernel_avx512(QuadraticForms::Panels const& a, float const* x,
                                                        std::size_t stride, double* s) {
    quadratic_forms_kernel<Avx512Shape>(a, x, stride, s);
}
#endif

template <typename Shape>
constexpr std::size_t columns_of() {
    return sizeof(typename Shape::Vec) / sizeof(float) * Shape::kVectors;
}

}  // namespace

bool simd_level_supported(SimdLevel level) {
    switch (level) {
        case SimdLevel::automatic:
        case SimdLevel::baseline: return true;
#ifdef ORBIOME_X86_DISPATCH
        case SimdLevel::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case SimdLevel::avx512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
                   __builtin_cpu_supports("fma");
#else
        case SimdLevel::avx2:
        case SimdLevel::avx512: return false;
#endif
    }
    return false;
}

QuadraticForms::QuadraticForms(Eigen::MatrixXd const& g, SimdLevel level) : n_(static_cast<std::size_t>(g.rows())) {
    if (!simd_level_supported(level)) throw UsageError("this CPU cannot run the requested SIMD kernel");
    if (level == SimdLevel::automatic)
        level = simd_level_supported(SimdLevel::avx512) ? SimdLevel::avx512
                : simd_level_supported(SimdLevel::avx2) ? SimdLevel::avx2
                                                        : SimdLevel::baseline;
    level_ = level;
    auto use = [this](auto shape, Kernel kernel) {
        using Shape = decltype(shape);
        kernel_ = kernel;
        panel_rows_ = Shape::kRows;
        column_multiple_ = columns_of<Shape>();
    };
#ifdef ORBIOME_X86_DISPATCH
    if (level == SimdLevel::avx512)
        use(Avx512Shape{}, kernel_avx512);
    else if (level == SimdLevel::avx2)
        use(Avx2Shape{}, kernel_avx2);
    else
#endif
        use(BaselineShape{}, kernel_baseline);

    std::size_t total = 0;
    for (std::size_t i0 = 0; i0 < n_; i0 += panel_rows_) total += (n_ - i0) * panel_rows_;
    panels_.assign(total, 0.0f);
    std::vector<double> row_sum(n_, 0.0);  // sum_j |G_ij|, from the upper triangle
    for (std::size_t j = 0; j < n_; ++j)
        for (std::size_t i = 0; i <= j; ++i) {
            double const v = std::abs(g(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
            row_sum[i] += v;
            if (i != j) row_sum[j] += v;
        }
    double const max_row_sum = n_ == 0 ? 0.0 : *std::max_element(row_sum.begin(), row_sum.end());
    float* panel = panels_.data();
    for (std::size_t i0 = 0; i0 < n_; i0 += panel_rows_) {
        std::size_t const rows = std::min(panel_rows_, n_ - i0);
        for (std::size_t j = i0; j < n_; ++j)
            for (std::size_t r = 0; r < rows && i0 + r <= j; ++r) {
                double const v = g(static_cast<Eigen::Index>(i0 + r), static_cast<Eigen::Index>(j));
                panel[(j - i0) * panel_rows_ + r] = static_cast<float>(i0 + r == j ? v : 2.0 * v);
            }
        panel += (n_ - i0) * panel_rows_;
    }

    double const u = std::ldexp(1.0, -std::numeric_limits<float>::digits);  // 2^-24
    double const k = static_cast<double>(n_ + panel_rows_ + 4);
    bound_per_norm2_ = 2.0 * (k * u / (1.0 - k * u)) * max_row_sum;
}

void QuadraticForms::evaluate(float const* x, std::size_t stride, double* s) const {
    if (stride % column_multiple_ != 0) throw UsageError("quadratic forms: stride is not a multiple of the kernel's columns");
    kernel_(Panels{panels_.data(), n_, panel_rows_}, x, stride, s);
}

}  // namespace orbiome::ecology
