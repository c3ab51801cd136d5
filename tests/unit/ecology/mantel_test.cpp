// Mantel test against scikit-bio 0.5.8 and vegan 2.6-4 (frozen in tests/parity).
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/mantel.hpp"
#include "support/paths.hpp"
#include "support/reference.hpp"

namespace orbiome::ecology {
namespace {

using orbiome::testing::test_data;
using orbiome::testing::ref_value;

TEST(Mantel, VareMatricesMatchScikitBio) {
    std::string const dir = "../parity/skbio_community/mantel/";
    auto const veg = read_distance_matrix(test_data(dir + "veg.tsv"));
    auto const env = read_distance_matrix(test_data(dir + "env.tsv"));
    for (auto [m, ref] : {std::pair{MantelMethod::pearson, "mantel_pearson.tsv"},
                          std::pair{MantelMethod::spearman, "mantel_spearman.tsv"}}) {
        PermutationOptions opt;
        opt.seed = 99;
        auto const r = mantel(veg, env, "veg.tsv", "env.tsv", m, opt);
        double const want = ref_value(test_data(dir + ref), "statistic");
        EXPECT_NEAR(r.test_statistic, want, 1e-9 * std::abs(want)) << ref;
        double const p_ref = ref_value(test_data(dir + ref), "p_value");
        double const q = std::max(p_ref, 1.0 / 1000.0);
        EXPECT_NEAR(r.p_value, p_ref, 4 * std::sqrt(q * (1 - q) / 999.0)) << ref;
        EXPECT_EQ(r.sample_size, 24u);
    }
}

TEST(Mantel, DuneMatchesVeganStatistic) {
    std::string const dir = "../parity/vegan_community/dune/";
    auto const bray = read_distance_matrix(test_data(dir + "bray.tsv"));
    auto const a1 = read_distance_matrix(test_data(dir + "a1_euclidean.tsv"));
    for (auto [m, ref] : {std::pair{MantelMethod::pearson, "mantel_a1_pearson.tsv"},
                          std::pair{MantelMethod::spearman, "mantel_a1_spearman.tsv"}}) {
        PermutationOptions opt;
        opt.permutations = 0;
        auto const r = mantel(bray, a1, "bray.tsv", "a1.tsv", m, opt);
        double const want = ref_value(test_data(dir + ref), "r");
        EXPECT_NEAR(r.test_statistic, want, 1e-9 * std::abs(want)) << ref;
        EXPECT_TRUE(std::isnan(r.p_value));
    }
}

TEST(Mantel, SecondMatrixIsReorderedAndThreadsDoNotMatter) {
    std::string const dir = "../parity/skbio_community/mantel/";
    auto const veg = read_distance_matrix(test_data(dir + "veg.tsv"));
    auto const env = read_distance_matrix(test_data(dir + "env.tsv"));
    std::vector<std::size_t> rev;
    for (std::size_t i = env.size(); i-- > 0;) rev.push_back(i);
    PermutationOptions opt;
    opt.seed = 1;
    opt.threads = 1;
    auto const a = mantel(veg, env, "veg", "env", MantelMethod::pearson, opt);
    opt.threads = 2;
    auto const b = mantel(veg, env.subset(rev), "veg", "env", MantelMethod::pearson, opt);
    EXPECT_NEAR(a.test_statistic, b.test_statistic, 1e-14);
    EXPECT_EQ(a.p_value, b.p_value);
}

TEST(Mantel, DifferentSamplesAreAnError) {
    DistanceMatrix x({"a", "b", "c"}), y({"a", "b", "d"});
    try {
        mantel(x, y, "x.tsv", "y.tsv", MantelMethod::pearson, {});
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()),
                  "y.tsv: the two distance matrices hold different samples: only in x.tsv: 'c'; only in y.tsv: 'd'");
    }
}

}  // namespace
}  // namespace orbiome::ecology
