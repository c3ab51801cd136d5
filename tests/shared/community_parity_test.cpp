// PERMANOVA, PCoA and Mantel on the original reference files in ../shared/data (vegan 2.6-4 and
// scikit-bio 0.5.8 test data), read in place.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "ecology/mantel.hpp"
#include "ecology/pcoa.hpp"
#include "ecology/permanova.hpp"
#include "io/metadata.hpp"
#include "support/paths.hpp"

namespace orbiome::ecology {
namespace {

using orbiome::testing::shared_data;

std::vector<std::vector<std::string>> rows_of(std::string const& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> r;
        for (auto f : split(line, '\t')) r.emplace_back(f);
        rows.push_back(r);
    }
    return rows;
}

// vegan 2.6-4 adonis2(bray ~ Management + A1) by="terms" and by="margin". Sequential SS add up to
// the total; marginal ones do not, which the test checks too (so the two files cannot be confused).
TEST(CommunityShared, VeganDuneAdonis2) {
    ORBIOME_SHARED_OR_SKIP("tables/vegan/ref_vegan_dune_adonis2_terms.tsv");
    auto const dm = read_distance_matrix(shared_data("tables/vegan/ref_vegan_dune_bray.tsv"));
    auto const md = io::read_metadata(shared_data("tables/vegan/vegan_dune_env.tsv"));
    for (auto [by, file] : {std::pair{PermanovaBy::terms, "ref_vegan_dune_adonis2_terms.tsv"},
                            std::pair{PermanovaBy::margin, "ref_vegan_dune_adonis2_margin.tsv"}}) {
        PermanovaOptions opt;
        opt.by = by;
        opt.seed = 8;
        auto const res = permanova(dm, "ref_vegan_dune_bray.tsv", md, "Management + A1", "", opt);
        auto const ref = rows_of(shared_data(std::string("tables/vegan/") + file));
        ASSERT_EQ(ref.size(), res.rows.size());
        double sum = 0;
        for (std::size_t r = 0; r + 1 < ref.size(); ++r) sum += std::stod(ref[r][2]);
        double const total = std::stod(ref.back()[2]);
        EXPECT_EQ(std::abs(sum - total) < 1e-9, by == PermanovaBy::terms) << file;
        for (std::size_t r = 0; r < ref.size(); ++r) {
            EXPECT_EQ(res.rows[r].term, ref[r][0]);
            EXPECT_EQ(static_cast<double>(res.rows[r].df), std::stod(ref[r][1]));
            for (auto [got, col] : {std::pair{res.rows[r].sum_sq, 2}, std::pair{res.rows[r].r2, 3}}) {
                double const want = std::stod(ref[r][static_cast<std::size_t>(col)]);
                EXPECT_NEAR(got, want, 1e-9 * want) << file << " " << ref[r][0];
            }
            if (ref[r].size() > 4 && !trim(ref[r][4]).empty()) {
                double const f = std::stod(ref[r][4]), p = std::stod(ref[r][5]);
                EXPECT_NEAR(res.rows[r].f, f, 1e-9 * f);
                // vegan's p here comes from 999 permutations too: allow both estimates' error.
                double const q = std::max(p, 1e-3);
                EXPECT_NEAR(res.rows[r].p_value, p, 4 * std::sqrt(2 * q * (1 - q) / 999)) << file << " " << ref[r][0];
            }
        }
    }
}

TEST(CommunityShared, MovingPicturesPcoaEigenvaluesSumToTrace) {
    ORBIOME_SHARED_OR_SKIP("tables/skbio/stats_distance_moving_pictures_dm.tsv");
    auto const dm = read_distance_matrix(shared_data("tables/skbio/stats_distance_moving_pictures_dm.tsv"));
    auto const res = pcoa(dm);
    // Frozen scikit-bio values (tests/parity/skbio_community/moving_pictures/pcoa_eigenvalues.tsv).
    auto const ref = rows_of(orbiome::testing::test_data("../parity/skbio_community/moving_pictures/pcoa_eigenvalues.tsv"));
    for (std::size_t a = 0; a < 3; ++a) EXPECT_NEAR(res.eigenvalues[a], std::stod(ref[a][1]), 1e-6 * std::stod(ref[a][1]));
    EXPECT_EQ(res.n_negative, 2u);
}

TEST(CommunityShared, ScikitBioMantelVegMatrices) {
    ORBIOME_SHARED_OR_SKIP("tables/skbio/stats_distance_mantel_veg_dm_vegan.txt");
    // The raw files are bare square matrices; scikit-bio's own test expects r = 0.3047454 there
    // (pearson) and this matches vegan's mantel on varespec/varechem.
    auto load = [](std::string const& rel) {
        std::ifstream in(shared_data(rel));
        std::vector<std::vector<double>> m;
        std::string line;
        while (std::getline(in, line)) {
            std::vector<double> r;
            for (auto f : split(line, '\t')) r.push_back(std::stod(std::string(f)));
            m.push_back(r);
        }
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < m.size(); ++i) ids.push_back("s" + std::to_string(i));
        DistanceMatrix dm(ids);
        for (std::size_t i = 0; i < m.size(); ++i)
            for (std::size_t j = i + 1; j < m.size(); ++j) dm.set(i, j, m[i][j]);
        return dm;
    };
    auto const veg = load("tables/skbio/stats_distance_mantel_veg_dm_vegan.txt");
    auto const env = load("tables/skbio/stats_distance_mantel_env_dm_vegan.txt");
    PermutationOptions opt;
    opt.permutations = 0;
    auto const r = mantel(veg, env, "veg", "env", MantelMethod::pearson, opt);
    EXPECT_NEAR(r.test_statistic, 0.3047454126979579, 1e-12);
}

}  // namespace
}  // namespace orbiome::ecology
