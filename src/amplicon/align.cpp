#include "amplicon/align.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace orbiome::amplicon {

namespace {
enum : std::uint8_t { kDiag = 1, kLeft = 2, kUp = 3, kNone = 0 };
constexpr int kMinusInf = std::numeric_limits<int>::min() / 4;
}  // namespace

Alignment align_banded(std::string_view s1, std::string_view s2, int match, int mismatch, int gap, int band) {
    int const n1 = static_cast<int>(s1.size()), n2 = static_cast<int>(s2.size());
    // Allowed diagonals k = j - i (i over s1, j over s2).
    int lo = -n1, hi = n2;
    if (band >= 0) {
        lo = -band - std::max(0, n1 - n2);
        hi = band + std::max(0, n2 - n1);
    }
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
    al.a.reserve(static_cast<std::size_t>(n1 + n2));
    al.b.reserve(static_cast<std::size_t>(n1 + n2));
    int i = n1, j = n2;
    while (i > 0 || j > 0) {
        switch (p[at(i, j)]) {
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
                return al;
        }
    }
    std::reverse(al.a.begin(), al.a.end());
    std::reverse(al.b.begin(), al.b.end());
    return al;
}

Alignment align_gapless(std::string_view s1, std::string_view s2) {
    std::size_t const n = std::max(s1.size(), s2.size());
    Alignment al;
    al.a.assign(s1);
    al.a.resize(n, '-');
    al.b.assign(s2);
    al.b.resize(n, '-');
    return al;
}

}  // namespace orbiome::amplicon
