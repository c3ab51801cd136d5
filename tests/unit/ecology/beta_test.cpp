#include <cmath>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "ecology/beta.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using ecology::BetaMetric;

namespace {

std::string data(std::string const& rel) { return orbiome::testing::test_data(rel); }

ecology::DistanceMatrix beta(table::FeatureTable const& t, BetaMetric m, int threads = 1, io::Tree const* tree = nullptr,
                             double alpha = 0.5) {
    ecology::BetaOptions o;
    o.metric = m;
    o.tree = tree;
    o.tree_origin = "t.nwk";
    o.table_origin = "t.tsv";
    o.alpha = alpha;
    o.n_threads = threads;
    return ecology::beta_diversity(t, o);
}

// features x samples; samples: s1 = (1, 0, 3, 2), s2 = (0, 4, 1, 2), s3 = (6, 0, 0, 0)
table::FeatureTable small() {
    return table::FeatureTable::from_dense({"a", "b", "c", "d"}, {"s1", "s2", "s3"},
                                           {1, 0, 6, 0, 4, 0, 3, 1, 0, 2, 2, 0});
}

TEST(Beta, BrayCurtisHandValues) {
    auto const d = beta(small(), BetaMetric::braycurtis);
    // s1|s2: |1|+|4|+|2|+|0| = 7 over 6 + 7 = 13.
    EXPECT_DOUBLE_EQ(d(0, 1), 7.0 / 13.0);
    // s1|s3: 5 + 3 + 2 = 10 over 12.
    EXPECT_DOUBLE_EQ(d(0, 2), 10.0 / 12.0);
    // s2|s3 share nothing: 1.
    EXPECT_EQ(d(1, 2), 1.0);
    EXPECT_EQ(d(2, 1), 1.0);
}

TEST(Beta, JaccardIsPresenceAbsence) {
    auto const d = beta(small(), BetaMetric::jaccard);
    EXPECT_DOUBLE_EQ(d(0, 1), 2.0 / 4.0);  // shared c, d of a, b, c, d
    EXPECT_DOUBLE_EQ(d(0, 2), 2.0 / 3.0);  // shared a of a, c, d
    EXPECT_EQ(d(1, 2), 1.0);
}

TEST(Beta, AitchisonWithPseudocountOne) {
    auto const d = beta(small(), BetaMetric::aitchison);
    auto clr = [](std::vector<double> x) {
        double m = 0;
        for (auto& v : x) m += (v = std::log(v + 1.0));
        for (auto& v : x) v -= m / 4.0;
        return x;
    };
    auto const a = clr({1, 0, 3, 2}), b = clr({0, 4, 1, 2});
    double ss = 0;
    for (int f = 0; f < 4; ++f) ss += (a[f] - b[f]) * (a[f] - b[f]);
    EXPECT_NEAR(d(0, 1), std::sqrt(ss), 1e-15);
    ecology::BetaOptions o;
    o.metric = BetaMetric::aitchison;
    o.pseudocount = 0;
    o.table_origin = "t.tsv";
    try {
        ecology::beta_diversity(small(), o);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()),
                  "t.tsv: sample 's1': aitchison with pseudocount 0 needs a table without zeros; it has 1 zero features");
    }
}

TEST(Beta, ErrorsNameTheProblem) {
    EXPECT_EQ(ecology::parse_beta_metric("weighted_normalized_unifrac"), BetaMetric::weighted_normalized_unifrac);
    try {
        ecology::parse_beta_metric("euclid");
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_EQ(std::string(e.what()), "unknown beta metric 'euclid'");
        EXPECT_EQ(e.hint(), "valid metrics: braycurtis, jaccard, aitchison, unweighted_unifrac, weighted_unifrac, "
                            "weighted_normalized_unifrac, generalized_unifrac");
    }
    try {
        beta(small(), BetaMetric::unweighted_unifrac);
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_EQ(std::string(e.what()), "metric unweighted_unifrac needs a tree");
    }
    auto const empty = table::FeatureTable::from_dense({"a"}, {"x", "y", "z", "w"}, {1, 0, 2, 0});
    try {
        beta(empty, BetaMetric::braycurtis);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "t.tsv: 2 samples have no counts (all zero): 'y', 'w'");
    }
}

// Random sparse tables of odd and even size: threads 1 and 2 give the same bits.
TEST(Beta, IdenticalBitsForAnyThreadCount) {
    for (std::size_t ns : {2u, 7u, 64u, 151u}) {
        auto rng = Rng::stream(5, ns);
        std::size_t const nf = 90;
        std::vector<double> v(nf * ns, 0.0);
        for (auto& x : v)
            if (rng.uniform() < 0.3) x = rng.uniform() < 0.5 ? static_cast<double>(rng.below(50)) : rng.uniform();
        std::vector<std::string> f, s;
        for (std::size_t i = 0; i < nf; ++i) f.push_back("f" + std::to_string(i));
        for (std::size_t i = 0; i < ns; ++i) {
            s.push_back("s" + std::to_string(i));
            v[(i % nf) * ns + i] += 1;
        }
        auto const t = table::FeatureTable::from_dense(f, s, v);
        for (auto m : {BetaMetric::braycurtis, BetaMetric::jaccard, BetaMetric::aitchison}) {
            auto const a = beta(t, m, 1), b = beta(t, m, 2);
            ASSERT_EQ(a.condensed().size(), ns * (ns - 1) / 2);
            EXPECT_EQ(0, std::memcmp(a.condensed().data(), b.condensed().data(), a.condensed().size() * sizeof(double)))
                << ecology::beta_metric_name(m) << " n=" << ns;
        }
    }
}

// ---- Parity with frozen references ----

// Every pair of `got` against the reference matrix at `ref_path` (matched by id), relative
// tolerance `tol` (absolute below 1e-300). Returns the number of pairs checked.
std::size_t expect_matrix(ecology::DistanceMatrix const& got, std::string const& ref_path, double tol) {
    auto const ref = ecology::read_distance_matrix(ref_path);
    std::vector<std::size_t> map;
    for (auto const& id : got.ids()) {
        auto const it = std::find(ref.ids().begin(), ref.ids().end(), id);
        EXPECT_NE(it, ref.ids().end()) << id << " not in " << ref_path;
        if (it == ref.ids().end()) return 0;
        map.push_back(static_cast<std::size_t>(it - ref.ids().begin()));
    }
    std::size_t n = 0;
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i)
        for (std::size_t j = i + 1; j < got.size(); ++j, ++n) {
            double const want = ref(map[i], map[j]);
            double const err = std::fabs(got(i, j) - want) / std::max(std::fabs(want), 1e-300);
            worst = std::max(worst, err);
            EXPECT_LE(err, tol) << ref_path << " " << got.ids()[i] << "|" << got.ids()[j] << ": " << got(i, j)
                                << " vs " << want;
        }
    std::cout << "[ parity ] " << ref_path.substr(ref_path.rfind("parity/")) << ": " << n << " pairs, worst relative error "
              << worst << "\n";
    return n;
}

TEST(BetaParity, VeganDuneBrayJaccardAitchison) {
    auto const t = io::read_table(data("diversity/dune_features.tsv"));
    std::string const dir = data("../parity/vegan_diversity/dune/");
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::braycurtis), dir + "braycurtis.tsv", 1e-12), 190u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::jaccard), dir + "jaccard.tsv", 1e-12), 190u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::aitchison), dir + "aitchison_pseudocount1.tsv", 1e-12), 190u);
}

TEST(BetaParity, ScikitBioQiimeTinyTest) {
    auto const t = io::read_table(data("diversity/qiime191tt_otu_table.tsv"));
    auto const tree = io::read_newick(data("diversity/qiime191tt_tree_beta.nwk"));
    std::string const dir = data("../parity/skbio/qiime191tt/");
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::braycurtis), dir + "braycurtis.tsv", 1e-12), 28u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::aitchison), dir + "aitchison_pseudocount1.tsv", 1e-12), 28u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::unweighted_unifrac, 1, &tree), dir + "unweighted_unifrac.tsv", 1e-12), 28u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::weighted_unifrac, 1, &tree), dir + "weighted_unifrac.tsv", 1e-12), 28u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::weighted_normalized_unifrac, 1, &tree),
                            dir + "weighted_normalized_unifrac.tsv", 1e-12),
              28u);
}

// PyCogent's matrices (phyloseq's gp500 references): 378 pairs each; they agree to ~5e-15.
TEST(BetaParity, PyCogentGp500) {
    auto const t = io::read_table(data("diversity/gp500_otu_table.tsv"));
    auto const tree = io::read_newick(data("diversity/gp500_tree.nwk"));
    std::string const dir = data("../parity/pycogent/gp500/");
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::unweighted_unifrac, 2, &tree), dir + "gp500_pycogent_uuf.tsv", 1e-12), 378u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::weighted_normalized_unifrac, 2, &tree), dir + "gp500_pycogent_wuf.tsv", 1e-12),
              378u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::weighted_unifrac, 2, &tree), dir + "gp500_pycogent_wufu.tsv", 1e-12), 378u);
}

// Striped UniFrac (ssu fp64) on gp500, incl. generalized UniFrac at alpha 0.5, 0 and 1 (the only
// reference for generalized UniFrac). ssu 1.2 itself differs from scikit-bio 0.5.8 and PyCogent by
// up to 2.2e-8 relative on these matrices (they agree with each other, and with orbiome, to 1e-14),
// so ssu's tolerance is kSsuTol, not 1e-9.
constexpr double kSsuTol = 5e-8;

TEST(BetaParity, StripedUnifracGp500) {
    auto const t = io::read_table(data("diversity/gp500_otu_table.tsv"));
    auto const tree = io::read_newick(data("diversity/gp500_tree.nwk"));
    std::string const dir = data("../parity/unifrac_ssu/gp500/");
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::unweighted_unifrac, 1, &tree), dir + "unweighted.tsv", kSsuTol), 378u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::weighted_normalized_unifrac, 1, &tree), dir + "weighted_normalized.tsv", kSsuTol),
              378u);
    EXPECT_EQ(expect_matrix(beta(t, BetaMetric::weighted_unifrac, 1, &tree), dir + "weighted_unnormalized.tsv", kSsuTol), 378u);
    for (std::string a : {"0.5", "0", "1"})
        EXPECT_EQ(expect_matrix(beta(t, BetaMetric::generalized_unifrac, 1, &tree, std::stod(a)),
                                dir + "generalized_alpha" + a + ".tsv", kSsuTol),
                  378u)
            << "alpha " << a;
}

}  // namespace
