// PERMDISP against scikit-bio 0.5.8 permdisp and vegan 2.6-4 betadisper (frozen in tests/parity).
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/permdisp.hpp"
#include "support/paths.hpp"
#include "support/reference.hpp"

namespace orbiome::ecology {
namespace {

using orbiome::testing::test_data;
using orbiome::testing::ref_value;
using orbiome::testing::expect_p_close;

// Centroids are exact; geometric medians are iterative and the peers stop earlier than we do.
constexpr double kCentroidRel = 1e-9;
constexpr double kMedianRel = 1e-5;

TEST(Permdisp, MovingPicturesMatchesScikitBio) {
    std::string const dir = "../parity/skbio_community/moving_pictures/";
    auto const dm = read_distance_matrix(test_data(dir + "dm.tsv"));
    auto const md = io::read_metadata(test_data(dir + "mf.tsv"));
    for (auto centre : {DispersionCentre::centroid, DispersionCentre::median}) {
        bool const med = centre == DispersionCentre::median;
        std::string const ref = test_data(dir + (med ? "permdisp_bodysite_median.tsv" : "permdisp_bodysite_centroid.tsv"));
        PermdispOptions opt;
        opt.centre = centre;
        opt.permutation.seed = 17;
        opt.permutation.permutations = med ? 199 : 999;  // medians cost an iteration per group per permutation
        auto const r = permdisp(dm, "dm.tsv", md, "BodySite", opt);
        double const want = ref_value(ref, "test_statistic");
        EXPECT_NEAR(r.test_statistic, want, (med ? kMedianRel : kCentroidRel) * want) << ref;
        expect_p_close(r.p_value, ref_value(ref, "p_value"), opt.permutation.permutations, ref);
    }
}

TEST(Permdisp, DuneManagementMatchesVeganBetadisper) {
    std::string const dir = "../parity/vegan_community/dune/";
    auto const dm = read_distance_matrix(test_data(dir + "bray.tsv"));
    auto const md = io::read_metadata(test_data(dir + "env.tsv"));
    for (auto centre : {DispersionCentre::centroid, DispersionCentre::median}) {
        bool const med = centre == DispersionCentre::median;
        std::string const ref = test_data(dir + (med ? "betadisper_median.tsv" : "betadisper_centroid.tsv"));
        PermdispOptions opt;
        opt.flavour = PermdispFlavour::vegan;
        opt.centre = centre;
        opt.permutation.seed = 23;
        opt.permutation.threads = 2;
        auto const r = permdisp(dm, "bray.tsv", md, "Management", opt);
        double const want = ref_value(ref, "F");
        EXPECT_NEAR(r.test_statistic, want, (med ? kMedianRel : kCentroidRel) * want) << ref;
        expect_p_close(r.p_value, ref_value(ref, "p_value"), 999, ref);
        opt.permutation.threads = 1;
        EXPECT_EQ(permdisp(dm, "bray.tsv", md, "Management", opt).p_value, r.p_value);
    }
}

TEST(Permdisp, GeometricMedianOfASquareAndAPointMass) {
    Eigen::MatrixXd sq(4, 2);
    sq << 0, 0, 2, 0, 0, 2, 2, 2;
    EXPECT_NEAR((geometric_median(sq) - Eigen::Vector2d(1, 1)).norm(), 0.0, 1e-12);
    // Three points at the origin outweigh two elsewhere: the median is the origin (Vardi–Zhang).
    Eigen::MatrixXd mass(5, 2);
    mass << 0, 0, 0, 0, 0, 0, 1, 0, 0, 1;
    EXPECT_NEAR(geometric_median(mass).norm(), 0.0, 1e-10);
}

TEST(Permdisp, SingleSampleGroupIsAnError) {
    DistanceMatrix dm({"a", "b", "c"});
    dm.set(0, 1, 0.5);
    dm.set(0, 2, 0.5);
    dm.set(1, 2, 0.5);
    try {
        permdisp(dm, {0, 0, 1}, {});
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("group 2 has a single sample"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace orbiome::ecology
