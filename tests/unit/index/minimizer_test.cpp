#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "index/minimizer.hpp"
#include "support/naive_minimizers.hpp"

using namespace orbiome;
using index::KmerLen;
using index::Minimizer;
using index::Seed;
using index::SpacedMask;
using index::WindowLen;

namespace {

// Random DNA with occasional runs of N (and a lower-case stretch), lengths from 0 to 400 so that
// many reads are shorter than k or than k + w - 1.
std::string random_read(Rng& rng) {
    std::size_t const len = rng.below(401);
    std::string s(len, 'A');
    constexpr char kBases[] = "ACGT";
    for (std::size_t i = 0; i < len; ++i) {
        if (rng.below(100) == 0) {
            std::size_t const run = 1 + rng.below(12);
            for (std::size_t j = 0; j < run && i < len; ++j, ++i) s[i] = rng.below(3) == 0 ? 'R' : 'N';
            if (i >= len) break;
        }
        s[i] = kBases[rng.below(4)];
        if (rng.below(50) == 0) s[i] = static_cast<char>(s[i] + ('a' - 'A'));
    }
    return s;
}

}  // namespace

TEST(MinimizerOracle, RollingEqualsNaiveOnSeededRandomReads) {
    struct Params {
        int k, w;
        std::uint64_t seed;
    };
    for (Params const p : {Params{31, 11, 0}, Params{31, 1, 7}, Params{21, 15, 42}, Params{5, 3, 1}, Params{31, 255, 3}}) {
        index::MinimizerSketcher const sk(KmerLen{p.k}, WindowLen{p.w}, Seed{p.seed});
        std::vector<Minimizer> got;
        for (std::uint64_t item = 0; item < 1200; ++item) {
            Rng rng = Rng::stream(20240601, item);
            std::string const read = random_read(rng);
            got.clear();
            sk.sketch(read, got);
            auto const want = orbiome::testing::naive_minimizers(read, p.k, p.w, p.seed);
            ASSERT_EQ(got, want) << "k=" << p.k << " w=" << p.w << " read " << item << ": " << read;
        }
    }
}

TEST(MinimizerOracle, SpacedSeedsRollingEqualsNaive) {
    struct Params {
        int k, w, spaces;
        std::uint64_t seed;
    };
    for (Params const p : {Params{31, 8, 7, 0}, Params{31, 1, 3, 5}, Params{21, 11, 5, 42}, Params{5, 3, 1, 1}}) {
        std::uint32_t const mask = index::spaced_seed(p.k, p.spaces);
        index::MinimizerSketcher const sk(KmerLen{p.k}, WindowLen{p.w}, Seed{p.seed}, SpacedMask{mask});
        std::vector<Minimizer> got;
        for (std::uint64_t item = 0; item < 800; ++item) {
            Rng rng = Rng::stream(20261126, item);
            std::string const read = random_read(rng);
            got.clear();
            sk.sketch(read, got);
            auto const want = orbiome::testing::naive_minimizers(read, p.k, p.w, p.seed, mask);
            ASSERT_EQ(got, want) << "k=" << p.k << " spaces=" << p.spaces << " read " << item << ": " << read;
        }
    }
}

TEST(SpacedSeed, DefaultPatternIsCentredAndSymmetric) {
    EXPECT_EQ(index::spaced_seed_pattern(31, index::spaced_seed(31, 7)), "1111111110101010101010111111111");
    EXPECT_EQ(index::spaced_seed_pattern(31, index::spaced_seed(31, 2)), "1111111111111101011111111111111");
    EXPECT_EQ(index::spaced_seed(31, 0), 0u);
    EXPECT_TRUE(index::is_valid_spaced_mask(31, index::spaced_seed(31, 7)));
    // Kraken2's template for l = 31, 7 spaces ("1" x 17 . "01" x 7) is not symmetric, so a
    // mismatch at one of its wildcards could change the canonical strand: rejected.
    std::uint32_t kraken2 = 0;
    for (int pos = 17; pos < 31; pos += 2) kraken2 |= 1u << pos;
    EXPECT_FALSE(index::is_valid_spaced_mask(31, kraken2));
    EXPECT_FALSE(index::is_valid_spaced_mask(21, index::spaced_seed(31, 7)));  // outside the k-mer
    EXPECT_THROW(index::spaced_seed(31, 8), UsageError);  // more than k / 4
    EXPECT_THROW(index::MinimizerSketcher(KmerLen{31}, WindowLen{8}, Seed{0}, SpacedMask{kraken2}), UsageError);
}

TEST(SpacedSeed, SubstitutionAtAWildcardKeepsTheKeyOnBothStrands) {
    // One 31-mer (w = 1): every substitution at each of the 7 wildcards keeps its one key; at any
    // counted position it changes the key; without the mask every substitution changes it.
    std::uint32_t const mask = index::spaced_seed(31, 7);
    index::MinimizerSketcher const spaced(KmerLen{31}, WindowLen{1}, Seed{0}, SpacedMask{mask});
    index::MinimizerSketcher const exact(KmerLen{31}, WindowLen{1}, Seed{0});
    std::string const kmer = "GATTACACCGTAGGCTTAACGGATCCATGCA";
    auto key = [](index::MinimizerSketcher const& sk, std::string const& s) {
        std::vector<Minimizer> out;
        sk.sketch(s, out);
        EXPECT_EQ(out.size(), 1u);
        return out.at(0).key;
    };
    std::uint64_t const spaced_key = key(spaced, kmer), exact_key = key(exact, kmer);
    int kept = 0;
    for (std::size_t i = 0; i < kmer.size(); ++i)
        for (char const b : {'A', 'C', 'G', 'T'}) {
            if (b == kmer[i]) continue;
            std::string mutated = kmer;
            mutated[i] = b;
            bool const wild = (mask >> i & 1u) != 0;
            EXPECT_EQ(key(spaced, mutated) == spaced_key, wild) << "position " << i << " base " << b;
            EXPECT_NE(key(exact, mutated), exact_key);
            kept += wild;
        }
    EXPECT_EQ(kept, 7 * 3);
}

TEST(SpacedSeed, ReverseComplementGivesTheSameKeys) {
    std::uint32_t const mask = index::spaced_seed(31, 7);
    index::MinimizerSketcher const sk(KmerLen{31}, WindowLen{8}, Seed{3}, SpacedMask{mask});
    for (std::uint64_t item = 0; item < 200; ++item) {
        Rng rng = Rng::stream(7, item);
        std::string const fwd = random_read(rng);
        std::string rc(fwd.rbegin(), fwd.rend());
        for (char& c : rc) {
            switch (index::base_code(c)) {
                case 0: c = 'T'; break;
                case 1: c = 'G'; break;
                case 2: c = 'C'; break;
                case 3: c = 'A'; break;
                default: c = 'N';
            }
        }
        std::vector<Minimizer> a, b;
        sk.sketch(fwd, a);
        sk.sketch(rc, b);
        ASSERT_EQ(a.size(), b.size()) << fwd;
        for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i].key, b[b.size() - 1 - i].key) << fwd;
    }
}

TEST(MinimizerOracle, EdgeCases) {
    index::MinimizerSketcher const sk(KmerLen{5}, WindowLen{4}, Seed{0});
    std::vector<Minimizer> out;
    sk.sketch("", out);
    sk.sketch("ACGT", out);           // shorter than k
    sk.sketch("ACGTNACGTNNNNN", out); // every run shorter than k
    EXPECT_TRUE(out.empty());
    sk.sketch("ACGTAC", out);  // two k-mers, fewer than w: one window, one minimizer
    EXPECT_EQ(out, orbiome::testing::naive_minimizers("ACGTAC", 5, 4, 0));
    EXPECT_EQ(out.size(), 1u);
}

TEST(Minimizer, CanonicalOnBothStrands) {
    // A read and its reverse complement select the same keys (in reverse order).
    index::MinimizerSketcher const sk(KmerLen{15}, WindowLen{5}, Seed{9});
    std::string const fwd = "ACGGTTCAGGCATTACCGATTGACCAGTTACGATCGGATCAAGCTTGCA";
    std::string rc(fwd.rbegin(), fwd.rend());
    for (char& c : rc) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
    std::vector<Minimizer> a, b;
    sk.sketch(fwd, a);
    sk.sketch(rc, b);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].key, b[b.size() - 1 - i].key);
        EXPECT_NE(a[i].pos & 1u, b[b.size() - 1 - i].pos & 1u);  // opposite strands
    }
}

TEST(MinimizerHash, GoldenValuesAreFrozen) {
    // Changing these values changes every index on disk: bump the index format_version too.
    // Expected values computed independently with Python integers (murmur3 fmix64).
    EXPECT_EQ(index::hash_kmer(0, 0), 0u);
    EXPECT_EQ(index::hash_kmer(1, 0), 0xb456bcfc34c2cb2cULL);
    EXPECT_EQ(index::hash_kmer(0x123456789abcdefULL, 0), 0x87cbfbfe89022ceaULL);
    EXPECT_EQ(index::hash_kmer(0, 0x5eed), 0x9ea9b34bd3d23fb8ULL);
    // "ACGT"x7 + "ACG": forward code 0x06c6c6c6c6c6c6c6 < reverse complement 0x1b1b...1b.
    index::MinimizerSketcher const sk(KmerLen{31}, WindowLen{1}, Seed{0});
    std::vector<Minimizer> out;
    sk.sketch("ACGTACGTACGTACGTACGTACGTACGTACG", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].key, 0x172d5803e907fe83ULL);
    EXPECT_EQ(out[0].pos, 0u);
    // The same 31-mer with the default 7-wildcard seed (positions 9, 11, ..., 21 read as A):
    // forward 0x06c6c2020202c6c6 < reverse complement 0x1b1b131313131b1b (Python, as above).
    index::MinimizerSketcher const spaced(KmerLen{31}, WindowLen{1}, Seed{0}, SpacedMask{index::spaced_seed(31, 7)});
    out.clear();
    spaced.sketch("ACGTACGTACGTACGTACGTACGTACGTACG", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].key, 0xf4b3c483ea255a9eULL);
    EXPECT_EQ(out[0].pos, 0u);
}

TEST(Minimizer, RejectsBadParameters) {
    try {
        index::MinimizerSketcher(KmerLen{32}, WindowLen{5}, Seed{0});
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_STREQ(e.what(), "k-mer length must be odd and between 1 and 31, got 32");
    }
    EXPECT_THROW(index::MinimizerSketcher(KmerLen{31}, WindowLen{0}, Seed{0}), UsageError);
}
