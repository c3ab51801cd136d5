// PCoA against scikit-bio 0.5.8 (frozen in tests/parity/skbio_community).
#include <cmath>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/pcoa.hpp"
#include "support/paths.hpp"

namespace orbiome::ecology {
namespace {

using orbiome::testing::test_data;

std::vector<std::vector<std::string>> read_rows(std::string const& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::string line;
    std::getline(in, line);  // header
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> r;
        for (auto f : split(line, '\t')) r.emplace_back(f);
        rows.push_back(r);
    }
    return rows;
}

void check_against_skbio(std::string const& dir, std::string const& dm_file, std::size_t expect_negative) {
    auto const dm = read_distance_matrix(test_data(dir + dm_file));
    auto const res = pcoa(dm);
    EXPECT_EQ(res.n_negative, expect_negative) << dir;
    auto const eig = read_rows(test_data(dir + "pcoa_eigenvalues.tsv"));
    ASSERT_EQ(eig.size(), res.eigenvalues.size());
    for (std::size_t a = 0; a < eig.size(); ++a) {
        double const e = std::stod(eig[a][1]), p = std::stod(eig[a][2]);
        EXPECT_NEAR(res.eigenvalues[a], e, std::max(1e-6 * std::abs(e), 1e-12)) << dir << " axis " << a + 1;
        EXPECT_NEAR(res.proportion_explained[a], p, std::max(1e-6 * std::abs(p), 1e-12)) << dir << " axis " << a + 1;
    }
    auto const coords = read_rows(test_data(dir + "pcoa_coordinates.tsv"));
    ASSERT_EQ(coords.size(), dm.size());
    for (Eigen::Index a = 0; a < 3; ++a) {
        // Per-axis sign alignment: scikit-bio's signs come from LAPACK.
        double dot = 0;
        for (std::size_t i = 0; i < coords.size(); ++i)
            dot += res.coordinates(static_cast<Eigen::Index>(i), a) * std::stod(coords[i][static_cast<std::size_t>(a) + 1]);
        double const sign = dot < 0 ? -1.0 : 1.0;
        for (std::size_t i = 0; i < coords.size(); ++i) {
            EXPECT_EQ(coords[i][0], res.ids[i]);
            double const want = std::stod(coords[i][static_cast<std::size_t>(a) + 1]);
            EXPECT_NEAR(sign * res.coordinates(static_cast<Eigen::Index>(i), a), want, 1e-6 * std::max(1.0, std::abs(want)))
                << dir << " axis " << a + 1 << " sample " << coords[i][0];
        }
        // orbiome's own sign rule: the largest-magnitude coordinate is positive.
        Eigen::Index arg = 0;
        res.coordinates.col(a).cwiseAbs().maxCoeff(&arg);
        EXPECT_GT(res.coordinates(arg, a), 0.0);
    }
}

TEST(Pcoa, MovingPicturesMatchesScikitBio) {
    check_against_skbio("../parity/skbio_community/moving_pictures/", "dm.tsv", 2);
}

TEST(Pcoa, DuneBrayCurtisWithNegativeEigenvaluesMatchesScikitBio) {
    // Bray–Curtis is not Euclidean: scikit-bio zeroes the negative eigenvalues and their axes.
    auto const res = pcoa(read_distance_matrix(test_data("../parity/skbio_community/dune/bray_skbio.tsv")));
    EXPECT_GT(res.n_negative, 0u);
    EXPECT_LT(res.smallest_eigenvalue, -kZeroEigenvalue);
    check_against_skbio("../parity/skbio_community/dune/", "bray_skbio.tsv", res.n_negative);
    double sum = 0;
    for (double p : res.proportion_explained) sum += p;
    EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(Pcoa, EuclideanPointsAreRecovered) {
    // Four corners of a 3 x 4 rectangle: eigenvalues are n * variance along each side.
    DistanceMatrix dm({"a", "b", "c", "d"});
    double const pts[4][2] = {{0, 0}, {3, 0}, {0, 4}, {3, 4}};
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = i + 1; j < 4; ++j)
            dm.set(i, j, std::hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]));
    auto const res = pcoa(dm, 2);
    ASSERT_EQ(res.eigenvalues.size(), 2u);
    EXPECT_NEAR(res.eigenvalues[0], 16.0, 1e-12);  // 4 points * (2^2)
    EXPECT_NEAR(res.eigenvalues[1], 9.0, 1e-12);   // 4 points * (1.5^2)
    EXPECT_NEAR(res.proportion_explained[0], 16.0 / 25.0, 1e-12);
    for (Eigen::Index i = 0; i < 4; ++i) EXPECT_NEAR(std::abs(res.coordinates(i, 0)), 2.0, 1e-12);
}

TEST(Pcoa, TooManyDimensionsIsAUsageError) {
    DistanceMatrix dm({"a", "b"});
    dm.set(0, 1, 1.0);
    try {
        pcoa(dm, 3);
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("--dimensions 3 exceeds the number of samples (2)"), std::string::npos);
    }
}

}  // namespace
}  // namespace orbiome::ecology
