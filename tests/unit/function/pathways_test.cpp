// Unit checks of the pathway arithmetic against the cases HUMAnN 3.9's own tests state
// (basic_tests_quantify_modules.py: gap fill; chi2cdf against the closed form for even df).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "function/genefamilies.hpp"
#include "function/pathways.hpp"

using namespace orbiome::function;
using Scores = std::map<std::string, double>;

TEST(GapFill, NoGapRaisesTheLowestKeyReactionToTheSecondLowest) {
    EXPECT_EQ(gap_fill({"A", "B"}, {{"A", 1}, {"B", 2}}), (Scores{{"A", 2}, {"B", 2}}));
    EXPECT_EQ(gap_fill({"A", "B"}, {{"A", 1}, {"B", 2}, {"E", 0.1}}), (Scores{{"A", 2}, {"B", 2}, {"E", 0.1}}));
}

TEST(GapFill, OneGapTakesTheMinimumNonZeroKeyScore) {
    EXPECT_EQ(gap_fill({"A", "B", "C", "D", "E"}, {{"A", 1}, {"B", 2}, {"C", 2}, {"D", 1}}),
              (Scores{{"A", 1}, {"B", 2}, {"C", 2}, {"D", 1}, {"E", 1}}));
}

TEST(GapFill, TwoGapsOrTiedLowestLeaveScoresAlone) {
    Scores const s{{"A", 1}, {"B", 2}, {"C", 2}, {"D", 1}};
    EXPECT_EQ(gap_fill({"A", "B", "C", "D", "E", "G"}, s), s);
    Scores const tied{{"A", 1}, {"B", 2}, {"C", 2}, {"D", 0.1}, {"E", 0.1}};
    EXPECT_EQ(gap_fill({"A", "B", "C", "D", "E"}, tied), tied);
}

TEST(Chi2Cdf, MatchesTheClosedFormForEvenDegreesOfFreedom) {
    // P(chi2_2 <= x) = 1 - exp(-x/2); P(chi2_4 <= x) = 1 - exp(-x/2)(1 + x/2).
    for (double x : {0.1, 1.0, 3.5, 10.0, 40.0}) {
        EXPECT_NEAR(humann_chi2cdf(x, 2.0), 1 - std::exp(-x / 2), 1e-12) << x;
        EXPECT_NEAR(humann_chi2cdf(x, 4.0), 1 - std::exp(-x / 2) * (1 + x / 2), 1e-12) << x;
    }
    EXPECT_EQ(humann_chi2cdf(0.0, 3.0), 0.0);
}

namespace {
std::string write_tmp(std::string const& name, std::string const& text) {
    auto const p = std::filesystem::temp_directory_path() / ("orbiome_function_" + name);
    std::ofstream(p) << text;
    return p.string();
}
}  // namespace

TEST(Pathways, StructureAndAbundanceFollowHumannRules) {
    auto const rxn = write_tmp("rxn.tsv", "R1\t1.1.1.1\tG1\nR2\t1.1.1.2\tG2\nR3\t1.1.1.3\tG3\nR4\t1.1.1.4\tG4\n");
    // ( R1 , R2 ) is an OR; R3 is key; -R4 optional.
    auto const pwy = write_tmp("pwy.tsv", "P1\t ( R1 , R2 ) R3 -R4\n");
    auto const rm = read_reaction_map(rxn);
    auto const db = read_pathways(pwy, rm);
    ASSERT_TRUE(db.structured);
    ASSERT_EQ(db.pathways.size(), 1u);
    auto const& p = db.pathways[0];
    EXPECT_EQ(p.key, (std::vector<std::string>{"R1", "R2", "R3"}));
    // OR node = max(4, 2) = 4; AND of {4, R3 = 1} = 2 * 4 * 1 / 5 = 1.6; optional 8 > 1.6 joins.
    double const a = structured_value(p, {{"R1", 4}, {"R2", 2}, {"R3", 1}, {"R4", 8}}, false, 0);
    EXPECT_NEAR(a, 3.0 / (1.0 / 4 + 1.0 / 1 + 1.0 / 8), 1e-15);
    EXPECT_EQ(structured_value(p, {{"R1", 4}, {"R2", 2}}, false, 0), 0.0);
}

TEST(Pathways, UnbalancedParenthesesAreParseErrorsNamingTheLine) {
    auto const rxn = write_tmp("rxn2.tsv", "R1\t1.1.1.1\tG1\n");
    auto const pwy = write_tmp("pwy2.tsv", "P1\t ( R1 R2\nP2\t R1 ) R2 (\n");
    auto const rm = read_reaction_map(rxn);
    try {
        read_pathways(pwy, rm);
        FAIL() << "no error";
    } catch (orbiome::Error const& e) {
        EXPECT_NE(std::string(e.what()).find(":1"), std::string::npos) << e.what();
        EXPECT_EQ(e.code(), orbiome::Errc::data);
    }
}

TEST(GeneFamilies, ReferenceAnnotationsAsHumannReadsThem) {
    auto a = parse_reference("g1|k__Bacteria.g__Bacteroides.s__Bacteroides_dorei|UniRef90_X|UniRef50_Y|927");
    EXPECT_EQ(a.gene, "UniRef90_X");
    EXPECT_EQ(a.bug, "g__Bacteroides.s__Bacteroides_dorei");
    EXPECT_EQ(a.length, 927);
    a = parse_reference("UniRef90_X6L320|1413");
    EXPECT_EQ(a.gene, "UniRef90_X6L320");
    EXPECT_EQ(a.bug, "unclassified");
    EXPECT_EQ(a.length, 1413);
    // Old ChocoPhlAn ids (gi|...|ref|...): not the layout, so the whole id, unclassified, no length.
    a = parse_reference("gi|423242213|ref|NZ_JH724160.1|:1-9|357276|g__B.s__B_d|UniRef90_R|UniRef50_R|927");
    EXPECT_EQ(a.bug, "unclassified");
    EXPECT_EQ(a.length, 0);
}

TEST(GeneFamilies, SamReadWeightingAndCoverage) {
    // Two reads on a 100-nt gene: read 1 (50M, all matches) covers [1, 51), read 2 [41, 91):
    // union 90 % >= 50 %. Read 2 has a second equally good hit on gene B (covered 100 %), so its
    // weight splits 1/2 : 1/2. RPK_A = 1000/51 + 0.5 * 1000/51; RPK_B = 0.5 * 1000/(|60-50|+1).
    auto const sam = write_tmp("t.sam",
                               "@HD\tVN:1.0\n"
                               "r1\t0\tA1|k__B.g__G.s__S|UniRef90_A|UniRef50_A|100\t1\t42\t50M\t*\t0\t0\tACGT\tIIII\tMD:Z:50\n"
                               "r2\t0\tA1|k__B.g__G.s__S|UniRef90_A|UniRef50_A|100\t41\t42\t50M\t*\t0\t0\tACGT\tIIII\tMD:Z:50\n"
                               "r2\t256\tB1|k__B.g__H.s__T|UniRef90_B|UniRef50_B|60\t1\t42\t50M\t*\t0\t0\tACGT\tIIII\tMD:Z:50\n"
                               "r3\t4\t*\t0\t0\t*\t*\t0\t0\tACGT\tIIII\n");
    auto const g = quantify({{AlignmentInput::Kind::sam, sam}});
    EXPECT_EQ(g.unmapped, 1.0);
    EXPECT_NEAR(g.get("g__G.s__S", "UniRef90_A"), 1000.0 / 51 * 1.5, 1e-12);
    EXPECT_NEAR(g.get("all", "UniRef90_B"), 0.5 * 1000.0 / 11, 1e-12);
}

TEST(GeneFamilies, SamRecordWithoutMdIsAParseError) {
    auto const sam = write_tmp("nomd.sam", "r1\t0\tA|k__B.g__G.s__S|U|V|100\t1\t42\t50M\t*\t0\t0\tACGT\tIIII\tNM:i:0\n");
    try {
        quantify({{AlignmentInput::Kind::sam, sam}});
        FAIL() << "no error";
    } catch (orbiome::Error const& e) {
        EXPECT_NE(std::string(e.what()).find("MD:Z"), std::string::npos);
        EXPECT_EQ(e.code(), orbiome::Errc::data);
    }
}
