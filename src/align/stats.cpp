#include "align/stats.hpp"

#include <algorithm>
#include <cmath>

namespace orbiome::align {

namespace {

// Finite-size correction parameters of BLOSUM62 11/1 (NCBI's table: a = 1.9, Alpha = 42.6028,
// Sigma = 43.6362; ungapped a = 0.7916, Alpha = 4.96466) and the intercepts derived from them
// with G = open + extend, as the ALP library and BLAST do.
constexpr double kA = 1.9, kAlphaV = 42.6028, kSigma = 43.6362;
constexpr double kAUngapped = 0.7916, kAlphaVUngapped = 4.96466;
constexpr double kG = kGapOpen + kGapExtend;
constexpr double kB = 2.0 * kG * (kAUngapped - kA);
constexpr double kBeta = 2.0 * kG * (kAlphaVUngapped - kAlphaV);
constexpr double kTau = 2.0 * kG * (kAlphaVUngapped - kSigma);
constexpr int kCbsWindow = 40;

// Standard normal CDF.
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// One length's term of the corrected area: the expected effective length after the edge
// correction, integrated over the normal spread of the alignment's length.
double effective_length(double len, double y, double* p_out) {
    constexpr double inv_sqrt_2pi = 0.39894228040143267794;
    double const l = len - (kA * y + kB);
    double const v = std::max(2.0 * kA / kLambda, kAlphaV * y + kBeta);
    double const sv = std::sqrt(v);
    double const f = l / sv;
    double const p = normal_cdf(f);
    *p_out = p;
    return l * p + sv * inv_sqrt_2pi * std::exp(-0.5 * f * f);
}

}  // namespace

double bit_score(int raw) noexcept { return (kLambda * raw - std::log(kK)) / std::log(2.0); }

double evalue(int raw, std::size_t query_len, std::size_t subject_len, std::uint64_t db_letters) noexcept {
    double const y = raw;
    double pm = 0, pn = 0;
    double const p1 = effective_length(static_cast<double>(query_len), y, &pm);
    double const p2 = effective_length(static_cast<double>(subject_len), y, &pn);
    double const c = std::max(2.0 * kSigma / kLambda, kSigma * y + kTau);
    double const area = p1 * p2 + c * pm * pn;
    return area * kK * std::exp(-kLambda * y) * static_cast<double>(db_letters) / static_cast<double>(subject_len);
}

int min_raw_score(double max_evalue, std::size_t query_len, std::size_t subject_len, std::uint64_t db_letters) noexcept {
    int lo = 1, hi = 1 << 14;  // e-values fall with the score: bisect for the first that passes
    while (lo < hi) {
        int const mid = (lo + hi) / 2;
        if (evalue(mid, query_len, subject_len, db_letters) <= max_evalue) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

void composition_correction(std::vector<Residue> const& q, std::vector<int>& out) {
    // The window slides as in DIAMOND's implementation (which fixes the exact window at the
    // ends of short sequences): it first grows to `half` residues, then every step adds the
    // residue `half` ahead until it holds window + 1, then slides; past the end it shrinks
    // from the left until it holds half + 1, then stays.
    auto const& bg = background_frequencies();
    double bg_score[kStandardAa];
    for (int i = 0; i < kStandardAa; ++i) {
        bg_score[i] = 0;
        for (int j = 0; j < kStandardAa; ++j) bg_score[i] += bg[j] * blosum62(static_cast<Residue>(i), static_cast<Residue>(j));
    }
    std::size_t const len = q.size();
    out.assign(len, 0);
    if (len == 0) return;
    int sums[kStandardAa] = {};
    auto add = [&](Residue l, int sign) {
        for (int i = 0; i < kStandardAa; ++i) sums[i] += sign * blosum62(l, static_cast<Residue>(i));
    };
    std::size_t const window = kCbsWindow;
    std::size_t const half = std::min<std::size_t>(window / 2, len - 1);
    std::size_t n = 0, head = 0, mid = 0, tail = 0;
    auto set = [&](std::size_t m) {
        Residue const r = q[m];
        if (r >= kStandardAa) return;
        float const f = static_cast<float>(bg_score[r]) -
                        static_cast<float>(sums[r] - blosum62(r, r)) / static_cast<float>(n - 1);
        out[m] = static_cast<int>(f < 0.0f ? f - 0.5f : f + 0.5f);
    };
    while (n < half && head < len) {
        ++n;
        add(q[head++], 1);
    }
    while (n < window + 1 && head < len) {
        ++n;
        add(q[head++], 1);
        set(mid++);
    }
    while (head < len) {
        add(q[head++], 1);
        add(q[tail++], -1);
        set(mid++);
    }
    while (mid < len && n > half + 1) {
        --n;
        add(q[tail++], -1);
        set(mid++);
    }
    while (mid < len) set(mid++);
}

}  // namespace orbiome::align
