// The SIMD banded aligner against the scalar recurrence it must reproduce exactly (the scalar
// path is the oracle): same aligned rows, on random and on 16S-like mutated pairs, for DADA2's
// scores, mergePairs' and chimera checks' settings, any band, unequal lengths and edge cases.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "amplicon/align.hpp"

namespace orbiome::amplicon {
namespace {

std::string random_seq(std::mt19937& rng, std::size_t n, int alphabet = 4) {
    static constexpr char kNt[] = "ACGT";
    std::uniform_int_distribution<int> d(0, alphabet - 1);
    std::string s(n, 'A');
    for (char& c : s) c = kNt[d(rng)];
    return s;
}

// A copy of `s` with substitutions, insertions and deletions at about `rate` per base.
std::string mutate(std::mt19937& rng, std::string const& s, double rate) {
    std::uniform_real_distribution<double> u(0, 1);
    std::string out;
    for (char c : s) {
        double const x = u(rng);
        if (x < rate / 3) continue;  // deletion
        if (x < 2 * rate / 3) out += random_seq(rng, 1 + static_cast<std::size_t>(u(rng) * 3));
        out += x < rate ? random_seq(rng, 1)[0] : c;
    }
    return out;
}

void expect_same(std::string const& a, std::string const& b, int match, int mismatch, int gap, int band) {
    Alignment simd;
    ASSERT_TRUE(align_banded_simd(a, b, match, mismatch, gap, band, simd));
    Alignment const ref = align_banded_scalar(a, b, match, mismatch, gap, band);
    ASSERT_EQ(simd.a, ref.a) << a << "\n" << b << "\nband " << band;
    ASSERT_EQ(simd.b, ref.b) << a << "\n" << b << "\nband " << band;
}

TEST(AlignBanded, SimdEqualsScalarOnMutatedPairs) {
    std::mt19937 rng(11);
    for (int rep = 0; rep < 400; ++rep) {
        std::string const a = random_seq(rng, 20 + rep % 230);
        std::string const b = mutate(rng, a, rep % 5 * 0.05);
        for (int band : {16, 0, 3, -1}) expect_same(a, b, 5, -4, -8, band);
        expect_same(b, a, 5, -4, -8, 16);
    }
}

TEST(AlignBanded, SimdEqualsScalarOnUnrelatedAndRepetitivePairs) {
    std::mt19937 rng(5);
    for (int rep = 0; rep < 300; ++rep) {
        // A two-letter alphabet makes score ties (and so the tie rules) common.
        int const alpha = rep % 2 ? 2 : 4;
        std::string const a = random_seq(rng, 1 + rep % 97, alpha), b = random_seq(rng, 1 + rep % 61, alpha);
        for (int band : {16, 1, -1}) {
            expect_same(a, b, 5, -4, -8, band);
            expect_same(a, b, 1, -8, -8, band);
        }
    }
}

TEST(AlignBanded, EdgeCasesAndFallback) {
    expect_same("A", "A", 5, -4, -8, 16);
    expect_same("A", "C", 5, -4, -8, 0);
    expect_same("ACGT", "", 5, -4, -8, 16);
    expect_same("", "ACGT", 5, -4, -8, -1);
    expect_same("ACGTACGTAAAA", "ACGTACGT", 5, -4, -8, 0);
    // mergePairs' 1/-64/-64 on 250 + 250 bases could leave 16 bits: the scalar path answers.
    std::mt19937 rng(3);
    std::string const a = random_seq(rng, 250), b = random_seq(rng, 250);
    Alignment al;
    EXPECT_FALSE(align_banded_simd(a, b, 1, -64, -64, -1, al));
    Alignment const viadispatch = align_banded(a, b, 1, -64, -64, -1);
    EXPECT_EQ(viadispatch.a, align_banded_scalar(a, b, 1, -64, -64, -1).a);
}

}  // namespace
}  // namespace orbiome::amplicon
