// assoc on the real paired microbiome-metabolome data of Kang et al. 2017 (copied into
// tests/data/diffabund/kang), against frozen scipy.stats.spearmanr and R cor.test / p.adjust
// (tests/parity/scipy/kang_autism), plus blocking and bad-input cases.
#include <cmath>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "diffabund/assoc.hpp"
#include "io/metadata.hpp"
#include "unit/diffabund/frozen.hpp"

using namespace orbiome;
using namespace orbiome::diffabund;
using orbiome::testing::read_rows;
using orbiome::testing::rel_near;
using orbiome::testing::test_data;

namespace {

constexpr double kTol = 1e-9;

// genera.counts.tsv has samples as rows: read it as a matrix and transpose into a table.
table::FeatureTable kang_table() {
    auto m = read_numeric_matrix(test_data("diffabund/kang/genera.counts.tsv"));
    std::vector<double> dense(m.values.size());
    std::size_t const ns = m.row_ids.size(), nf = m.col_ids.size();
    for (std::size_t s = 0; s < ns; ++s)
        for (std::size_t f = 0; f < nf; ++f) dense[f * ns + s] = m.at(s, f);
    return table::FeatureTable::from_dense(m.col_ids, m.row_ids, dense);
}

struct Kang {
    table::FeatureTable t = kang_table();
    io::Metadata md = io::read_metadata(test_data("diffabund/kang/metadata.tsv"));
    NumericMatrix mtb = read_numeric_matrix(test_data("diffabund/kang/mtb.tsv"));
    std::vector<std::map<std::string, std::string>> ref =
        read_rows(test_data("../parity/scipy/kang_autism/kang_genus_metabolite.tsv"));
};

Kang const& kang() {
    static Kang const k;
    return k;
}

std::map<std::pair<std::string, std::string>, AssocRow> by_pair(AssocResult const& r) {
    std::map<std::pair<std::string, std::string>, AssocRow> m;
    for (auto const& row : r.rows) m[{row.feature, row.variable}] = row;
    return m;
}

}  // namespace

TEST(Assoc, SpearmanMatchesScipyAndBhOverAllPairs) {
    auto const& k = kang();
    AssocSpec spec;
    spec.n_threads = 2;
    auto r = associate(k.t, "genera.counts.tsv", k.md, &k.mtb, spec);
    EXPECT_EQ(r.rows.size(), 18939u);  // 321 genera x 59 non-constant metabolites
    EXPECT_EQ(r.n_untested, 0u);
    auto m = by_pair(r);
    ASSERT_EQ(k.ref.size(), 440u);
    for (auto const& e : k.ref) {
        auto const& row = m.at({e.at("feature"), e.at("variable")});
        EXPECT_EQ(row.n, 44u);
        EXPECT_TRUE(rel_near(row.coefficient, std::stod(e.at("rho")), kTol)) << e.at("feature") << " " << e.at("variable");
        EXPECT_TRUE(rel_near(row.p_value, std::stod(e.at("p")), kTol)) << e.at("feature") << " " << e.at("variable");
        EXPECT_TRUE(rel_near(row.q_value, std::stod(e.at("q_all_pairs")), kTol)) << e.at("feature");
    }
}

TEST(Assoc, PearsonAndPartialGivenAgeMatchR) {
    auto const& k = kang();
    AssocSpec spec;
    spec.method = CorrelationMethod::pearson;
    auto plain = by_pair(associate(k.t, "genera.counts.tsv", k.md, &k.mtb, spec));
    spec.covariates = {"Age"};
    auto partial = by_pair(associate(k.t, "genera.counts.tsv", k.md, &k.mtb, spec));
    for (auto const& e : k.ref) {
        std::pair<std::string, std::string> key{e.at("feature"), e.at("variable")};
        EXPECT_TRUE(rel_near(plain.at(key).coefficient, std::stod(e.at("pearson_r")), kTol));
        EXPECT_TRUE(rel_near(plain.at(key).p_value, std::stod(e.at("pearson_p")), kTol));
        EXPECT_TRUE(rel_near(partial.at(key).coefficient, std::stod(e.at("partial_age_r")), kTol));
        EXPECT_TRUE(rel_near(partial.at(key).p_value, std::stod(e.at("partial_age_p")), kTol));
    }
}

TEST(Assoc, BlockingByUniqueSubjectsChangesNothingAndDuplicatesDoNotCount) {
    auto const& k = kang();
    AssocSpec spec;
    auto plain = associate(k.t, "genera.counts.tsv", k.md, &k.mtb, spec);
    spec.subject = "Subject";  // one sample per subject here: blocking is the identity
    auto blocked = associate(k.t, "genera.counts.tsv", k.md, &k.mtb, spec);
    ASSERT_EQ(plain.rows.size(), blocked.rows.size());
    for (std::size_t i = 0; i < plain.rows.size(); i += 97) {
        EXPECT_EQ(plain.rows[i].coefficient, blocked.rows[i].coefficient);
        EXPECT_EQ(plain.rows[i].p_value, blocked.rows[i].p_value);
    }
    // Three identical copies of each sample under one subject: blocked n and result are the
    // originals'; unblocked, the copies would triple n and shrink p.
    orbiome::testing::TempDir dir;
    std::vector<std::string> ids{"a", "b", "c", "d", "e"};
    std::vector<double> f1{1, 5, 2, 8, 3}, f2{4, 1, 3, 1, 2}, y{0.5, 2.5, 0.7, 3.1, 1.1};
    std::vector<std::string> sids;
    std::vector<double> dense;
    {
        std::ofstream md(dir.file("md.tsv"));
        std::ofstream var(dir.file("y.tsv"));
        md << "sample-id\tmouse\n";
        var << "id\ty\n";
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (int c = 0; c < 3; ++c) {
                std::string s = ids[i] + std::to_string(c);
                sids.push_back(s);
                md << s << "\t" << ids[i] << "\n";
                var << s << "\t" << y[i] << "\n";
            }
    }
    std::vector<double> rows;
    for (auto const* f : {&f1, &f2})
        for (double v : *f)
            for (int c = 0; c < 3; ++c) rows.push_back(v);
    auto t = table::FeatureTable::from_dense({"f1", "f2"}, sids, rows);
    auto md = io::read_metadata(dir.file("md.tsv"));
    auto yv = read_numeric_matrix(dir.file("y.tsv"));
    AssocSpec s;
    s.subject = "mouse";
    auto r = associate(t, "t", md, &yv, s);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].n, 5u);
    std::vector<double> rel1, rel2;
    for (std::size_t i = 0; i < 5; ++i) {
        rel1.push_back(f1[i] / (f1[i] + f2[i]));
        rel2.push_back(f2[i] / (f1[i] + f2[i]));
    }
    auto expect = spearman(rel1, y);
    EXPECT_DOUBLE_EQ(r.rows[0].coefficient, expect.coefficient);
    EXPECT_DOUBLE_EQ(r.rows[0].p_value, expect.p_value);
    s.subject.clear();
    EXPECT_EQ(associate(t, "t", md, &yv, s).rows[0].n, 15u);
}

TEST(Assoc, MissingValuesAreDroppedPerPair) {
    orbiome::testing::TempDir dir;
    std::ofstream(dir.file("md.tsv")) << "sample-id\tbmd\tage\nA\t1.0\t3\nB\tNaN\t4\nC\t2.5\t5\nD\t0.5\tNA\nE\t3.0\t7\nF\t2.0\t8\n";
    auto t = table::FeatureTable::from_dense({"f1", "f2"}, {"A", "B", "C", "D", "E", "F"},
                                             {1, 2, 3, 4, 5, 6, 6, 2, 4, 1, 3, 2});
    AssocSpec s;
    s.vars = {"bmd", "age"};
    auto r = associate(t, "t.tsv", io::read_metadata(dir.file("md.tsv")), nullptr, s);
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[0].variable, "bmd");
    EXPECT_EQ(r.rows[0].n, 5u);
    EXPECT_EQ(r.rows[1].n, 5u);
    for (auto const& row : r.rows) EXPECT_FALSE(std::isnan(row.p_value) || std::isnan(row.coefficient));
}

TEST(AssocErrors, ConstantPhenotypeIsAnErrorNamingIt) {
    orbiome::testing::TempDir dir;
    std::ofstream(dir.file("md.tsv")) << "sample-id\tbmd\nA\t2\nB\t2\nC\tNA\nD\t2\n";
    auto t = table::FeatureTable::from_dense({"f1", "f2"}, {"A", "B", "C", "D"}, {1, 2, 3, 4, 5, 6, 7, 8});
    AssocSpec s;
    s.vars = {"bmd"};
    try {
        associate(t, "t.tsv", io::read_metadata(dir.file("md.tsv")), nullptr, s);
        FAIL() << "expected ParseError";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("md.tsv: variable 'bmd' is constant (2) in all 4 samples"), std::string::npos)
            << e.what();
    }
}

TEST(AssocErrors, NonOverlappingIdsNameBothFiles) {
    orbiome::testing::TempDir dir;
    std::ofstream(dir.file("mtb.tsv")) << "id\tlactate\nX1\t1.5\nX2\t2.5\n";
    std::ofstream(dir.file("md.tsv")) << "sample-id\tg\nA\tx\nB\ty\n";
    auto t = table::FeatureTable::from_dense({"f1"}, {"A", "B"}, {1, 2});
    auto with = read_numeric_matrix(dir.file("mtb.tsv"));
    try {
        associate(t, "t.tsv", io::read_metadata(dir.file("md.tsv")), &with, AssocSpec{});
        FAIL() << "expected ParseError";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("mtb.tsv: no row or column id matches a sample id of t.tsv (ids here: X1, X2; "
                                             "samples there: A, B)"),
                  std::string::npos)
            << e.what();
    }
}

TEST(AssocErrors, NonNumericCellNamesFileAndLine) {
    orbiome::testing::TempDir dir;
    std::ofstream(dir.file("mtb.tsv")) << "id\tlactate\nA\t1.5\nB\thigh\n";
    try {
        read_numeric_matrix(dir.file("mtb.tsv"));
        FAIL() << "expected ParseError";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("mtb.tsv:3"), std::string::npos) << e.what();
    }
}
