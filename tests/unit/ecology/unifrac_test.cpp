#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "ecology/unifrac.hpp"
#include "io/newick.hpp"
#include "support/naive_unifrac.hpp"

using namespace orbiome;
using ecology::UnifracKind;
using orbiome::testing::NaiveUnifrac;
namespace naive = orbiome::testing;

namespace {

table::FeatureTable dense_table(std::vector<std::string> features, std::size_t n_samples,
                                std::vector<double> const& samples_by_features) {
    // Input is sample-major (easier to read in tests); from_dense wants feature-major.
    std::size_t const nf = features.size();
    std::vector<double> v(nf * n_samples);
    std::vector<std::string> ids;
    for (std::size_t s = 0; s < n_samples; ++s) {
        ids.push_back("s" + std::to_string(s + 1));
        for (std::size_t f = 0; f < nf; ++f) v[f * n_samples + s] = samples_by_features[s * nf + f];
    }
    return table::FeatureTable::from_dense(std::move(features), std::move(ids), v);
}

ecology::DistanceMatrix run(table::FeatureTable const& t, io::Tree const& tree, UnifracKind kind, int threads = 1,
                            double alpha = 0.5, std::size_t budget = ecology::kEmbeddingBudgetBytes) {
    ecology::UnifracOptions o;
    o.kind = kind;
    o.alpha = alpha;
    o.n_threads = threads;
    o.embedding_budget_bytes = budget;
    return ecology::unifrac(t, ecology::match_tree(tree, t.feature_ids(), "t.nwk"), o);
}

// The worked example (also run through scikit-bio 0.5.8, which printed the same values to 8
// digits): tree ((a:1,b:2):0.5,c:3)root:7; samples s1 = (1,2,0), s2 = (0,3,4), s3 = (5,0,0).
// The root's length 7 counts as a branch, as in scikit-bio.
struct Worked : ::testing::Test {
    io::Tree tree = io::parse_newick("((a:1,b:2):0.5,c:3)root:7;", "t.nwk");
    table::FeatureTable t = dense_table({"a", "b", "c"}, 3, {1, 2, 0, 0, 3, 4, 5, 0, 0});
};

TEST_F(Worked, FaithPdAddsEveryBranchOnThePathsToTheRootIncludingTheRootLength) {
    auto const pd = ecology::faith_pd(t, ecology::match_tree(tree, t.feature_ids(), "t.nwk"));
    EXPECT_DOUBLE_EQ(pd[0], 1 + 2 + 0.5 + 7);  // 10.5
    EXPECT_DOUBLE_EQ(pd[1], 2 + 0.5 + 3 + 7);  // 12.5
    EXPECT_DOUBLE_EQ(pd[2], 1 + 0.5 + 7);      // 8.5
}

TEST_F(Worked, Unweighted) {
    auto const d = run(t, tree, UnifracKind::unweighted);
    // s1|s2: unique a(1) + c(3) = 4 over union 1+2+0.5+3+7 = 13.5.
    EXPECT_NEAR(d(0, 1), 4 / 13.5, 1e-15);
    // s1|s3: unique b(2) over union 10.5.
    EXPECT_NEAR(d(0, 2), 2 / 10.5, 1e-15);
    // s2|s3: unique a, b, c = 6 over 13.5.
    EXPECT_NEAR(d(1, 2), 6 / 13.5, 1e-15);
}

TEST_F(Worked, WeightedUnnormalizedAndNormalized) {
    auto const w = run(t, tree, UnifracKind::weighted);
    // s1 = (a 1/3, b 2/3), s2 = (b 3/7, c 4/7): |a| 1/3*1 + |b| 5/21*2 + |ab| 4/7*0.5 + |c| 4/7*3 = 59/21.
    EXPECT_NEAR(w(0, 1), 59.0 / 21.0, 1e-14);
    // s1|s3: a 2/3*1 + b 2/3*2 = 2.
    EXPECT_NEAR(w(0, 2), 2.0, 1e-14);
    auto const n = run(t, tree, UnifracKind::weighted_normalized);
    // Normalizer: tip depths incl. root a 8.5, b 9.5, c 10: s1 8.5/3 + 19/3 = 9.1667, s2 28.5/7 + 40/7.
    double const c01 = 8.5 / 3 + 9.5 * 2 / 3 + 9.5 * 3 / 7 + 10.0 * 4 / 7;
    EXPECT_NEAR(n(0, 1), (59.0 / 21.0) / c01, 1e-15);
    EXPECT_NEAR(n(0, 1), 0.14824121, 5e-9);  // scikit-bio 0.5.8 printout
    auto const g1 = run(t, tree, UnifracKind::generalized, 1, 1.0);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(g1(i, j), n(i, j), 1e-15) << "alpha 1 = normalized";
}

TEST(MatchTree, FeatureMissingFromTheTreeIsNamed) {
    auto const tree = io::parse_newick("((a:1,b:2)x:0.5,c:3);", "t.nwk");
    try {
        ecology::match_tree(tree, {"a", "zz"}, "t.nwk");
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "t.nwk: table feature 'zz' is not a tip of the tree");
    }
    try {
        ecology::match_tree(tree, {"q1", "q2", "a"}, "t.nwk");
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "t.nwk: 2 table features are not tips of the tree: 'q1', 'q2'");
    }
    try {
        ecology::match_tree(tree, {"x"}, "t.nwk");
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "t.nwk: table feature 'x' is an internal node of the tree, not a tip");
    }
    auto const dup = io::parse_newick("((a:1,b:2):0.5,a:3);", "d.nwk");
    try {
        ecology::match_tree(dup, {"a"}, "d.nwk");
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "d.nwk: table feature 'a' is the label of more than one tip");
    }
    // A duplicated label that is not a table feature is harmless, as are extra tips.
    EXPECT_EQ(ecology::match_tree(dup, {"b"}, "d.nwk").size(), 3u);  // b, (a,b), root
}

TEST(MatchTree, KeepsOnlyNodesAboveTableFeatures) {
    auto const tree = io::parse_newick("(((a:1,b:2):0.5,c:3):1,(d:1,e:1):2);", "t.nwk");
    auto const m = ecology::match_tree(tree, {"c", "a"}, "t.nwk");
    // a, (ab), c, (abc), root: b and the (d,e) clade are dropped.
    ASSERT_EQ(m.size(), 5u);
    EXPECT_EQ(m.length, (std::vector<double>{1, 0.5, 3, 1, 0}));
    EXPECT_EQ(m.feature_node, (std::vector<std::uint32_t>{2, 0}));
}

// ---- Oracle: striped kernels vs one tree walk per pair, on seeded random tables and trees ----

struct RandomCase {
    std::string newick;
    std::vector<std::string> features;
    std::size_t n_samples = 0;
    std::vector<double> counts;  // sample-major
};

// A random rooted tree over the features plus some tips that are not in the table: nodes are
// merged two or three at a time; about 15% of branches have length 0; the root sometimes has a
// length of its own. Seeds divisible by 7 give a single-tip tree.
RandomCase random_case(std::uint64_t seed) {
    auto rng = Rng::stream(20240603, seed);
    RandomCase c;
    bool const single_tip = seed % 7 == 0;
    std::size_t const nf = single_tip ? 1 : 2 + rng.below(24);
    c.n_samples = 2 + rng.below(13);
    for (std::size_t f = 0; f < nf; ++f) c.features.push_back("f" + std::to_string(f));
    auto length = [&] {
        if (rng.uniform() < 0.15) return std::string("0");
        return std::to_string(rng.uniform() * 2.0);
    };
    std::vector<std::string> nodes;
    for (auto const& f : c.features) nodes.push_back(f + ":" + length());
    if (!single_tip)
        for (std::size_t x = rng.below(4); x > 0; --x) nodes.push_back("extra" + std::to_string(x) + ":" + length());
    while (nodes.size() > 1) {
        rng.shuffle(nodes.begin(), nodes.end());
        std::size_t const k = std::min<std::size_t>(nodes.size(), rng.uniform() < 0.2 ? 3 : 2);
        std::string merged = "(";
        for (std::size_t i = 0; i < k; ++i) merged += (i ? "," : "") + nodes[nodes.size() - 1 - i];
        nodes.resize(nodes.size() - k);
        nodes.push_back(merged + "):" + length());
    }
    std::string root = nodes[0];
    if (!single_tip && rng.uniform() < 0.7) root = root.substr(0, root.rfind(':'));  // no root length
    c.newick = root + ";";
    c.counts.assign(c.n_samples * nf, 0.0);
    bool const fractional = rng.uniform() < 0.3;
    for (auto& v : c.counts)
        if (rng.uniform() < 0.35) v = fractional ? rng.uniform() * 10 : static_cast<double>(1 + rng.below(20));
    // Every third case: sample 0 holds only feature 0, which no other sample has (it shares nothing).
    if (seed % 3 == 0 && nf >= 2) {
        for (std::size_t f = 0; f < nf; ++f) c.counts[f] = 0;
        c.counts[0] = 5;
        for (std::size_t s = 1; s < c.n_samples; ++s) c.counts[s * nf] = 0;
    }
    for (std::size_t s = 0; s < c.n_samples; ++s) {
        double total = 0;
        for (std::size_t f = 0; f < nf; ++f) total += c.counts[s * nf + f];
        if (total == 0) c.counts[s * nf + (nf > 1 ? 1 + rng.below(nf - 1) : 0)] = 3;
    }
    return c;
}

std::vector<double> row(RandomCase const& c, std::size_t s) {
    std::size_t const nf = c.features.size();
    return {c.counts.begin() + static_cast<long>(s * nf), c.counts.begin() + static_cast<long>((s + 1) * nf)};
}

constexpr double kOracleTol = 1e-12;

void expect_close(double got, double want, std::string const& what) {
    EXPECT_LE(std::fabs(got - want), kOracleTol * std::max(1.0, std::fabs(want))) << what << " got " << got
                                                                                   << " want " << want;
}

class UnifracOracle : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(UnifracOracle, StripedEqualsNaivePerPairWalk) {
    auto const c = random_case(GetParam());
    auto const tree = io::parse_newick(c.newick, "random.nwk");
    auto const t = dense_table(c.features, c.n_samples, c.counts);
    auto const m = ecology::match_tree(tree, t.feature_ids(), "random.nwk");
    auto const pd = ecology::faith_pd(t, m);
    for (std::size_t s = 0; s < c.n_samples; ++s)
        expect_close(pd[s], naive::naive_faith_pd(tree, c.features, row(c, s)), "faith " + c.newick);
    double const alphas[] = {0.0, 0.5, 1.0, 0.3};
    double const alpha = alphas[GetParam() % 4];
    struct K {
        UnifracKind fast;
        NaiveUnifrac naive;
    };
    for (auto const k : {K{UnifracKind::unweighted, NaiveUnifrac::unweighted},
                         K{UnifracKind::weighted, NaiveUnifrac::weighted},
                         K{UnifracKind::weighted_normalized, NaiveUnifrac::weighted_normalized},
                         K{UnifracKind::generalized, NaiveUnifrac::generalized}}) {
        // A tiny budget forces one node (or one byte of nodes) per batch; the result must not change.
        auto const d = run(t, tree, k.fast, 1, alpha);
        auto const d_batched = run(t, tree, k.fast, 2, alpha, 1);
        EXPECT_EQ(0, std::memcmp(d.condensed().data(), d_batched.condensed().data(),
                                 d.condensed().size() * sizeof(double)))
            << "batching or threads changed the bits";
        for (std::size_t i = 0; i < c.n_samples; ++i)
            for (std::size_t j = i + 1; j < c.n_samples; ++j)
                expect_close(d(i, j), naive::naive_unifrac(k.naive, tree, c.features, row(c, i), row(c, j), alpha),
                             "kind " + std::to_string(static_cast<int>(k.fast)) + " pair " + std::to_string(i) + "," +
                                 std::to_string(j) + " tree " + c.newick);
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, UnifracOracle, ::testing::Range<std::uint64_t>(0, 250));

// Larger case: 301 samples (odd), many tiles and several stripe blocks; threads 1, 2 and 3 and a
// small batch budget give the same bits, and sampled pairs agree with the oracle.
TEST(UnifracThreads, IdenticalBitsForAnyThreadCountAndBatchSize) {
    auto rng = Rng::stream(77, 0);
    std::size_t const nf = 150, ns = 301;
    std::vector<std::string> features;
    for (std::size_t f = 0; f < nf; ++f) features.push_back("t" + std::to_string(f));
    std::vector<std::string> nodes;
    for (auto const& f : features) nodes.push_back(f + ":" + std::to_string(rng.uniform()));
    while (nodes.size() > 1) {
        rng.shuffle(nodes.begin(), nodes.end());
        std::string a = nodes.back();
        nodes.pop_back();
        std::string b = nodes.back();
        nodes.pop_back();
        nodes.push_back("(" + a + "," + b + "):" + std::to_string(rng.uniform()));
    }
    auto const tree = io::parse_newick(nodes[0] + ";", "big.nwk");
    std::vector<double> counts(ns * nf, 0.0);
    for (auto& v : counts)
        if (rng.uniform() < 0.2) v = static_cast<double>(1 + rng.below(100));
    for (std::size_t s = 0; s < ns; ++s) counts[s * nf + s % nf] += 1;
    auto const t = dense_table(features, ns, counts);
    for (auto kind : {UnifracKind::unweighted, UnifracKind::weighted, UnifracKind::weighted_normalized,
                      UnifracKind::generalized}) {
        auto const d1 = run(t, tree, kind, 1);
        auto const d2 = run(t, tree, kind, 2);
        auto const d3 = run(t, tree, kind, 3, 0.5, 40000);
        ASSERT_EQ(d1.condensed().size(), ns * (ns - 1) / 2);
        EXPECT_EQ(0, std::memcmp(d1.condensed().data(), d2.condensed().data(), d1.condensed().size() * sizeof(double)));
        EXPECT_EQ(0, std::memcmp(d1.condensed().data(), d3.condensed().data(), d1.condensed().size() * sizeof(double)));
        NaiveUnifrac const nk = kind == UnifracKind::unweighted            ? NaiveUnifrac::unweighted
                                : kind == UnifracKind::weighted            ? NaiveUnifrac::weighted
                                : kind == UnifracKind::weighted_normalized ? NaiveUnifrac::weighted_normalized
                                                                           : NaiveUnifrac::generalized;
        for (std::size_t q = 0; q < 40; ++q) {
            std::size_t const i = rng.below(ns), j = (i + 1 + rng.below(ns - 1)) % ns;
            std::vector<double> u(counts.begin() + static_cast<long>(i * nf), counts.begin() + static_cast<long>((i + 1) * nf));
            std::vector<double> v(counts.begin() + static_cast<long>(j * nf), counts.begin() + static_cast<long>((j + 1) * nf));
            expect_close(d1(i, j), naive::naive_unifrac(nk, tree, features, u, v), "big pair");
        }
    }
}

}  // namespace
