#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ecology/alpha.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using ecology::AlphaMetric;

namespace {

double value(AlphaMetric m, std::vector<double> const& c, double base = std::numbers::e) {
    return ecology::alpha_value(m, c, base);
}

// Counts (1, 1, 2, 4): N = 8, p = (1/8, 1/8, 1/4, 1/2), F1 = 2, F2 = 1.
TEST(AlphaValue, HandCheckedSample) {
    std::vector<double> const c{1, 0, 1, 2, 4};
    double const ln2 = std::log(2.0);
    EXPECT_EQ(value(AlphaMetric::observed, c), 4.0);
    EXPECT_NEAR(value(AlphaMetric::shannon, c), 1.75 * ln2, 1e-15);  // 2*(1/8)*3ln2 + (1/4)*2ln2 + (1/2)ln2
    EXPECT_NEAR(value(AlphaMetric::shannon, c, 2.0), 1.75, 1e-15);
    EXPECT_NEAR(value(AlphaMetric::simpson, c), 1 - 0.34375, 1e-15);  // sum p^2 = 2/64 + 1/16 + 1/4
    EXPECT_NEAR(value(AlphaMetric::inverse_simpson, c), 32.0 / 11.0, 1e-14);
    EXPECT_NEAR(value(AlphaMetric::hill_2, c), 32.0 / 11.0, 1e-14);
    EXPECT_EQ(value(AlphaMetric::chao1, c), 4.5);  // 4 + 2*1 / (2*2)
    // ACE: S_rare 4, N_rare 8, C = 3/4, sum k(k-1)F_k = 2 + 12 = 14, gamma = 4*14/(0.75*8*7) - 1 = 1/3,
    // S = 4/C + 2/C * 1/3 = 56/9.
    EXPECT_NEAR(value(AlphaMetric::ace, c), 56.0 / 9.0, 1e-14);
    EXPECT_NEAR(value(AlphaMetric::pielou, c), 0.875, 1e-15);  // 1.75 ln2 / ln4
    EXPECT_EQ(value(AlphaMetric::hill_0, c), 4.0);
    EXPECT_NEAR(value(AlphaMetric::hill_1, c), std::pow(2.0, 1.75), 1e-14);
}

TEST(AlphaValue, EdgeCases) {
    // chao1 keeps the bias-corrected form when there are no doubletons: 4 + 3*2 / (2*1).
    EXPECT_EQ(value(AlphaMetric::chao1, {1, 1, 1, 5}), 7.0);
    // ... and with no singletons adds nothing.
    EXPECT_EQ(value(AlphaMetric::chao1, {2, 3, 7}), 3.0);
    // ACE: all rare features are singletons -> undefined (NaN); none rare -> S_abund.
    EXPECT_TRUE(std::isnan(value(AlphaMetric::ace, {1, 1, 50})));
    EXPECT_EQ(value(AlphaMetric::ace, {11, 20, 300}), 3.0);
    // Pielou of one feature is 0/0.
    EXPECT_TRUE(std::isnan(value(AlphaMetric::pielou, {0, 7, 0})));
    EXPECT_EQ(value(AlphaMetric::simpson, {0, 7, 0}), 0.0);
    EXPECT_EQ(value(AlphaMetric::shannon, {0, 7, 0}), 0.0);
}

TEST(AlphaMetrics, NamesAndLists) {
    EXPECT_EQ(ecology::alpha_metric_name(AlphaMetric::inverse_simpson), "inverse_simpson");
    EXPECT_EQ(ecology::parse_alpha_metrics("shannon, chao1,shannon,hill_1"),
              (std::vector<AlphaMetric>{AlphaMetric::shannon, AlphaMetric::chao1, AlphaMetric::hill_1}));
    try {
        ecology::parse_alpha_metrics("shannon,evenness");
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_EQ(std::string(e.what()), "unknown alpha metric 'evenness'");
        EXPECT_EQ(e.hint(), "valid metrics: observed, shannon, simpson, inverse_simpson, chao1, ace, pielou, "
                            "faith_pd, hill_0, hill_1, hill_2");
    }
    EXPECT_EQ(ecology::default_alpha_metrics(false).size(), 7u);
    EXPECT_EQ(ecology::default_alpha_metrics(true).back(), AlphaMetric::faith_pd);
}

table::FeatureTable small_table() {
    // features x samples: s1 = (3, 0, 1), s2 = (0, 0, 0), s3 = (2, 5, 0)
    return table::FeatureTable::from_dense({"a", "b", "c"}, {"s1", "s2", "s3"}, {3, 0, 2, 0, 0, 5, 1, 0, 0});
}

TEST(AlphaDiversity, EmptySampleIsAnErrorNamingIt) {
    ecology::AlphaOptions o;
    o.table_origin = "t.tsv";
    try {
        ecology::alpha_diversity(small_table(), o);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "t.tsv: sample 's2' has no counts (all zero); its diversity is undefined");
        EXPECT_EQ(e.hint(), "remove empty samples from the table first");
    }
}

TEST(AlphaDiversity, BadRequests) {
    auto const t = table::FeatureTable::from_dense({"a", "b"}, {"s1", "s2"}, {1.5, 2, 1, 0});
    ecology::AlphaOptions o;
    o.table_origin = "rel.tsv";
    o.metrics = {AlphaMetric::faith_pd};
    EXPECT_THROW(
        {
            try {
                ecology::alpha_diversity(t, o);
            } catch (UsageError const& e) {
                EXPECT_EQ(std::string(e.what()), "metric faith_pd needs a tree");
                throw;
            }
        },
        UsageError);
    o.metrics = {AlphaMetric::shannon, AlphaMetric::chao1};
    try {
        ecology::alpha_diversity(t, o);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "rel.tsv: sample 's1': chao1 and ace need whole-number counts; feature 'a' has 1.5");
    }
    o.metrics = {AlphaMetric::shannon};
    o.log_base = 1.0;
    EXPECT_THROW(ecology::alpha_diversity(t, o), UsageError);
    o.log_base = 2.0;
    auto const r = ecology::alpha_diversity(t, o);  // fractional values are fine for Shannon
    EXPECT_NEAR(r.at(0, 0), -(0.6 * std::log2(0.6) + 0.4 * std::log2(0.4)), 1e-15);
}

TEST(AlphaDiversity, FaithPdUsesTheTreeAndNamesAMissingFeature) {
    auto const tree = io::parse_newick("((a:1,b:2):0.5,(c:3,d:9):1);", "t.nwk");
    auto t = table::FeatureTable::from_dense({"a", "b", "c"}, {"s1", "s3"}, {3, 2, 0, 5, 1, 0});
    ecology::AlphaOptions o;
    o.tree = &tree;
    o.tree_origin = "t.nwk";
    auto const r = ecology::alpha_diversity(t, o);
    ASSERT_EQ(r.metrics.back(), AlphaMetric::faith_pd);
    EXPECT_DOUBLE_EQ(r.at(0, r.metrics.size() - 1), 1 + 0.5 + 3 + 1);
    EXPECT_DOUBLE_EQ(r.at(1, r.metrics.size() - 1), 1 + 2 + 0.5);
    auto const t2 = table::FeatureTable::from_dense({"a", "zz"}, {"s1"}, {3, 2});
    try {
        ecology::alpha_diversity(t2, o);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "t.nwk: table feature 'zz' is not a tip of the tree");
    }
}

TEST(AlphaDiversity, WritesSampleIdThenMetricColumnsAndNaN) {
    orbiome::testing::TempDir dir;
    auto const t = table::FeatureTable::from_dense({"a", "b"}, {"x", "y"}, {4, 1, 0, 1});
    ecology::AlphaOptions o;
    o.metrics = {AlphaMetric::observed, AlphaMetric::pielou};
    ecology::write_alpha(ecology::alpha_diversity(t, o), dir.file("a.tsv"), "#orbiome alpha test");
    std::ifstream in(dir.file("a.tsv"));
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), "#orbiome alpha test\nsample_id\tobserved\tpielou\nx\t1\tNaN\ny\t2\t1\n");
}

// ---- Parity with frozen reference outputs (tests/parity/...) ----

using Columns = std::map<std::string, std::map<std::string, double>>;  // column -> sample -> value

Columns read_columns(std::string const& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::string line;
    std::getline(in, line);
    std::vector<std::string> head;
    std::stringstream hs(line);
    for (std::string f; std::getline(hs, f, '\t');) head.push_back(f);
    Columns c;
    while (std::getline(in, line)) {
        std::stringstream ls(line);
        std::string id, f;
        std::getline(ls, id, '\t');
        for (std::size_t k = 1; std::getline(ls, f, '\t'); ++k) c[head[k]][id] = f == "NaN" ? NAN : std::stod(f);
    }
    return c;
}

void expect_rel(double got, double want, double tol, std::string const& what) {
    if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << what;
        return;
    }
    EXPECT_LE(std::fabs(got - want), tol * std::max(std::fabs(want), 1e-300)) << what << ": " << got << " vs " << want;
}

// vegan 2.6-4 on dune (20 sites, 30 species): diversity(), specnumber(), estimateR(). Same
// formulas, so 1e-12 relative.
TEST(AlphaParity, VeganDune) {
    auto const t = io::read_table(orbiome::testing::test_data("diversity/dune_features.tsv"));
    ASSERT_EQ(t.n_samples(), 20u);
    ASSERT_EQ(t.n_features(), 30u);
    ecology::AlphaOptions o;
    o.metrics = ecology::parse_alpha_metrics("observed,shannon,simpson,inverse_simpson,chao1,ace,pielou");
    auto const r = ecology::alpha_diversity(t, o);
    auto const ref = read_columns(orbiome::testing::test_data("../parity/vegan_diversity/dune/alpha.tsv"));
    std::size_t checked = 0;
    for (std::size_t m = 0; m < r.metrics.size(); ++m) {
        auto const& col = ref.at(std::string(ecology::alpha_metric_name(r.metrics[m])));
        for (std::size_t s = 0; s < r.sample_ids.size(); ++s, ++checked)
            expect_rel(r.at(s, m), col.at(r.sample_ids[s]), 1e-12,
                       std::string(ecology::alpha_metric_name(r.metrics[m])) + " " + r.sample_ids[s]);
    }
    EXPECT_EQ(checked, 140u);
}

// scikit-bio 0.5.8 on QIIME 1.9.1's tiny test table and tree (incl. Faith PD, and ACE where
// scikit-bio raises -> NaN). shannon_base2 is scikit-bio's default base.
TEST(AlphaParity, ScikitBioQiimeTinyTest) {
    auto const t = io::read_table(orbiome::testing::test_data("diversity/qiime191tt_otu_table.tsv"));
    auto const tree = io::read_newick(orbiome::testing::test_data("diversity/qiime191tt_tree_beta.nwk"));
    auto const ref = read_columns(orbiome::testing::test_data("../parity/skbio/qiime191tt/alpha.tsv"));
    ecology::AlphaOptions o;
    o.tree = &tree;
    o.metrics = ecology::parse_alpha_metrics("observed,shannon,simpson,inverse_simpson,chao1,ace,pielou,faith_pd");
    auto const r = ecology::alpha_diversity(t, o);
    for (std::size_t m = 0; m < r.metrics.size(); ++m)
        for (std::size_t s = 0; s < r.sample_ids.size(); ++s)
            expect_rel(r.at(s, m), ref.at(std::string(ecology::alpha_metric_name(r.metrics[m]))).at(r.sample_ids[s]),
                       1e-12, std::string(ecology::alpha_metric_name(r.metrics[m])) + " " + r.sample_ids[s]);
    o.metrics = {AlphaMetric::shannon};
    o.log_base = 2.0;
    auto const r2 = ecology::alpha_diversity(t, o);
    for (std::size_t s = 0; s < r2.sample_ids.size(); ++s)
        expect_rel(r2.at(s, 0), ref.at("shannon_base2").at(r2.sample_ids[s]), 1e-12, "base 2 " + r2.sample_ids[s]);
    // QIIME 1.9.1's own PD_whole_tree printout (6 significant digits) for f2 and p2.
    EXPECT_NEAR(r.at(0, 7), 0.64607, 1e-9);
    EXPECT_NEAR(r.at(4, 7), 1.4239, 1e-9);
}

}  // namespace
