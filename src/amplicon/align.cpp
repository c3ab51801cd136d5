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
    int const width = hi - lo + 1;
    // Row i stores diagonals lo..hi: cell (i, j) at column j - i - lo.
    std::vector<int> d(static_cast<std::size_t>(n1 + 1) * width, kMinusInf);
    std::vector<std::uint8_t> p(d.size(), kNone);
    auto at = [&](int i, int j) -> std::size_t { return static_cast<std::size_t>(i) * width + (j - i - lo); };
    auto inside = [&](int i, int j) { return j >= 0 && j <= n2 && j - i >= lo && j - i <= hi; };
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
        for (int j = jlo; j <= jhi; ++j) {
            int const diag = d[at(i - 1, j - 1)] + (s1[i - 1] == s2[j - 1] ? match : mismatch);
            int left = kMinusInf, up = kMinusInf;
            if (inside(i, j - 1)) left = d[at(i, j - 1)] + (i == n1 ? 0 : gap);
            if (inside(i - 1, j)) up = d[at(i - 1, j)] + (j == n2 ? 0 : gap);
            int best;
            std::uint8_t dir;
            if (up >= left && up >= diag) {
                best = up;
                dir = kUp;
            } else if (left >= diag) {
                best = left;
                dir = kLeft;
            } else {
                best = diag;
                dir = kDiag;
            }
            d[at(i, j)] = best;
            p[at(i, j)] = dir;
        }
    }
    Alignment al;
    int i = n1, j = n2;
    while (i > 0 || j > 0) {
        switch (p[at(i, j)]) {
            case kDiag:
                al.a.push_back(s1[--i]);
                al.b.push_back(s2[--j]);
                break;
            case kLeft:
                al.a.push_back('-');
                al.b.push_back(s2[--j]);
                break;
            case kUp:
                al.a.push_back(s1[--i]);
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
