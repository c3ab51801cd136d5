#include "amplicon/filter.hpp"

#include <cmath>
#include <cstdint>
#include <unordered_set>

namespace orbiome::amplicon {

namespace {

constexpr std::size_t kPhixWord = 16;

std::uint32_t code(char c) {
    switch (c) {
        case 'A': return 0;
        case 'C': return 1;
        case 'G': return 2;
        case 'T': return 3;
        default: return 4;
    }
}

// 16-mers of the circular phiX genome on one strand, 2-bit packed (phiX is pure ACGT).
std::unordered_set<std::uint32_t> phix_words(bool reverse) {
    std::string g(phix_genome());
    if (reverse) {
        std::string rc(g.rbegin(), g.rend());
        for (char& c : rc) c = "TGCA"[code(c)];
        g = rc;
    }
    std::size_t const n = g.size();
    g.append(g, 0, kPhixWord);  // circular
    std::unordered_set<std::uint32_t> words;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t w = 0;
        for (std::size_t j = 0; j < kPhixWord; ++j) w = (w << 2) | code(g[i + j]);
        words.insert(w);
    }
    return words;
}

// Hits as DADA2 counts them: after a hit at j the next window starts at j + 17.
int phix_hits(std::string_view seq, std::unordered_set<std::uint32_t> const& words) {
    // The window's word is rolled along (2 bits a base; a uint32 holds exactly 16 bases) and
    // restarted after a non-ACGT base or a hit.
    int hits = 0;
    std::uint32_t w = 0;
    std::size_t valid = 0;  // ACGT bases at the end of w
    for (std::size_t i = 0; i < seq.size(); ++i) {
        std::uint32_t const c = code(seq[i]);
        if (c > 3) {
            valid = 0;
            continue;
        }
        w = (w << 2) | c;
        if (++valid >= kPhixWord && words.count(w)) {
            // The window started at j = i - 15; the next one starts at j + 17 = i + 2.
            ++hits;
            ++i;
            valid = 0;
        }
    }
    return hits;
}

void narrow(Read& r, std::size_t start, std::size_t len) {
    r.seq = r.seq.substr(start, len);
    r.qual.erase(r.qual.begin(), r.qual.begin() + static_cast<std::ptrdiff_t>(start));
    if (r.qual.size() > len) r.qual.resize(len);
}

// End of the kept prefix: the first base with Q <= truncQ and everything after it go.
std::size_t trunc_q_end(Read const& r, int trunc_q) {
    for (std::size_t i = 0; i < r.qual.size(); ++i)
        if (r.qual[i] <= trunc_q) return i;
    return r.qual.size();
}

double expected_errors(Read const& r) {
    double ee = 0;
    for (auto q : r.qual) ee += std::pow(10.0, -static_cast<int>(q) / 10.0);
    return ee;
}

std::size_t count_n(Read const& r) {
    std::size_t n = 0;
    for (char c : r.seq) n += code(c) > 3;
    return n;
}

}  // namespace

bool is_phix(std::string_view seq) {
    static auto const fwd = phix_words(false);
    static auto const rev = phix_words(true);
    return phix_hits(seq, fwd) >= 2 || phix_hits(seq, rev) >= 2;
}

std::size_t filter_and_trim(SampleReads& s, FilterOptions const& opt) {
    bool const paired = s.paired_input;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < s.fwd.size(); ++i) {
        Read* mates[2] = {&s.fwd[i], paired ? &s.rev[i] : nullptr};
        FilterParams const* par[2] = {&opt.fwd, &opt.rev};
        int const nm = paired ? 2 : 1;
        bool keep = true;
        // trimLeft: a read must be longer than trimLeft (width >= trimLeft + 1).
        for (int m = 0; m < nm && keep; ++m) keep = mates[m]->seq.size() >= par[m]->trim_left + 1;
        if (!keep) continue;
        for (int m = 0; m < nm; ++m) narrow(*mates[m], par[m]->trim_left, std::string::npos);
        for (int m = 0; m < nm; ++m) {
            std::size_t e = trunc_q_end(*mates[m], par[m]->trunc_q);
            narrow(*mates[m], 0, e);
        }
        // Single-end trimTails drops emptied reads; paired mode drops a pair with an empty mate.
        if (mates[0]->seq.empty() || (paired && mates[1]->seq.empty())) continue;
        // truncLen counts from the original read start, as DADA2's end = truncLen - trimLeft.
        for (int m = 0; m < nm && keep; ++m) {
            std::size_t const tl = par[m]->trunc_len;
            if (tl >= par[m]->trim_left + 1) {
                std::size_t const end = tl - par[m]->trim_left;
                keep = mates[m]->seq.size() >= end;
            }
        }
        if (!keep) continue;
        for (int m = 0; m < nm; ++m) {
            std::size_t const tl = par[m]->trunc_len;
            if (tl >= par[m]->trim_left + 1) narrow(*mates[m], 0, tl - par[m]->trim_left);
        }
        for (int m = 0; m < nm && keep; ++m) keep = mates[m]->seq.size() >= par[m]->min_len;
        for (int m = 0; m < nm && keep; ++m) keep = count_n(*mates[m]) <= par[m]->max_n;
        for (int m = 0; m < nm && keep; ++m)
            if (par[m]->max_ee >= 0) keep = expected_errors(*mates[m]) <= par[m]->max_ee;
        if (!keep) continue;
        if (opt.rm_phix) {
            bool phi = false;
            for (int m = 0; m < nm && !phi; ++m) phi = is_phix(mates[m]->seq);
            if (phi) continue;
        }
        if (kept != i) {
            s.fwd[kept] = std::move(s.fwd[i]);
            if (paired) s.rev[kept] = std::move(s.rev[i]);
        }
        ++kept;
    }
    s.fwd.resize(kept);
    if (paired) s.rev.resize(kept);
    return kept;
}

}  // namespace orbiome::amplicon
