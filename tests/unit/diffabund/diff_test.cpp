// diff library end to end on the frozen RR-5 genus table: design selection (--where, --compare),
// methods against the frozen R references, and bad designs.
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "diffabund/diff.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "unit/diffabund/frozen.hpp"

using namespace orbiome;
using namespace orbiome::diffabund;
using orbiome::testing::read_rows;
using orbiome::testing::rel_near;
using orbiome::testing::rr5_tables;
using orbiome::testing::test_data;

namespace {

std::string const kDir = test_data("../parity/r_stats/rr5_genus/");


DiffResult run(std::string const& method, DesignSpec spec, int threads = 1) {
    DiffOptions o;
    o.method = parse_method(method);
    o.n_threads = threads;
    auto d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, spec);
    return run_diff(rr5_tables().t, d, o);
}

DesignSpec iss_final() {
    DesignSpec s;
    s.group = "Treatment";
    s.where = {{"Time", "final"}};
    s.compare = std::pair<std::string, std::string>{"ISS", "ISS_G"};
    return s;
}

}  // namespace

TEST(Diff, WilcoxonIssVsGroundMatchesR) {
    auto r = run("wilcoxon", iss_final(), 2);
    auto ref = read_rows(kDir + "wilcoxon_iss_vs_issg_final.tsv");
    ASSERT_EQ(r.levels, (std::vector<std::string>{"ISS", "ISS_G"}));
    std::size_t matched = 0;
    for (auto const& row : r.rows) {
        if (!row.tested) continue;
        auto const& e = ref.at(matched++);
        ASSERT_EQ(row.feature, e.at("feature"));
        EXPECT_TRUE(rel_near(row.statistic, std::stod(e.at("W")), 1e-9));
        EXPECT_TRUE(rel_near(row.p_value, std::stod(e.at("p")), 1e-9));
        EXPECT_TRUE(rel_near(row.q_value, std::stod(e.at("q")), 1e-9));
    }
    EXPECT_EQ(matched, ref.size());
    EXPECT_EQ(r.n_untested, 0u);  // the 3 genera absent from all 20 samples are dropped, not reported
}

TEST(Diff, KruskalFiveTreatmentsMatchesR) {
    DesignSpec s;
    s.group = "Treatment";
    s.where = {{"Time", "final"}};
    auto r = run("kruskal", s);
    auto ref = read_rows(kDir + "kruskal_treatment_final.tsv");
    ASSERT_EQ(r.rows.size(), ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
        EXPECT_EQ(r.rows[i].feature, ref[i].at("feature"));
        EXPECT_TRUE(rel_near(r.rows[i].statistic, std::stod(ref[i].at("H")), 1e-9));
        EXPECT_TRUE(rel_near(r.rows[i].q_value, std::stod(ref[i].at("q")), 1e-9));
        EXPECT_GE(r.rows[i].effect, 0.0);
    }
}

TEST(Diff, WelchEffectIsLog2FoldChangeOfGroupMeans) {
    auto r = run("welch", iss_final());
    auto ref = read_rows(kDir + "welch_iss_vs_issg_final.tsv");
    std::size_t j = 0;
    for (auto const& row : r.rows) {
        if (!row.tested) continue;
        auto const& e = ref.at(j++);
        ASSERT_EQ(row.feature, e.at("feature"));
        EXPECT_TRUE(rel_near(row.statistic, std::stod(e.at("t")), 1e-9));
        EXPECT_TRUE(rel_near(row.p_value, std::stod(e.at("p")), 1e-9));
        EXPECT_NEAR(row.effect, std::log2((row.mean[0] + r.pseudocount) / (row.mean[1] + r.pseudocount)), 1e-12);
    }
    EXPECT_EQ(j, ref.size());
    // Lactobacillus: mean relative abundance in ISS is above ISS_G (Bedree et al. 2023).
    for (auto const& row : r.rows)
        if (row.feature.ends_with(";Lactobacillus")) {
            EXPECT_GT(row.effect, 0.0);
        }
}

TEST(Diff, ResultsDoNotDependOnThreads) {
    auto a = run("wilcoxon", iss_final(), 1), b = run("wilcoxon", iss_final(), 2);
    std::ostringstream sa, sb;
    write_diff(a, sa);
    write_diff(b, sb);
    EXPECT_EQ(sa.str(), sb.str());
    EXPECT_EQ(sa.str().find("nan"), std::string::npos);
}

TEST(DiffErrors, GroupWithOneSampleNamesTheGroup) {
    DesignSpec s = iss_final();
    s.where = {{"Time", "final"}, {"Cage", "213"}};  // cage 213 holds baseline mice only
    s.compare.reset();
    s.group = "SamID";
    try {
        run("wilcoxon", s);
        FAIL() << "expected ParseError";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("rr5_fecal_meta.tsv:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("has 1 sample; at least 2 are needed per group"), std::string::npos) << e.what();
    }
}

TEST(DiffErrors, ThreeGroupsForWilcoxonIsUsageError) {
    DesignSpec s = iss_final();
    s.compare.reset();
    try {
        run("wilcoxon", s);
        FAIL() << "expected UsageError";
    } catch (UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("compares two groups, but '5' levels are present"), std::string::npos) << e.what();
    }
}

TEST(DiffErrors, MissingGroupValueNamesColumnAndSamples) {
    orbiome::testing::TempDir dir;
    std::ofstream(dir.file("md.tsv")) << "sample-id\tgroup\nA\tx\nB\tNA\nC\ty\nD\ty\n";
    auto t = table::FeatureTable::from_dense({"f1", "f2"}, {"A", "B", "C", "D"}, {1, 2, 3, 4, 5, 6, 7, 8});
    DesignSpec s;
    s.group = "group";
    try {
        make_design(t, "t.tsv", io::read_metadata(dir.file("md.tsv")), s);
        FAIL() << "expected ParseError";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("md.tsv:3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("column 'group' is missing (NA/NaN/empty) for samples B"), std::string::npos)
            << e.what();
    }
}

TEST(Diff, RatioFirmicutesBacteroidetesByWelchAndWilcoxon) {
    DiffOptions o;
    o.method = DiffMethod::ratio;
    o.ratio = {"Firmicutes", "Bacteroidetes"};
    auto d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, iss_final());
    auto r = run_diff(rr5_tables().t, d, o);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].extra, "welch");
    EXPECT_EQ(r.rows[1].extra, "wilcoxon");
    EXPECT_EQ(r.rows[0].feature, "log2(Firmicutes/Bacteroidetes)");
    auto ref = read_rows(test_data("../parity/r_stats/rr5_fb_ratio/fb_ratio_iss_vs_issg_final.tsv"));
    ASSERT_EQ(ref.size(), 1u);
    EXPECT_TRUE(rel_near(r.rows[0].effect, std::stod(ref[0].at("effect")), 1e-9));
    EXPECT_TRUE(rel_near(r.rows[0].statistic, std::stod(ref[0].at("t")), 1e-9));
    EXPECT_TRUE(rel_near(r.rows[0].p_value, std::stod(ref[0].at("t_p")), 1e-9));
    EXPECT_TRUE(rel_near(r.rows[1].statistic, std::stod(ref[0].at("W")), 1e-9));
    EXPECT_TRUE(rel_near(r.rows[1].p_value, std::stod(ref[0].at("W_p")), 1e-9));
    o.ratio = {"Firmicutes", "Nonexistentia"};
    EXPECT_THROW(run_diff(rr5_tables().t, d, o), UsageError);
}

TEST(DiffFormula, EcologyParserGivesGroupThenCovariates) {
    DesignSpec spec;
    parse_formula("Treatment + Cage + Time", spec);
    EXPECT_EQ(spec.group, "Treatment");
    EXPECT_EQ(spec.covariates, (std::vector<std::string>{"Cage", "Time"}));
    parse_formula("~ Treatment", spec);  // R's leading ~, and the previous covariates cleared
    EXPECT_EQ(spec.group, "Treatment");
    EXPECT_TRUE(spec.covariates.empty());
    auto message = [](std::string const& f) {
        DesignSpec s;
        try {
            parse_formula(f, s);
        } catch (UsageError const& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("").find("empty formula"), std::string::npos);
    EXPECT_NE(message("Treatment + + Cage").find("formula 'Treatment + + Cage' has an empty term"), std::string::npos);
    EXPECT_NE(message("y ~ Treatment").find("has a response"), std::string::npos);
    // Interactions are model terms for linda and lm; the first term must be a main effect.
    EXPECT_EQ(message("Treatment*Cage"), "no error");
    EXPECT_NE(message("Treatment:Cage").find("the first term 'Treatment:Cage' is an interaction"), std::string::npos);
    DesignSpec full;
    parse_formula("Treatment*Cage + (1|SamID)", full);
    EXPECT_EQ(full.group, "Treatment");
    EXPECT_EQ(full.covariates, (std::vector<std::string>{"Cage"}));
    EXPECT_EQ(full.subject, "SamID");
    ASSERT_TRUE(full.formula);
    EXPECT_EQ(full.formula->terms.back().label(), "Treatment:Cage");
}
