#include <cmath>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "table/ops.hpp"

using namespace orbiome;
using namespace orbiome::table;

namespace {
// 4 features x 3 samples, row-major features x samples.
FeatureTable small_table() {
    return FeatureTable::from_dense({"f1", "f2", "f3", "f4"}, {"A", "B", "C"},
                                    {12, 0, 11,    //
                                     5, 5, 5,      //
                                     0, 0, 150,    //
                                     0, 1, 0},
                                    {"k__Bacteria;p__Firmicutes;g__Dorea", "k__Bacteria;p__Firmicutes;g__Dorea",
                                     "k__Bacteria;p__Bacteroidetes;g__", "k__Bacteria;p__Firmicutes;g__Lactobacillus"});
}
}  // namespace

TEST(FeatureTable, CsrAccessAndDenseRoundTrip) {
    auto t = small_table();
    EXPECT_EQ(t.n_samples(), 3u);
    EXPECT_EQ(t.n_features(), 4u);
    EXPECT_EQ(t.n_nonzero(), 7u);
    EXPECT_EQ(t.get(2, 2), 150.0);
    EXPECT_EQ(t.get(2, 0), 0.0);
    EXPECT_EQ(t.sample_total(1), 6.0);
    auto again = FeatureTable::from_dense(t.feature_ids(), t.sample_ids(), t.to_dense(), t.lineages());
    EXPECT_EQ(again, t);
}

TEST(FeatureTable, RejectsDuplicateIds) {
    try {
        FeatureTable::from_dense({"f1", "f1"}, {"A"}, {1, 2}, {}, "t.tsv");
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_STREQ(e.what(), "t.tsv: duplicate feature id 'f1' (features 1 and 2)");
    }
    EXPECT_THROW(FeatureTable::from_dense({"f1"}, {"A", "A"}, {1, 2}), ParseError);
}

TEST(Filter, AnyRuleKeeps) {
    auto t = small_table();
    // RR-5 authors' rule: >= 10 reads in >= 2 samples, or >= 100 in total.
    FilterRules rr5{10.0, 2, 100.0, std::nullopt};
    auto f = filter_features(t, rr5);
    EXPECT_EQ(f.feature_ids(), (std::vector<std::string>{"f1", "f3"}));
    FilterRules prevalence{std::nullopt, std::nullopt, std::nullopt, 1.0};
    EXPECT_EQ(filter_features(t, prevalence).feature_ids(), (std::vector<std::string>{"f2"}));
    FilterRules none{};
    EXPECT_THROW(filter_features(t, none), UsageError);
    FilterRules half{10.0, std::nullopt, std::nullopt, std::nullopt};
    EXPECT_THROW(filter_features(t, half), UsageError);
}

TEST(Collapse, SumsByLineageAndUnassigned) {
    auto c = collapse(small_table(), taxonomy::Rank::genus);
    ASSERT_EQ(c.n_features(), 3u);
    // Sorted keys, as a groupby.
    EXPECT_EQ(c.feature_ids()[0], "k__Bacteria;p__Bacteroidetes;unassigned");
    EXPECT_EQ(c.feature_ids()[1], "k__Bacteria;p__Firmicutes;g__Dorea");
    EXPECT_EQ(c.feature_ids()[2], "k__Bacteria;p__Firmicutes;g__Lactobacillus");
    EXPECT_EQ(c.get(1, 0), 17.0);
    EXPECT_EQ(c.get(1, 2), 16.0);
    EXPECT_EQ(c.get(0, 2), 150.0);
    auto p = collapse(small_table(), taxonomy::Rank::phylum);
    EXPECT_EQ(p.feature_ids(), (std::vector<std::string>{"k__Bacteria;p__Bacteroidetes", "k__Bacteria;p__Firmicutes"}));
    EXPECT_EQ(p.get(1, 1), 6.0);
    auto no_lineage = FeatureTable::from_dense({"f"}, {"A"}, {1});
    EXPECT_THROW(collapse(no_lineage, taxonomy::Rank::genus), UsageError);
}

TEST(RelativeAbundance, SumsToOneAndRejectsEmptySample) {
    auto r = relative_abundance(small_table());
    for (std::size_t s = 0; s < r.n_samples(); ++s) EXPECT_NEAR(r.sample_total(s), 1.0, 1e-15);
    EXPECT_DOUBLE_EQ(r.get(0, 0), 12.0 / 17.0);
    auto empty = FeatureTable::from_dense({"f"}, {"A", "B"}, {1, 0});
    try {
        relative_abundance(empty);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "'B': sample has no counts; its relative abundance is undefined");
    }
}

TEST(Rarefy, ExactDepthDropsShallowAndIsThreadInvariant) {
    auto t = small_table();
    RarefyReport rep;
    auto r1 = rarefy(t, 10, 7, 1, &rep);
    EXPECT_EQ(rep.dropped_samples, (std::vector<std::string>{"B"}));
    for (std::size_t s = 0; s < r1.n_samples(); ++s) EXPECT_EQ(r1.sample_total(s), 10.0);
    auto r2 = rarefy(t, 10, 7, 2);
    EXPECT_EQ(r1, r2);
    EXPECT_THROW(rarefy(t, 100000, 7, 1), UsageError);
    auto frac = FeatureTable::from_dense({"f"}, {"A"}, {0.5});
    EXPECT_THROW(rarefy(frac, 1, 1, 1), ParseError);
}

TEST(Rarefy, MatchesHypergeometricMean) {
    // 2000 identical samples, each rarefied with its own RNG stream: the mean draw per feature
    // must match the hypergeometric mean n*K/N within 4 standard errors.
    std::vector<double> const counts = {500, 300, 150, 49, 1};
    std::size_t const n_samples = 2000;
    std::uint64_t const depth = 100;
    double const total = 1000;
    std::vector<std::string> fids, sids;
    std::vector<double> dense;
    for (std::size_t f = 0; f < counts.size(); ++f) fids.push_back("f" + std::to_string(f));
    for (std::size_t s = 0; s < n_samples; ++s) sids.push_back("s" + std::to_string(s));
    for (double c : counts) dense.insert(dense.end(), n_samples, c);
    auto t = FeatureTable::from_dense(fids, sids, dense);
    auto r = rarefy(t, depth, 20261125, 2);
    ASSERT_EQ(r.n_samples(), n_samples);
    for (std::size_t f = 0; f < counts.size(); ++f) {
        std::size_t const rf = r.feature_index(fids[f]);
        double sum = 0;
        for (std::size_t s = 0; s < n_samples; ++s) sum += rf == FeatureTable::npos ? 0.0 : r.get(rf, s);
        double const mean = sum / static_cast<double>(n_samples);
        double const n = static_cast<double>(depth), K = counts[f], N = total;
        double const expected = n * K / N;
        double const var = n * (K / N) * ((N - K) / N) * ((N - n) / (N - 1));
        double const se = std::sqrt(var / static_cast<double>(n_samples));
        EXPECT_NEAR(mean, expected, 4 * se) << "feature " << f;
    }
}

TEST(Merge, UnionOfFeaturesDistinctSamples) {
    auto a = FeatureTable::from_dense({"x", "y"}, {"S1"}, {1, 2});
    auto b = FeatureTable::from_dense({"y", "z"}, {"S2"}, {3, 4});
    auto m = merge({a, b}, {"a.tsv", "b.tsv"});
    EXPECT_EQ(m.feature_ids(), (std::vector<std::string>{"x", "y", "z"}));
    EXPECT_EQ(m.get(1, 0), 2.0);
    EXPECT_EQ(m.get(1, 1), 3.0);
    EXPECT_EQ(m.get(0, 1), 0.0);
    try {
        merge({a, a}, {"a.tsv", "again.tsv"});
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "again.tsv: 'S1': sample id also present in a.tsv");
    }
}
