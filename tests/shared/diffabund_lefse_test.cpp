// LEfSe on its own HMP aerobiosis example (../shared/data/tables/lefse_hmp_aerobiosis), from the
// raw .txt with the subclass (body_site) and subject (subject_id) LEfSe's .in was made with:
//  - LDA scores, classes and KW p equal Debian lefse 1.1.2 lefse_run.py on the shipped .in
//    (tests/parity/lefse/hmp_aerobiosis/lefse_run_default.res) for its own seed 1982, and the
//    runs with Python's random reseeded 7 and 42 (lefse_lda_by_seed.tsv), to 1e-9;
//  - the same 51 discriminative features and classes as LEfSe's shipped results file (whose
//    LDA scores an older LEfSe computed; they differ from lefse 1.1.2 by up to 1.64).
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "diffabund/diff.hpp"
#include "io/metadata.hpp"
#include "support/paths.hpp"
#include "unit/diffabund/frozen.hpp"

using namespace orbiome;
using namespace orbiome::diffabund;
using orbiome::testing::lefse_name;
using orbiome::testing::split_tab;

namespace {

constexpr double kLdaTolerance = 1e-9;  // measured max 1.7e-14
constexpr double kPTolerance = 1e-9;    // relative

DiffResult run_hmp(int threads, std::uint64_t seed) {
    orbiome::testing::TempDir dir;
    std::ifstream in(orbiome::testing::shared_data("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt"));
    std::string line;
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) rows.push_back(split_tab(line));
    std::size_t const n = rows[0].size() - 1;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < n; ++i) ids.push_back("S" + std::to_string(i + 1));
    {
        std::ofstream md(dir.file("md.tsv"));
        md << "sample-id\t" << rows[0][0] << "\t" << rows[1][0] << "\t" << rows[2][0] << "\n";
        for (std::size_t i = 0; i < n; ++i)
            md << ids[i] << "\t" << rows[0][i + 1] << "\t" << rows[1][i + 1] << "\t" << rows[2][i + 1] << "\n";
    }
    std::vector<std::string> features;
    std::vector<double> dense;
    for (std::size_t r = 3; r < rows.size(); ++r) {
        features.push_back(rows[r][0]);
        for (std::size_t i = 1; i <= n; ++i) dense.push_back(std::stod(rows[r][i]));
    }
    auto t = table::FeatureTable::from_dense(features, ids, dense);
    DesignSpec spec;
    spec.group = "oxygen_availability";
    spec.subclass = "body_site";
    spec.subject = "subject_id";
    auto d = make_design(t, "hmp_small_aerobiosis.txt", io::read_metadata(dir.file("md.tsv")), spec);
    DiffOptions o;
    o.method = DiffMethod::lefse;
    o.lefse.seed = seed;
    o.n_threads = threads;
    return run_diff(t, d, o);
}

std::map<std::string, DiffRow const*> by_lefse_name(DiffResult const& r) {
    std::map<std::string, DiffRow const*> out;
    for (auto const& row : r.rows) out[lefse_name(row.feature)] = &row;
    return out;
}

}  // namespace

TEST(LefseParity, HmpAerobiosisEqualsLefseRunDefault) {
    ORBIOME_SHARED_OR_SKIP("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt");
    auto const r = run_hmp(2, 1982);
    EXPECT_EQ(r.rows.size(), 1091u);  // 928 given clades + 163 ancestors LEfSe adds
    auto const ours = by_lefse_name(r);
    auto const ref = orbiome::testing::read_lefse_res(
        orbiome::testing::test_data("../parity/lefse/hmp_aerobiosis/lefse_run_default.res"));
    ASSERT_EQ(ref.size(), 1091u);
    std::size_t n_disc = 0, n_ours = 0;
    for (auto const& row : r.rows) n_ours += !row.extra.empty();
    for (auto const& rr : ref) {
        ASSERT_TRUE(ours.count(rr.feature)) << rr.feature;
        auto const* row = ours.at(rr.feature);
        EXPECT_EQ(row->extra, rr.cls) << rr.feature;
        if (rr.kw_p != "-") {
            EXPECT_TRUE(orbiome::testing::rel_near(row->p_value, std::stod(rr.kw_p), kPTolerance)) << rr.feature;
        }
        if (rr.cls.empty()) continue;
        ++n_disc;
        EXPECT_NEAR(row->effect, std::stod(rr.lda), kLdaTolerance) << rr.feature;
    }
    EXPECT_EQ(n_disc, 51u);
    EXPECT_EQ(n_ours, 51u);
}

TEST(LefseParity, HmpAerobiosisOtherPythonSeedsEqualLefseReseeded) {
    ORBIOME_SHARED_OR_SKIP("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt");
    auto const frozen = orbiome::testing::read_rows(
        orbiome::testing::test_data("../parity/lefse/hmp_aerobiosis/lefse_lda_by_seed.tsv"));
    ASSERT_EQ(frozen.size(), 51u);
    for (std::uint64_t seed : {7, 42}) {
        auto const r = run_hmp(2, seed);
        auto const ours = by_lefse_name(r);
        double moved = 0;
        for (auto const& f : frozen) {
            auto const* row = ours.at(f.at("feature"));
            double const lda = std::stod(f.at("lda_seed" + std::to_string(seed)));
            EXPECT_NEAR(row->effect, lda, kLdaTolerance) << f.at("feature") << " seed " << seed;
            moved = std::max(moved, std::abs(lda - std::stod(f.at("lda_seed1982"))));
        }
        EXPECT_GT(moved, 0.05);  // the seed matters: LEfSe's own resampling noise
    }
}

TEST(LefseParity, HmpAerobiosisSameFeaturesAndClassesAsLefseShippedResults) {
    ORBIOME_SHARED_OR_SKIP("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.results");
    auto const r = run_hmp(1, 1982);
    auto const ours = by_lefse_name(r);
    std::ifstream res(orbiome::testing::shared_data("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.results"));
    std::string line;
    std::size_t n_ref = 0;
    while (std::getline(res, line)) {
        auto c = split_tab(line + "\t");
        ASSERT_TRUE(ours.count(c[0])) << c[0];
        EXPECT_EQ(ours.at(c[0])->extra, c[2]) << c[0];
        n_ref += !c[2].empty();
    }
    EXPECT_EQ(n_ref, 51u);
}

TEST(LefseParity, SameOutputForAnyThreadCount) {
    ORBIOME_SHARED_OR_SKIP("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt");
    auto a = run_hmp(1, 1982), b = run_hmp(2, 1982);
    std::ostringstream sa, sb;
    write_diff(a, sa);
    write_diff(b, sb);
    EXPECT_EQ(sa.str(), sb.str());
}
