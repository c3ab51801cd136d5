#include <vector>

#include <gtest/gtest.h>

#include "abundance/em.hpp"

using namespace orbiome::abundance;

namespace {
void add(SpeciesClasses& c, std::vector<SpeciesId> set, std::uint64_t n) { c.add(set, n); }
}  // namespace

TEST(SpeciesEm, TwoSpeciesClosedForm) {
    // 60 reads only A, 20 only B, 40 either. The maximum-likelihood fractions solve
    // pi_A = (60 + 40 pi_A) / 120, so pi_A = 3/4: A gets 90 reads, B 30.
    SpeciesClasses c;
    add(c, {7}, 60);
    add(c, {9}, 20);
    add(c, {7, 9}, 40);
    EXPECT_EQ(c.total(), 120u);
    auto const r = estimate_species(c, EmOptions{10000, 1e-14, 0});
    ASSERT_EQ(r.reads.size(), 2u);
    EXPECT_EQ(r.reads[0].first, 7u);
    EXPECT_NEAR(r.reads[0].second, 90.0, 1e-9);
    EXPECT_NEAR(r.reads[1].second, 30.0, 1e-9);
    EXPECT_NEAR(r.assigned, 120.0, 1e-9);
}

TEST(SpeciesEm, SpeciesOnlySeenInSharedReadsGoToZero) {
    // C has no unique read: the likelihood grows as pi_C -> 0 (its shared reads go to A and B).
    SpeciesClasses c;
    add(c, {1}, 50);
    add(c, {2}, 50);
    add(c, {1, 3}, 10);
    add(c, {2, 3}, 10);
    auto const r = estimate_species(c, EmOptions{100000, 1e-13, 1});
    ASSERT_EQ(r.reads.size(), 2u);
    EXPECT_NEAR(r.reads[0].second, 60.0, 1e-6);
    EXPECT_NEAR(r.reads[1].second, 60.0, 1e-6);
}

TEST(SpeciesEm, MinReadsPrunesAndReassigns) {
    SpeciesClasses c;
    add(c, {7}, 60);
    add(c, {9}, 20);
    add(c, {7, 9}, 40);
    // B ends with 30 expected reads < 35: it is dropped, its unique reads are lost and the
    // shared ones go to A.
    auto const r = estimate_species(c, EmOptions{10000, 1e-14, 35});
    ASSERT_EQ(r.reads.size(), 1u);
    EXPECT_EQ(r.reads[0].first, 7u);
    EXPECT_NEAR(r.reads[0].second, 100.0, 1e-9);
}

TEST(SpeciesEm, MergeAddsCountsAndEmptySetsAreIgnored) {
    SpeciesClasses a, b;
    add(a, {1}, 5);
    add(b, {1}, 3);
    add(b, {1, 2}, 4);
    add(b, {}, 9);
    a.merge(b);
    EXPECT_EQ(a.total(), 12u);
    EXPECT_EQ(a.single().at(1), 8u);
    EXPECT_EQ(a.multi().at({1, 2}), 4u);
}
