#include "qc/trim.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace orbiome::qc {

namespace {
int phred(char c) noexcept { return std::max(0, static_cast<int>(static_cast<unsigned char>(c)) - kPhredOffset); }

bool is_acgt(char c) noexcept {
    switch (c) {
        case 'A': case 'C': case 'G': case 'T': case 'a': case 'c': case 'g': case 't': return true;
        default: return false;
    }
}

// Upper-case a base; anything else stays as is (and then never equals a base).
char upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

bool same_base(char a, char b) noexcept { return is_acgt(a) && upper(a) == upper(b); }

// Eight bytes at a time (SWAR): the two comparisons that take most of the time of `orbiome qc`
// (bench/QC.md) compare short runs of bytes and only count the differences.
constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
constexpr std::uint64_t kEachByte = 0x0101010101010101ULL;

// Up to 8 bytes from p (n <= 8), zero-filled.
std::uint64_t load(char const* p, std::size_t n) noexcept {
    std::uint64_t x = 0;
    std::memcpy(&x, p, n);
    return x;
}

// The high bit of every byte of x that is not zero.
std::uint64_t nonzero_bytes(std::uint64_t x) noexcept { return (((x & kLow7) + kLow7) | x) & kHigh; }

// Number of high bits set in a mask of byte high bits (as made above): the bytes' 0/1 summed
// into the top byte by one multiplication (std::popcount compiles to a library call without
// -mpopcnt, which the baseline x86-64 target lacks).
std::size_t count_high_bits(std::uint64_t mask) noexcept { return static_cast<std::size_t>(((mask >> 7) * kEachByte) >> 56); }

// The high bit of every byte of q that is at least t (1 <= t <= 127), bytes >= 128 being negative
// chars as in the byte-wise comparison: (q & 0x7f) + (128 - t) reaches 128 exactly when q >= t.
std::uint64_t bytes_at_least(std::uint64_t q, char t) noexcept {
    return (((q & kLow7) + kEachByte * static_cast<std::uint64_t>(128 - t)) & ~q) & kHigh;
}

// Quality from which a mismatch is taken as evidence against an overlap: below it the base is
// likely a sequencing error (Q15 = 3 % error), as at the low-quality 3' ends where read-through
// overlaps lie.
constexpr char kConfidentQual = static_cast<char>(kPhredOffset + 15);

struct Overlap {
    std::size_t length = 0;      // bases both mates cover
    std::size_t mismatches = 0;  // where both bases are confident (all, without qualities)
    std::size_t weak = 0;        // mismatches where a base is below kConfidentQual
};

// Mate 1 against the reverse complement of mate 2 for insert size s, on the bases both mates
// cover, eight bases at a time; stops counting once past `limit` confident mismatches or
// `weak_limit` weak ones (the counts are then only known to be over). `a` is mate 1 and `b` the
// reverse complement of mate 2 as prepared by `Prepared` (so that the comparison runs over two
// contiguous ranges), `qa` / `qb` their qualities (b's reversed), empty = all confident.
Overlap overlap_at(std::string_view a, std::string_view b, std::string_view qa, std::string_view qb, std::size_t s,
                   std::size_t limit, std::size_t weak_limit) noexcept {
    std::size_t const lo = s > b.size() ? s - b.size() : 0;
    std::size_t const hi = std::min(a.size(), s);
    Overlap o;
    o.length = hi > lo ? hi - lo : 0;
    bool const with_q = !qa.empty();
    // b[j + b.size() - s] is mate 2's base opposite a[j] (j >= lo keeps the index >= 0).
    std::size_t const k = lo + b.size() - s;
    for (std::size_t t = 0; t < o.length; t += 8) {
        std::size_t const w = std::min<std::size_t>(8, o.length - t);  // zero-filled bytes compare equal
        std::uint64_t const diff = nonzero_bytes(load(a.data() + lo + t, w) ^ load(b.data() + k + t, w));
        std::uint64_t const conf = with_q ? bytes_at_least(load(qa.data() + lo + t, w), kConfidentQual) &
                                                bytes_at_least(load(qb.data() + k + t, w), kConfidentQual)
                                          : kHigh;
        o.mismatches += count_high_bits(diff & conf);
        o.weak += count_high_bits(diff & ~conf & kHigh);
        if (o.mismatches > limit || o.weak > weak_limit) break;
    }
    return o;
}

// Mate 1 upper-cased and mate 2 reverse-complemented, with different placeholders for non-ACGT
// bases so that they never match; buffers are per thread and reused (no allocation per read).
struct Prepared {
    std::string_view a, b, qa, qb;
    // Mate 1's first 16 bases and the high bits of its confident ones there (`head_mismatches`).
    std::uint64_t a_head[2] = {0, 0}, a_conf[2] = {kHigh, kHigh};
    Prepared(std::string_view r1, std::string_view r2, std::string_view q1, std::string_view q2) {
        thread_local std::string ba, bb, bq;
        ba.resize(r1.size());
        for (std::size_t i = 0; i < r1.size(); ++i) ba[i] = is_acgt(r1[i]) ? upper(r1[i]) : '\x01';
        bb.resize(r2.size());
        for (std::size_t i = 0; i < r2.size(); ++i) {
            char const c = complement(r2[r2.size() - 1 - i]);
            bb[i] = c == 'N' ? '\x02' : c;
        }
        a = ba;
        b = bb;
        if (q1.size() == r1.size() && q2.size() == r2.size() && !r1.empty()) {
            bq.assign(q2.rbegin(), q2.rend());
            qa = q1;
            qb = bq;
        }
        if (a.size() >= 16)
            for (std::size_t t = 0; t < 2; ++t) {
                a_head[t] = load(a.data() + 8 * t, 8);
                if (!qa.empty()) a_conf[t] = bytes_at_least(load(qa.data() + 8 * t, 8), kConfidentQual);
            }
    }

    // Confident mismatches over the first 16 overlapping bases (as overlap_at counts them), for
    // an insert size 16 <= s <= b.size() with a.size() >= 16 (the overlap then starts at mate 1's
    // first base), mate 1's side computed once per pair: most of the insert sizes tried are wrong
    // and stop here.
    std::size_t head_mismatches(std::size_t s) const noexcept {
        std::size_t const k = b.size() - s;
        std::size_t n = 0;
        for (std::size_t t = 0; t < 2; ++t) {
            std::uint64_t diff = nonzero_bytes(a_head[t] ^ load(b.data() + k + 8 * t, 8)) & a_conf[t];
            if (!qb.empty()) diff &= bytes_at_least(load(qb.data() + k + 8 * t, 8), kConfidentQual);
            n += count_high_bits(diff);
        }
        return n;
    }
};

// An overlap passes with at most `limit` confident mismatches and, so that a stretch of low
// quality cannot pass for an overlap, at most a quarter of it in weak ones (overlap_at was
// given that quarter as its weak limit, so its early stop never changes this answer).
bool overlap_ok(Overlap const& o, std::size_t limit) noexcept {
    return o.mismatches <= limit && o.weak <= o.length / 4;
}

// Mismatches allowed over `overlap` bases for inserts >= 30: fastp's defaults (diff limit 5,
// at most 20 % of the overlap).
std::size_t fastp_limit(std::size_t overlap) noexcept { return std::min<std::size_t>(5, overlap / 5); }

constexpr std::size_t kFastpMinOverlap = 30;

// True when the bases of `read` from `from` on start like one of the adapters.
bool adapter_follows(std::string_view read, std::size_t from, std::vector<std::string> const& adapters) noexcept {
    if (from >= read.size()) return false;
    std::string_view const tail = read.substr(from);
    for (auto const& a : adapters) {
        std::size_t const n = std::min(a.size(), tail.size());
        std::size_t const allowed = n / 8;
        std::size_t mm = 0;
        for (std::size_t i = 0; i < n && mm <= allowed; ++i)
            if (!same_base(tail[i], a[i])) ++mm;
        if (mm <= allowed) return true;
    }
    return false;
}
}  // namespace

std::size_t sliding_window_keep(std::string_view qual, int window, int min_q) noexcept {
    std::size_t const n = qual.size();
    std::size_t const w = static_cast<std::size_t>(window);
    if (window <= 0 || n < w) return 0;
    // Trimmomatic compares the window's sum with window * Q (no division, so no rounding).
    long const need = static_cast<long>(window) * min_q;
    long total = 0;
    for (std::size_t i = 0; i < w; ++i) total += phred(qual[i]);
    if (total < need) return 0;
    std::size_t keep = n;
    for (std::size_t i = 0; i + w < n; ++i) {
        total += phred(qual[i + w]) - phred(qual[i]);
        if (total < need) {
            keep = i + w;
            break;
        }
    }
    while (keep > 1 && phred(qual[keep - 1]) < min_q) --keep;
    return keep;
}

std::size_t trailing_keep(std::string_view qual, int min_q) noexcept {
    for (std::size_t i = qual.size(); i-- > 1;)
        if (phred(qual[i]) >= min_q) return i + 1;
    return 0;
}

double complexity(std::string_view seq) noexcept {
    if (seq.size() <= 1) return 1.0;
    std::size_t diff = 0;
    for (std::size_t i = 0; i + 1 < seq.size(); ++i) diff += seq[i] != seq[i + 1];
    return static_cast<double>(diff) / static_cast<double>(seq.size() - 1);
}

std::size_t count_ambiguous(std::string_view seq) noexcept {
    std::size_t n = 0;
    for (char c : seq) n += !is_acgt(c);
    return n;
}

char complement(char c) noexcept {
    switch (c) {
        case 'A': case 'a': return 'T';
        case 'C': case 'c': return 'G';
        case 'G': case 'g': return 'C';
        case 'T': case 't': return 'A';
        default: return 'N';
    }
}

std::size_t adapter_start(std::string_view read, std::string_view adapter, std::size_t min_match,
                          std::size_t max_pos) noexcept {
    std::size_t const n = read.size();
    if (adapter.empty() || min_match == 0) return n;
    // The adapter upper-cased, other bytes as 0xFF; a read byte with bit 5 cleared (0xDF) then
    // equals an adapter byte exactly when `same_base` holds (only 'X' and 'x' fold to 'X', and
    // nothing folds to 0xFF), so whole words compare at once.
    thread_local std::string folded;
    folded.resize(adapter.size());
    for (std::size_t i = 0; i < adapter.size(); ++i) folded[i] = is_acgt(adapter[i]) ? upper(adapter[i]) : '\xff';
    constexpr std::uint64_t kFold = kEachByte * 0xDF;
    for (std::size_t p = 0; p + min_match <= n && p <= max_pos; ++p) {
        std::size_t const len = std::min(adapter.size(), n - p);
        std::size_t const allowed = len / 8;
        std::size_t mm = 0;
        for (std::size_t i = 0; i < len && mm <= allowed; i += 8) {
            std::size_t const w = std::min<std::size_t>(8, len - i);
            mm += count_high_bits(nonzero_bytes((load(read.data() + p + i, w) & kFold) ^ load(folded.data() + i, w)));
        }
        if (mm <= allowed) return p;
    }
    return n;
}

std::size_t read_through_insert(std::string_view r1, std::string_view r2, std::string_view q1, std::string_view q2,
                                std::vector<std::string> const& adapters, std::size_t min_overlap) noexcept {
    std::size_t const shorter = std::min(r1.size(), r2.size());
    if (shorter == 0 || min_overlap == 0) return 0;
    Prepared const p(r1, r2, q1, q2);
    bool const quick = p.a.size() >= 16;  // s < shorter <= b.size() below
    std::size_t found = 0;
    for (std::size_t s = shorter; s-- > min_overlap;) {
        if (s >= kFastpMinOverlap) {
            std::size_t const limit = fastp_limit(s);
            if (quick && p.head_mismatches(s) > limit) continue;
            if (overlap_ok(overlap_at(p.a, p.b, p.qa, p.qb, s, limit, s / 4), limit)) {
                found = s;
                break;
            }
        } else {
            std::size_t const limit = s / 8;
            if (overlap_ok(overlap_at(p.a, p.b, p.qa, p.qb, s, limit, s / 4), limit) &&
                (adapter_follows(r1, s, adapters) || adapter_follows(r2, s, adapters))) {
                found = s;
                break;
            }
        }
    }
    if (found == 0) return 0;
    // fastp tries normal overlaps (inserts >= the reads) before read-throughs: a pair that
    // overlaps as a long insert is not trimmed even if a repeat also lets it overlap as a short
    // one. Checked only for candidates, as most pairs have none.
    for (std::size_t s = shorter; s + kFastpMinOverlap <= r1.size() + r2.size(); ++s) {
        std::size_t const len = std::min(r1.size(), s) - (s > r2.size() ? s - r2.size() : 0);
        std::size_t const limit = fastp_limit(len);
        Overlap const o = overlap_at(p.a, p.b, p.qa, p.qb, s, limit, len / 4);
        if (o.length >= kFastpMinOverlap && overlap_ok(o, limit)) return 0;
    }
    return found;
}

std::size_t read_through_insert(std::string_view r1, std::string_view r2, std::vector<std::string> const& adapters,
                                std::size_t min_overlap) noexcept {
    return read_through_insert(r1, r2, {}, {}, adapters, min_overlap);
}

std::vector<std::string> builtin_adapters() {
    return {
        "AGATCGGAAGAGCACACGTCTGAACTCCAGTCA",  // TruSeq read 1 (Illumina adapter sequences, 2023)
        "AGATCGGAAGAGCGTCGTGTAGGGAAAGAGTGT",  // TruSeq read 2
        "CTGTCTCTTATACACATCT",                // Nextera / Nextera XT transposase (both reads)
    };
}

}  // namespace orbiome::qc
