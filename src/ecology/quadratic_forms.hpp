#pragma once
/// \file quadratic_forms.hpp
/// Many quadratic forms x_c' G x_c of one symmetric matrix G, fast and with a certified error
/// bound: the inner loop of a permutation test on a Gower matrix (PERMANOVA evaluates x'Gx for
/// each basis column of the design, its rows scattered by each permutation).
///
/// Method. G is packed once, in float32, as the upper triangle A = 2 triu(G, 1) + diag(G), so
/// x'Gx = x'Ax costs n^2/2 multiply-adds per column. A is stored in panels of kRows rows (the
/// packing of GEMM kernels, Goto & van de Geijn 2008, doi:10.1145/1356052.1356053) so the kernel
/// streams it contiguously while kRows x (column block) accumulators stay in registers. The
/// kernel is compiled three times — AVX-512, AVX2+FMA and baseline x86-64 (plain C++ elsewhere)
/// — and chosen from the CPU at run time, so one binary runs anywhere and uses the widest units
/// it finds. float32 halves the memory traffic and doubles the lanes of double precision.
///
/// Why float32 is safe. With unit roundoff u = 2^-24, rounding A and x to float, accumulating the
/// (at most n) products of each row in float and then the kRows row terms of a block gives
/// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., 2002, §3.1 and §3.5)
///     |computed - x'Gx| <= gamma_(n + kRows + 4) |x|'|G||x|,   gamma_k = k u / (1 - k u),
/// and |x|'|G||x| <= (max_i sum_j |G_ij|) ||x||^2, since the infinity norm of the symmetric |G|
/// bounds its spectral norm. error_bound() returns twice that (the block sums, added in double,
/// contribute far less than the margin). A caller can thus tell when a float result might lie
/// on the wrong side of a threshold and recompute that case in double, which keeps every
/// decision exactly what a double-precision evaluation gives.

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace orbiome::ecology {

/// Which compiled kernel evaluates the forms. `automatic` picks the widest the CPU supports.
enum class SimdLevel { automatic, baseline, avx2, avx512 };

/// True if this CPU (and build) can run `level`; `automatic` and `baseline` always can.
bool simd_level_supported(SimdLevel level);

/// x'Gx for many columns x of one symmetric n x n matrix G (float32 kernel, double results,
/// certified bound). Construction is O(n^2) time and 2 n^2 bytes; evaluate() is
/// O(n^2 columns / 2). Thread-safe for concurrent evaluate() calls.
class QuadraticForms {
public:
    /// Packs the upper triangle of `g` (assumed symmetric; the lower triangle is not read).
    /// Throws UsageError if `level` is not supported here.
    explicit QuadraticForms(Eigen::MatrixXd const& g, SimdLevel level = SimdLevel::automatic);

    /// The kernel's column block: callers lay out `x` with a row stride that is a multiple of it.
    std::size_t column_multiple() const { return column_multiple_; }

    /// s[c] = x_c' G x_c for every c < stride, where x is n x stride, row-major float32
    /// (element (i, c) at x[i * stride + c]); `stride` must be a multiple of column_multiple().
    /// Zero padding columns give 0. Each s[c] is within error_bound(||x_c||^2) of the exact
    /// value. Deterministic: the same inputs give the same bits on the same CPU on any thread.
    void evaluate(float const* x, std::size_t stride, double* s) const;

    /// Bound on |s[c] - x_c'Gx_c| for a column of squared Euclidean norm `norm2` (see the file
    /// comment), including the rounding of x to float.
    double error_bound(double norm2) const { return bound_per_norm2_ * norm2; }

    /// The kernel in use (never `automatic`).
    SimdLevel level() const { return level_; }

    /// Kernel geometry (exposed for the kernels themselves).
    struct Panels {
        float const* data;
        std::size_t n;
        std::size_t rows;  // rows per panel
    };

private:
    using Kernel = void (*)(Panels const& a, float const* x, std::size_t stride, double* s);
    std::size_t n_ = 0;
    SimdLevel level_ = SimdLevel::baseline;
    std::size_t panel_rows_ = 1;
    std::size_t column_multiple_ = 1;
    std::vector<float> panels_;  // panel p: rows p*panel_rows_.., columns j >= p*panel_rows_, row-fastest
    double bound_per_norm2_ = 0;
    Kernel kernel_ = nullptr;
};

}  // namespace orbiome::ecology
