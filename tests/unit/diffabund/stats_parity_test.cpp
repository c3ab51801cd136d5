// Statistics primitives against frozen R 4.2.2 and scipy 1.10.1 results on the RR-5 fecal
// genus table (tests/parity/r_stats/rr5_genus, tests/parity/scipy/rr5_genus).
#include <gtest/gtest.h>

#include "diffabund/stats.hpp"
#include "unit/diffabund/frozen.hpp"

using namespace orbiome::diffabund;
using orbiome::testing::read_rows;
using orbiome::testing::rel_near;
using orbiome::testing::Rr5Genus;
using orbiome::testing::test_data;

namespace {

constexpr double kTol = 1e-9;

Rr5Genus const& rr5() {
    static Rr5Genus const data;
    return data;
}

std::string parity(std::string const& rel) { return test_data("../parity/" + rel); }

void check_wilcoxon(std::string const& file, std::vector<std::size_t> x_idx, std::vector<std::size_t> y_idx,
                    std::size_t expect_exact, std::size_t expect_normal) {
    auto const& d = rr5();
    auto rows = read_rows(parity("r_stats/rr5_genus/" + file));
    ASSERT_FALSE(rows.empty());
    RankSumDistribution cache(x_idx.size(), y_idx.size());
    std::vector<double> p;
    std::size_t n_exact = 0, n_normal = 0;
    for (auto const& row : rows) {
        std::size_t f = d.feature(row.at("feature"));
        auto r = wilcoxon_rank_sum(d.values(f, x_idx), d.values(f, y_idx), &cache);
        ASSERT_TRUE(r.tested);
        EXPECT_EQ(r.exact, row.at("exact") == "1") << row.at("feature");
        (r.exact ? n_exact : n_normal)++;
        EXPECT_TRUE(rel_near(r.statistic, std::stod(row.at("W")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.p_value, std::stod(row.at("p")), kTol)) << row.at("feature");
        p.push_back(r.p_value);
    }
    auto q = bh_adjust(p);
    for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_TRUE(rel_near(q[i], std::stod(rows[i].at("q")), kTol));
    EXPECT_EQ(n_exact, expect_exact);
    EXPECT_EQ(n_normal, expect_normal);
}

}  // namespace

TEST(StatsParityR, WilcoxonIssVsIssGroundFinalBothBranches) {
    auto const& d = rr5();
    check_wilcoxon("wilcoxon_iss_vs_issg_final.tsv", d.where("final", {"ISS"}), d.where("final", {"ISS_G"}), 66, 28);
}

TEST(StatsParityR, WilcoxonSmallGroupsThreeVsFour) {
    auto const& d = rr5();
    auto x = d.where("final", {"ISS"}), y = d.where("final", {"ISS_G"});
    check_wilcoxon("wilcoxon_small_3v4.tsv", {x.begin(), x.begin() + 3}, {y.begin(), y.begin() + 4}, 78, 15);
}

TEST(StatsParityR, WilcoxonFiftyVsFiftyUsesNormalApproximation) {
    auto const& d = rr5();
    check_wilcoxon("wilcoxon_flight50_vs_ground50.tsv", d.where("", {"ISS", "LAR"}), d.where("", {"ISS_G", "LAR_G"}),
                   0, 96);
}

TEST(StatsParityR, WelchT) {
    auto const& d = rr5();
    auto x = d.where("final", {"ISS"}), y = d.where("final", {"ISS_G"});
    auto rows = read_rows(parity("r_stats/rr5_genus/welch_iss_vs_issg_final.tsv"));
    ASSERT_EQ(rows.size(), 94u);
    for (auto const& row : rows) {
        std::size_t f = d.feature(row.at("feature"));
        auto r = welch_t(d.values(f, x), d.values(f, y));
        ASSERT_TRUE(r.tested) << row.at("feature");
        EXPECT_TRUE(rel_near(r.statistic, std::stod(row.at("t")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.df, std::stod(row.at("df")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.p_value, std::stod(row.at("p")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.se, std::stod(row.at("se")), kTol)) << row.at("feature");
    }
}

TEST(StatsParityR, KruskalWallisFiveTreatmentsAtFinal) {
    auto const& d = rr5();
    std::vector<std::string> const levels{"ISS", "ISS_G", "LAR", "LAR_G", "baseline"};
    auto idx = d.where("final", levels);
    ASSERT_EQ(idx.size(), 60u);
    std::vector<std::size_t> group;
    for (auto s : idx)
        group.push_back(static_cast<std::size_t>(
            std::find(levels.begin(), levels.end(), d.treatment.at(d.samples[s])) - levels.begin()));
    auto rows = read_rows(parity("r_stats/rr5_genus/kruskal_treatment_final.tsv"));
    ASSERT_FALSE(rows.empty());
    std::vector<double> p;
    for (auto const& row : rows) {
        auto r = kruskal_wallis(d.values(d.feature(row.at("feature")), idx), group);
        ASSERT_TRUE(r.tested);
        EXPECT_EQ(r.df, 4.0);
        EXPECT_TRUE(rel_near(r.statistic, std::stod(row.at("H")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.p_value, std::stod(row.at("p")), kTol)) << row.at("feature");
        p.push_back(r.p_value);
    }
    auto q = bh_adjust(p);
    for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_TRUE(rel_near(q[i], std::stod(rows[i].at("q")), kTol));
}

TEST(StatsParityR, PearsonAndPartialVsLactobacillus) {
    auto const& d = rr5();
    auto idx = d.where("final", {"ISS", "ISS_G", "LAR", "LAR_G", "baseline"});
    std::string const lacto = "Bacteria;Firmicutes;Bacilli;Lactobacillales;Lactobacillaceae;Lactobacillus";
    auto y = d.values(d.feature(lacto), idx);
    std::vector<double> cov;
    for (auto const* g : {"Bacteria;Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides",
                          "Bacteria;Verrucomicrobia;Verrucomicrobiae;Verrucomicrobiales;Akkermansiaceae;Akkermansia"}) {
        auto v = d.values(d.feature(g), idx);
        cov.insert(cov.end(), v.begin(), v.end());
    }
    auto rows = read_rows(parity("r_stats/rr5_genus/pearson_vs_lactobacillus_final.tsv"));
    ASSERT_EQ(rows.size(), 96u);
    std::vector<double> p;
    for (auto const& row : rows) {
        auto x = d.values(d.feature(row.at("feature")), idx);
        auto r = pearson(x, y);
        ASSERT_TRUE(r.tested);
        EXPECT_EQ(r.n, 60u);
        EXPECT_TRUE(rel_near(r.coefficient, std::stod(row.at("r")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.statistic, std::stod(row.at("t")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.p_value, std::stod(row.at("p")), kTol)) << row.at("feature");
        p.push_back(r.p_value);
        auto pr = partial_correlation(x, y, cov, 2, CorrelationMethod::pearson);
        if (row.at("feature").ends_with(";Bacteroides") || row.at("feature").ends_with(";Akkermansia")) {
            EXPECT_FALSE(pr.tested);  // x is a covariate: R reports rounding noise, we report not tested
            continue;
        }
        ASSERT_TRUE(pr.tested) << row.at("feature");
        EXPECT_EQ(pr.df, 56.0);
        EXPECT_TRUE(rel_near(pr.coefficient, std::stod(row.at("partial_r")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(pr.p_value, std::stod(row.at("partial_p")), kTol)) << row.at("feature");
    }
    auto q = bh_adjust(p);
    for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_TRUE(rel_near(q[i], std::stod(rows[i].at("q")), kTol));
}

TEST(StatsParityScipy, SpearmanVsLactobacillus) {
    auto const& d = rr5();
    auto idx = d.where("final", {"ISS", "ISS_G", "LAR", "LAR_G", "baseline"});
    auto y = d.values(d.feature("Bacteria;Firmicutes;Bacilli;Lactobacillales;Lactobacillaceae;Lactobacillus"), idx);
    auto rows = read_rows(parity("scipy/rr5_genus/spearman_vs_lactobacillus_final.tsv"));
    ASSERT_EQ(rows.size(), 96u);
    for (auto const& row : rows) {
        auto r = spearman(d.values(d.feature(row.at("feature")), idx), y);
        ASSERT_TRUE(r.tested);
        EXPECT_TRUE(rel_near(r.coefficient, std::stod(row.at("rho")), kTol)) << row.at("feature");
        EXPECT_TRUE(rel_near(r.p_value, std::stod(row.at("p")), kTol)) << row.at("feature");
    }
}
