#include <random>
#include <string>

#include <gtest/gtest.h>

#include "qc/trim.hpp"

using namespace orbiome::qc;

namespace {

std::string quals(std::initializer_list<int> q) {
    std::string s;
    for (int v : q) s += static_cast<char>(v + 33);
    return s;
}

std::string random_dna(std::mt19937& rng, std::size_t n) {
    std::string s(n, 'A');
    for (auto& c : s) c = "ACGT"[rng() % 4];
    return s;
}

std::string revcomp(std::string_view s) {
    std::string r(s.rbegin(), s.rend());
    for (auto& c : r) c = complement(c);
    return r;
}

}  // namespace

// Hand-worked Trimmomatic 0.39 SLIDINGWINDOW:4:20 cases (window sums against 4 x 20 = 80).
TEST(SlidingWindow, CutsInsideTheFirstFailingWindowThenDropsLowTrailingBases) {
    // Windows from 0: 120, 120, 92, then [3..6] = 64 < 80 -> keep 2 + 4 = 6 bases, then q[5] = 2
    // < 20 is dropped -> 5.
    EXPECT_EQ(sliding_window_keep(quals({30, 30, 30, 30, 30, 2, 2, 2, 2, 2}), 4, 20), 5u);
    EXPECT_EQ(sliding_window_keep(quals({40, 40, 40, 40, 40, 40}), 4, 20), 6u);
    // No window fails: Trimmomatic still drops the trailing bases below Q.
    EXPECT_EQ(sliding_window_keep(quals({40, 40, 40, 40, 40, 40, 5}), 4, 20), 6u);
}

TEST(SlidingWindow, DropsReadsShorterThanTheWindowOrFailingAtOnce) {
    EXPECT_EQ(sliding_window_keep(quals({40, 40, 40}), 4, 20), 0u);
    EXPECT_EQ(sliding_window_keep(quals({10, 10, 10, 10, 40, 40, 40, 40}), 4, 20), 0u);
    // A window exactly at the threshold passes (Trimmomatic tests "sum < W x Q").
    EXPECT_EQ(sliding_window_keep(quals({20, 20, 20, 20}), 4, 20), 4u);
}

TEST(SlidingWindow, KeepsAtLeastOneBaseOnceTheFirstWindowPassed) {
    // First window 40+40+0+0 = 80 passes; the next (40,0,0,0) fails -> keep 0 + 4 = 4, then
    // trailing bases below 20 go, down to one base.
    EXPECT_EQ(sliding_window_keep(quals({40, 40, 0, 0, 0}), 4, 20), 2u);
    EXPECT_EQ(sliding_window_keep(quals({5, 75, 0, 0, 0}), 4, 20), 2u);
}

TEST(Trailing, StopsAtTheSecondBase) {
    EXPECT_EQ(trailing_keep(quals({30, 30, 2, 2}), 20), 2u);
    EXPECT_EQ(trailing_keep(quals({2, 30, 2}), 20), 2u);
    // Trimmomatic's loop never looks at the first base: a read good only there is dropped.
    EXPECT_EQ(trailing_keep(quals({30, 2, 2}), 20), 0u);
    EXPECT_EQ(trailing_keep(quals({30}), 20), 0u);
    EXPECT_EQ(trailing_keep("", 20), 0u);
}

TEST(Complexity, IsTheFractionOfBasesDifferingFromTheNext) {
    EXPECT_DOUBLE_EQ(complexity("AAAAAAAA"), 0.0);
    EXPECT_DOUBLE_EQ(complexity("ACACACAC"), 1.0);
    EXPECT_DOUBLE_EQ(complexity("AACC"), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(complexity("A"), 1.0);
}

TEST(Ambiguous, CountsEverythingButAcgt) {
    EXPECT_EQ(count_ambiguous("ACGTacgtNnRY."), 5u);
}

TEST(AdapterStart, FindsFullAndPartialAdaptersWithOneMismatchPerEight) {
    std::mt19937 rng(1);
    std::string const a = builtin_adapters()[0];
    std::string const g = random_dna(rng, 60);
    EXPECT_EQ(adapter_start(g + a, a, 5), 60u);
    EXPECT_EQ(adapter_start(g + a.substr(0, 10), a, 5), 60u);
    std::string one_mm = g + a.substr(0, 16);
    one_mm[65] = one_mm[65] == 'A' ? 'C' : 'A';
    EXPECT_EQ(adapter_start(one_mm, a, 5), 60u);
    std::string two_mm = one_mm.substr(0, 70);  // 10 compared bases allow 1 mismatch, not 2
    two_mm[62] = two_mm[62] == 'A' ? 'C' : 'A';
    EXPECT_EQ(adapter_start(two_mm, a, 5), 70u) << "must not match with 2 mismatches in 10";
    EXPECT_EQ(adapter_start(g + a.substr(0, 4), a, 5), 64u) << "4 bases are below min_match";
    EXPECT_EQ(adapter_start(g + a.substr(0, 4), a, 12), 64u);
}

TEST(ReadThrough, FindsShortInsertsAndLeavesLongOnes) {
    std::mt19937 rng(7);
    auto const ads = builtin_adapters();
    for (std::size_t insert : {15u, 29u, 30u, 60u, 99u, 120u, 149u}) {
        std::string const frag = random_dna(rng, insert);
        std::size_t const len = 150;
        // Past the adapter a sequencer reads the flow cell primer and then noise: random bases.
        std::string r1 = frag + ads[0] + random_dna(rng, 150);
        std::string r2 = revcomp(frag) + ads[1] + random_dna(rng, 150);
        r1.resize(len);
        r2.resize(len);
        EXPECT_EQ(read_through_insert(r1, r2, ads), insert) << insert;
    }
    for (std::size_t insert : {150u, 200u, 280u, 600u}) {
        std::string const frag = random_dna(rng, insert);
        std::string const r1 = frag.substr(0, 150);
        std::string const r2 = revcomp(frag).substr(0, 150);
        EXPECT_EQ(read_through_insert(r1, r2, ads), 0u) << insert;
    }
}

TEST(ReadThrough, ToleratesSequencingErrorsInTheOverlap) {
    std::mt19937 rng(9);
    auto const ads = builtin_adapters();
    std::string const frag = random_dna(rng, 100);
    std::string r1 = (frag + ads[0] + random_dna(rng, 50)).substr(0, 150);
    std::string r2 = (revcomp(frag) + ads[1] + random_dna(rng, 50)).substr(0, 150);
    r1[10] = r1[10] == 'A' ? 'C' : 'A';
    r2[50] = 'N';
    r1[90] = r1[90] == 'G' ? 'T' : 'G';
    EXPECT_EQ(read_through_insert(r1, r2, ads), 100u);
}

// adapter_start compares eight bytes at a time; against the rule spelled out base by base
// (same_base: the read's base is A, C, G or T in either case and equals the adapter's, upper-
// cased), on reads and adapters with lower case, N and other bytes, and near-matches planted.
TEST(AdapterStart, WordWiseComparisonEqualsTheBaseByBaseRule) {
    std::mt19937 rng(7);
    auto const upper = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; };
    auto const same = [&](char r, char a) {
        char const u = upper(r);
        return (u == 'A' || u == 'C' || u == 'G' || u == 'T') && u == upper(a);
    };
    auto const reference = [&](std::string const& read, std::string const& ad, std::size_t min_match,
                               std::size_t max_pos) {
        for (std::size_t p = 0; p + min_match <= read.size() && p <= max_pos; ++p) {
            std::size_t const len = std::min(ad.size(), read.size() - p);
            std::size_t mm = 0;
            for (std::size_t i = 0; i < len; ++i) mm += !same(read[p + i], ad[i]);
            if (mm <= len / 8) return p;
        }
        return read.size();
    };
    std::string const alphabet = "ACGTACGTACGTacgtNnX\xff";
    auto const random_text = [&](std::size_t n) {
        std::string s(n, 'A');
        for (auto& c : s) c = alphabet[rng() % alphabet.size()];
        return s;
    };
    std::size_t found = 0;
    for (int t = 0; t < 3000; ++t) {
        std::string const ad = t % 3 == 0 ? random_text(1 + rng() % 40) : builtin_adapters()[rng() % 3];
        std::string read = random_dna(rng, rng() % 160);
        std::size_t const at = read.empty() ? 0 : rng() % read.size();
        read = read.substr(0, at) + ad + random_text(rng() % 20);  // the adapter planted, then noise
        for (int e = 0; e < 4 && !read.empty(); ++e) read[rng() % read.size()] = alphabet[rng() % alphabet.size()];
        std::size_t const min_match = 1 + rng() % 12;
        std::size_t const max_pos = t % 2 ? static_cast<std::size_t>(-1) : rng() % 20;
        std::size_t const want = reference(read, ad, min_match, max_pos);
        ASSERT_EQ(adapter_start(read, ad, min_match, max_pos), want) << read << " / " << ad;
        found += want < read.size();
    }
    EXPECT_GT(found, 1000u);  // the planted adapters are found often enough to test both outcomes
}
