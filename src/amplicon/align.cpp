#include "amplicon/align.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <limits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace orbiome::amplicon {

namespace {
enum : std::uint8_t { kDiag = 1, kLeft = 2, kUp = 3, kNone = 0 };
constexpr int kMinusInf = std::numeric_limits<int>::min() / 4;

// Follows the directions back from (n1, n2) to the origin; `dir(i, j)` is the move into cell (i, j).
template <class Dir>
void trace_back(std::string_view s1, std::string_view s2, Dir dir, Alignment& al) {
    al.a.clear();
    al.b.clear();
    al.a.reserve(s1.size() + s2.size());
    al.b.reserve(s1.size() + s2.size());
    int i = static_cast<int>(s1.size()), j = static_cast<int>(s2.size());
    while (i > 0 || j > 0) {
        switch (dir(i, j)) {
            case kDiag:
                al.a.push_back(s1[static_cast<std::size_t>(--i)]);
                al.b.push_back(s2[static_cast<std::size_t>(--j)]);
                break;
            case kLeft:
                al.a.push_back('-');
                al.b.push_back(s2[static_cast<std::size_t>(--j)]);
                break;
            case kUp:
                al.a.push_back(s1[static_cast<std::size_t>(--i)]);
                al.b.push_back('-');
                break;
            default:
                // Unreachable: the end cell is inside any band (the band widens by the length
                // difference), and every banded cell has a predecessor inside.
                al.a.clear();
                al.b.clear();
                return;
        }
    }
    std::reverse(al.a.begin(), al.a.end());
    std::reverse(al.b.begin(), al.b.end());
}

// The allowed diagonals k = j - i (i over s1, j over s2): `band` either side, widened on one
// side by the length difference; everything when band < 0.
std::pair<int, int> band_limits(int n1, int n2, int band) {
    if (band < 0) return {-n1, n2};
    // Diagonals beyond -n1 or n2 hold no cell: clamping them away changes nothing.
    return {std::max(-n1, -band - std::max(0, n1 - n2)), std::min(n2, band + std::max(0, n2 - n1))};
}
}  // namespace

Alignment align_banded(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band) {
    Alignment al;
    align_banded(s1, s2, match, mismatch, gap, band, al);
    return al;
}

void align_banded(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band,
                  Alignment& out) {
    if (!align_banded_simd(s1, s2, match, mismatch, gap, band, out))
        out = align_banded_scalar(s1, s2, match, mismatch, gap, band);
}

Alignment align_banded_scalar(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band) {
    int const n1 = static_cast<int>(s1.size()), n2 = static_cast<int>(s2.size());
    // Allowed diagonals k = j - i (i over s1, j over s2).
    auto const lim = band_limits(n1, n2, band);
    int const lo = lim.first, hi = lim.second;
    // Row i holds diagonals lo..hi at columns 1..width; columns 0 and width+1 are -inf
    // sentinels, so a neighbour outside the band never wins. Cell (i, j) is at column
    // j - i - lo + 1: its diagonal neighbour (i-1, j-1) is the same column of row i-1, its
    // upper neighbour (i-1, j) the next column, its left neighbour (i, j-1) the previous one.
    int const width = hi - lo + 1;
    std::size_t const stride = static_cast<std::size_t>(width) + 2;
    thread_local std::vector<int> d;
    thread_local std::vector<std::uint8_t> p;
    d.assign(static_cast<std::size_t>(n1 + 1) * stride, kMinusInf);
    p.assign(d.size(), kNone);
    auto at = [&](int i, int j) -> std::size_t {
        return static_cast<std::size_t>(i) * stride + static_cast<std::size_t>(j - i - lo + 1);
    };
    for (int j = 0; j <= std::min(n2, hi); ++j) {
        d[at(0, j)] = 0;
        p[at(0, j)] = kLeft;
    }
    for (int i = 1; i <= std::min(n1, -lo); ++i) {
        d[at(i, 0)] = 0;
        p[at(i, 0)] = kUp;
    }
    for (int i = 1; i <= n1; ++i) {
        int const jlo = std::max(1, i + lo), jhi = std::min(n2, i + hi);
        int const* prev = d.data() + static_cast<std::size_t>(i - 1) * stride;
        int* cur = d.data() + static_cast<std::size_t>(i) * stride;
        std::uint8_t* pc = p.data() + static_cast<std::size_t>(i) * stride;
        int const left_gap = i == n1 ? 0 : gap;
        char const a = s1[static_cast<std::size_t>(i - 1)];
        int const off = -i - lo + 1;  // column of (i, j) is j + off
        int left = cur[jlo - 1 + off];
        for (int j = jlo; j <= jhi; ++j) {
            int const c = j + off;
            int const diag = prev[c] + (a == s2[static_cast<std::size_t>(j - 1)] ? match : mismatch);
            int const up = prev[c + 1] + (j == n2 ? 0 : gap);
            int const lf = left + left_gap;
            // Ties: up > left > diagonal (DADA2's order).
            int best = up >= diag ? up : diag;
            std::uint8_t dir = up >= diag ? kUp : kDiag;
            if (lf > best || (lf == best && dir == kDiag)) {
                best = lf;
                dir = kLeft;
            }
            cur[c] = best;
            pc[c] = dir;
            left = best;
        }
    }
    Alignment al;
    trace_back(s1, s2, [&](int i, int j) { return p[at(i, j)]; }, al);
    return al;
}

bool align_banded_simd(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band,
                       Alignment& out) {
#if defined(__SSE2__)
    int const n1 = static_cast<int>(s1.size()), n2 = static_cast<int>(s2.size());
    // Every cell value and every candidate (a cell plus one score) must stay clear of the
    // saturated -32768 that stands for -inf: |value| <= steps * largest score.
    int const big = std::max({std::abs(match), std::abs(mismatch), std::abs(gap)});
    if (static_cast<long>(n1 + n2 + 2) * big > 32000) return false;
    auto const lim = band_limits(n1, n2, band);
    int const lo = lim.first, hi = lim.second;
    // Anti-diagonal t = i + j holds the cells of diagonals k = k0, k0 + 2, ... <= hi with
    // k0 = lo + ((t - lo) & 1), lane m at k = k0 + 2m. Its cells depend only on anti-diagonals
    // t - 1 (up: (i-1, j), left: (i, j-1)) and t - 2 (diagonal: same lane), so a whole
    // anti-diagonal is computed at once with the same integer recurrence and tie rules as the
    // scalar rows, hence the same scores and directions cell by cell.
    int const lanes = (hi - lo) / 2 + 1;
    int const mp = (lanes + 7) / 8 * 8;
    int const nt = n1 + n2 + 1;
    constexpr int kPad = 8;  // -inf sentinels either side of each anti-diagonal
    constexpr std::int16_t kNeg = std::numeric_limits<std::int16_t>::min();
    thread_local std::vector<std::int16_t> hbuf;
    thread_local std::vector<std::uint8_t> dirs;
    thread_local std::string r1, p2;
    std::size_t const hsize = static_cast<std::size_t>(mp + 2 * kPad);
    hbuf.assign(3 * hsize, kNeg);
    dirs.resize(static_cast<std::size_t>(nt) * static_cast<std::size_t>(mp));
    // s1 reversed (its index falls as m rises) and s2, padded so that every lane's load is in
    // bounds; pads differ so that they never match (such lanes are masked anyway).
    int const pad = n1 + n2 + 2 * mp + 16;
    r1.assign(static_cast<std::size_t>(n1 + 2 * pad), '\1');
    p2.assign(static_cast<std::size_t>(n2 + 2 * pad), '\2');
    for (int x = 0; x < n1; ++x) r1[static_cast<std::size_t>(pad + x)] = s1[static_cast<std::size_t>(n1 - 1 - x)];
    for (int y = 0; y < n2; ++y) p2[static_cast<std::size_t>(pad + y)] = s2[static_cast<std::size_t>(y)];

    __m128i const iota = _mm_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7);
    __m128i const v_match = _mm_set1_epi16(static_cast<std::int16_t>(match));
    __m128i const v_mismatch = _mm_set1_epi16(static_cast<std::int16_t>(mismatch));
    __m128i const v_gap = _mm_set1_epi16(static_cast<std::int16_t>(gap));
    __m128i const v_neg = _mm_set1_epi16(kNeg);
    __m128i const v_zero = _mm_setzero_si128();
    __m128i const v_n1 = _mm_set1_epi16(static_cast<std::int16_t>(n1));
    __m128i const v_n2 = _mm_set1_epi16(static_cast<std::int16_t>(n2));
    __m128i const v_n1p = _mm_set1_epi16(static_cast<std::int16_t>(n1 + 1));
    __m128i const v_n2p = _mm_set1_epi16(static_cast<std::int16_t>(n2 + 1));
    __m128i const d_diag = _mm_set1_epi16(kDiag), d_left = _mm_set1_epi16(kLeft), d_up = _mm_set1_epi16(kUp);
    auto sel = [](__m128i mask, __m128i a, __m128i b) {  // mask ? a : b
        return _mm_or_si128(_mm_and_si128(mask, a), _mm_andnot_si128(mask, b));
    };
    std::int16_t* h2 = hbuf.data() + kPad;              // anti-diagonal t - 2
    std::int16_t* h1 = h2 + hsize;                      // t - 1
    std::int16_t* h0 = h1 + hsize;                      // t
    int const last_boundary = std::max(hi, -lo);       // boundary cells lie on t <= this
    for (int t = 0; t < nt; ++t) {
        int const par = (t - lo) & 1;
        int const k0 = lo + par;
        int const ibase = (t - k0) / 2, jbase = (t + k0) / 2;
        int const in_lanes = hi < k0 ? 0 : (hi - k0) / 2 + 1;  // lanes m < this hold a diagonal <= hi
        __m128i const v_mmax = _mm_set1_epi16(static_cast<std::int16_t>(in_lanes));
        char const* a = r1.data() + pad + (n1 - ibase);
        char const* b = p2.data() + pad + (jbase - 1);
        std::uint8_t* dt = dirs.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(mp);
        // In the middle anti-diagonals every in-band lane is an inner cell away from the last
        // row and column: no per-lane position masks needed there.
        bool const plain = t > last_boundary && ibase - in_lanes + 1 >= 1 && ibase < n1 && jbase >= 1 &&
                           jbase + in_lanes - 1 < n2;
        int m = 0;
        for (; m < in_lanes; m += 8) {
            __m128i const vm = _mm_add_epi16(iota, _mm_set1_epi16(static_cast<std::int16_t>(m)));
            __m128i const in_band = _mm_cmplt_epi16(vm, v_mmax);
            __m128i const ca = _mm_loadl_epi64(reinterpret_cast<__m128i const*>(a + m));
            __m128i const cb = _mm_loadl_epi64(reinterpret_cast<__m128i const*>(b + m));
            __m128i const eq8 = _mm_cmpeq_epi8(ca, cb);
            __m128i const eq = _mm_unpacklo_epi8(eq8, eq8);
            __m128i const diag = _mm_adds_epi16(_mm_loadu_si128(reinterpret_cast<__m128i const*>(h2 + m)),
                                                sel(eq, v_match, v_mismatch));
            __m128i vi = v_zero, vj = v_zero, i_ok = v_zero, inner = in_band, gup = v_gap, glf = v_gap;
            if (!plain) {
                vi = _mm_sub_epi16(_mm_set1_epi16(static_cast<std::int16_t>(ibase)), vm);
                vj = _mm_add_epi16(_mm_set1_epi16(static_cast<std::int16_t>(jbase)), vm);
                i_ok = _mm_and_si128(_mm_cmpgt_epi16(vi, v_zero), _mm_cmplt_epi16(vi, v_n1p));
                __m128i const j_ok = _mm_and_si128(_mm_cmpgt_epi16(vj, v_zero), _mm_cmplt_epi16(vj, v_n2p));
                inner = _mm_and_si128(in_band, _mm_and_si128(i_ok, j_ok));
                // End gaps are free: an up move in the last column, a left move in the last row.
                gup = _mm_andnot_si128(_mm_cmpeq_epi16(vj, v_n2), v_gap);
                glf = _mm_andnot_si128(_mm_cmpeq_epi16(vi, v_n1), v_gap);
            }
            __m128i const up = _mm_adds_epi16(_mm_loadu_si128(reinterpret_cast<__m128i const*>(h1 + m + par)), gup);
            __m128i const lf =
                _mm_adds_epi16(_mm_loadu_si128(reinterpret_cast<__m128i const*>(h1 + m + par - 1)), glf);
            // Ties: up > left > diagonal (DADA2's order), as in the scalar rows.
            __m128i const dg = _mm_cmpgt_epi16(diag, up);
            __m128i const best1 = _mm_max_epi16(up, diag);
            __m128i const take_left = _mm_or_si128(_mm_cmpgt_epi16(lf, best1),
                                                   _mm_and_si128(_mm_cmpeq_epi16(lf, best1), dg));
            __m128i h = sel(inner, _mm_max_epi16(lf, best1), v_neg);
            __m128i d = sel(inner, sel(take_left, d_left, sel(dg, d_diag, d_up)), v_zero);
            if (t <= last_boundary) {
                // Row 0 (0 <= j <= min(n2, hi)) and column 0 (1 <= i <= min(n1, -lo)) start at 0.
                __m128i const top = _mm_and_si128(_mm_cmpeq_epi16(vi, v_zero),
                                                  _mm_andnot_si128(_mm_cmplt_epi16(vj, v_zero), _mm_cmplt_epi16(vj, v_n2p)));
                __m128i const side = _mm_and_si128(_mm_cmpeq_epi16(vj, v_zero), i_ok);
                __m128i const edge = _mm_and_si128(in_band, _mm_or_si128(top, side));
                h = sel(edge, v_zero, h);
                d = sel(edge, sel(top, d_left, d_up), d);
            }
            _mm_storeu_si128(reinterpret_cast<__m128i*>(h0 + m), h);
            _mm_storel_epi64(reinterpret_cast<__m128i*>(dt + m), _mm_packus_epi16(d, d));
        }
        // Lanes past the band hold no cell on this anti-diagonal but are read as neighbours.
        for (; m < mp; m += 8) _mm_storeu_si128(reinterpret_cast<__m128i*>(h0 + m), v_neg);
        std::int16_t* const spare = h2;
        h2 = h1;
        h1 = h0;
        h0 = spare;
    }
    trace_back(
        s1, s2,
        [&](int i, int j) {
            int const t = i + j, k = j - i;
            int const m = (k - lo - ((t - lo) & 1)) / 2;
            return dirs[static_cast<std::size_t>(t) * static_cast<std::size_t>(mp) + static_cast<std::size_t>(m)];
        },
        out);
    return true;
#else
    (void)s1, (void)s2, (void)match, (void)mismatch, (void)gap, (void)band, (void)out;
    return false;
#endif
}

Alignment align_gapless(std::string_view s1, std::string_view s2) {
    Alignment al;
    align_gapless(s1, s2, al);
    return al;
}

void align_gapless(std::string_view s1, std::string_view s2, Alignment& out) {
    std::size_t const n = std::max(s1.size(), s2.size());
    out.a.assign(s1);
    out.a.resize(n, '-');
    out.b.assign(s2);
    out.b.resize(n, '-');
}

}  // namespace orbiome::amplicon
