// LEfSe resampling parity without ../shared: Debian lefse 1.1.2 (lefse_format_input.py -c 1 -u 2
// -o 1000000, then lefse_run.py with all defaults) on the RR-5 fecal genus table, Time=final,
// class Treatment (5 classes, 60 samples), frozen in tests/parity/lefse/rr5_genus_treatment.
// 32 (feature, class) cells get LEfSe's jitter here, so this checks the shared Python random
// stream (jitter draws, then 30 bootstrap subsets), the feature and sample order and MASS::lda.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "diffabund/diff.hpp"
#include "frozen.hpp"

using namespace orbiome;
using namespace orbiome::diffabund;
using orbiome::testing::Rr5Genus;

namespace {

// Largest |LDA| difference accepted: measured 4.4e-16; the rest is floating-point slack for
// other compilers and Eigen versions (R uses LAPACK's SVD).
constexpr double kLdaTolerance = 1e-9;
constexpr double kPTolerance = 1e-9;  // relative, KW p against R's kruskal.test

DiffResult run_case(std::uint64_t seed) {
    Rr5Genus const ref;
    orbiome::testing::TempDir dir;
    {
        // LEfSe's input names each sample's id as its subject (-u 2): samples ordered by class, id.
        std::ofstream md(dir.file("md.tsv"));
        md << "sample-id\tTreatment\tTime\tsubject\n";
        for (auto const& s : ref.samples) md << s << "\t" << ref.treatment.at(s) << "\t" << ref.time.at(s) << "\t" << s << "\n";
    }
    auto const& t = orbiome::testing::rr5_tables().t;
    DesignSpec spec;
    spec.group = "Treatment";
    spec.where = {{"Time", "final"}};
    spec.subject = "subject";
    auto d = make_design(t, "genus_counts.tsv", io::read_metadata(dir.file("md.tsv")), spec);
    DiffOptions o;
    o.method = DiffMethod::lefse;
    o.lefse.seed = seed;
    o.n_threads = 2;
    return run_diff(t, d, o);
}

}  // namespace

TEST(LefseResampling, Rr5GenusTreatmentEqualsLefseRunExactly) {
    auto const r = run_case(1982);
    auto const ref = orbiome::testing::read_lefse_res(
        orbiome::testing::test_data("../parity/lefse/rr5_genus_treatment/lefse_run.res"));
    ASSERT_EQ(r.rows.size(), ref.size());
    std::size_t n_disc = 0, n_passed = 0;
    double max_diff = 0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        auto const& row = r.rows[i];
        EXPECT_EQ(orbiome::testing::lefse_name(row.feature), ref[i].feature);
        EXPECT_EQ(row.extra, ref[i].cls) << ref[i].feature;
        if (ref[i].kw_p != "-") {
            ++n_passed;
            EXPECT_TRUE(orbiome::testing::rel_near(row.p_value, std::stod(ref[i].kw_p), kPTolerance)) << ref[i].feature;
        }
        if (ref[i].cls.empty()) continue;
        ++n_disc;
        double const diff = std::abs(row.effect - std::stod(ref[i].lda));
        max_diff = std::max(max_diff, diff);
        EXPECT_LE(diff, kLdaTolerance) << ref[i].feature << ": ours " << row.effect << ", lefse " << ref[i].lda;
    }
    EXPECT_EQ(n_disc, 30u);
    EXPECT_EQ(n_passed, 38u);
    RecordProperty("max_abs_lda_diff", std::to_string(max_diff));
}

TEST(LefseResampling, SeedIsPythonsRandomSeed) {
    // Another seed moves some LDA scores (LEfSe's own resampling noise), so the seed is used.
    auto const a = run_case(1982), b = run_case(7);
    double max_diff = 0;
    for (std::size_t i = 0; i < a.rows.size(); ++i) max_diff = std::max(max_diff, std::abs(a.rows[i].effect - b.rows[i].effect));
    EXPECT_GT(max_diff, 1e-3);
}
