// ANOSIM against scikit-bio 0.5.8 and vegan 2.6-4 (frozen in tests/parity).
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/anosim.hpp"
#include "support/paths.hpp"
#include "support/reference.hpp"

namespace orbiome::ecology {
namespace {

using orbiome::testing::test_data;
using orbiome::testing::ref_value;
using orbiome::testing::expect_p_close;

TEST(Anosim, MovingPicturesMatchesScikitBio) {
    std::string const dir = "../parity/skbio_community/moving_pictures/";
    auto const dm = read_distance_matrix(test_data(dir + "dm.tsv"));
    auto const md = io::read_metadata(test_data(dir + "mf.tsv"));
    for (auto [col, ref] : {std::pair{"BodySite", "anosim_bodysite.tsv"}, std::pair{"Subject", "anosim_subject.tsv"}}) {
        PermutationOptions opt;
        opt.seed = 11;
        auto const r = anosim(dm, "dm.tsv", md, col, opt);
        double const want = ref_value(test_data(dir + ref), "test_statistic");
        EXPECT_NEAR(r.test_statistic, want, 1e-9 * std::abs(want)) << col;
        expect_p_close(r.p_value, ref_value(test_data(dir + ref), "p_value"), 999, col);
        EXPECT_EQ(r.number_of_groups, static_cast<std::size_t>(ref_value(test_data(dir + ref), "number_of_groups")));
    }
}

TEST(Anosim, DuneManagementMatchesVegan) {
    std::string const dir = "../parity/vegan_community/dune/";
    auto const dm = read_distance_matrix(test_data(dir + "bray.tsv"));
    auto const md = io::read_metadata(test_data(dir + "env.tsv"));
    PermutationOptions opt;
    opt.seed = 5;
    opt.threads = 2;
    auto const r = anosim(dm, "bray.tsv", md, "Management", opt);
    double const want = ref_value(test_data(dir + "anosim_management.tsv"), "R");
    EXPECT_NEAR(r.test_statistic, want, 1e-9 * want);
    expect_p_close(r.p_value, ref_value(test_data(dir + "anosim_management.tsv"), "p_value"), 999, "dune");
    opt.threads = 1;
    EXPECT_EQ(anosim(dm, "bray.tsv", md, "Management", opt).p_value, r.p_value);
}

TEST(Anosim, AverageRanksLikeScipy) {
    EXPECT_EQ(average_ranks({3.0, 1.0, 3.0, 2.0}), (std::vector<double>{3.5, 1.0, 3.5, 2.0}));
}

TEST(Anosim, GroupingErrors) {
    DistanceMatrix dm({"a", "b", "c"});
    EXPECT_THROW(anosim(dm, {0, 0, 0}, {}), ParseError);
    try {
        anosim(dm, {0, 1, 2}, {});
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("every sample is in a group of its own"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace orbiome::ecology
