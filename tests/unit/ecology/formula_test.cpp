// Formula parsing and model matrices (R's model.matrix conventions).
#include <cmath>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ecology/formula.hpp"

namespace orbiome::ecology {
namespace {

io::Metadata small_metadata() {
    io::Metadata md;
    md.source = "md.tsv";
    md.sample_ids = {"s1", "s2", "s3", "s4"};
    md.sample_lines = {2, 3, 4, 5};
    md.columns = {"Group", "Age", "Site"};
    md.types = {io::ColumnType::categorical, io::ColumnType::numeric, io::ColumnType::categorical};
    md.values = {{"b", "a", "c", "a"}, {"1.5", "2", "NA", "4"}, {"x", "y", "x", "y"}};
    return md;
}

std::vector<std::string> labels(Formula const& f) {
    std::vector<std::string> out;
    for (auto const& t : f.terms) out.push_back(t.label());
    return out;
}

TEST(Formula, ExpandsAndOrdersLikeR) {
    EXPECT_EQ(labels(parse_formula("A + B")), (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(labels(parse_formula("~ A*B + C")), (std::vector<std::string>{"A", "B", "C", "A:B"}));
    EXPECT_EQ(labels(parse_formula("A:B + A + B:A")), (std::vector<std::string>{"A", "A:B"}));
    EXPECT_EQ(labels(parse_formula("A*B*C")),
              (std::vector<std::string>{"A", "B", "C", "A:B", "A:C", "B:C", "A:B:C"}));
}

TEST(Formula, SyntaxErrorsAreUsageErrors) {
    EXPECT_THROW(parse_formula(""), UsageError);
    EXPECT_THROW(parse_formula("A + + B"), UsageError);
    EXPECT_THROW(parse_formula("y ~ A"), UsageError);
    EXPECT_THROW(parse_formula("A:A"), UsageError);
    try {
        parse_formula("A + B*");
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_EQ(std::string(e.what()), "formula 'A + B*': a term ends with an operator");
    }
}

TEST(Formula, TreatmentContrastsWithSortedLevels) {
    auto const md = small_metadata();
    auto const mm = build_model_matrix(parse_formula("Group*Site"), md, {0, 1, 2, 3}, md.sample_ids);
    EXPECT_EQ(mm.column_labels, (std::vector<std::string>{"Groupb", "Groupc", "Sitey", "Groupb:Sitey", "Groupc:Sitey"}));
    Eigen::MatrixXd want(4, 5);
    want << 1, 0, 0, 0, 0,  //  b x
        0, 0, 1, 0, 0,      //  a y
        0, 1, 0, 0, 0,      //  c x
        0, 0, 1, 0, 0;      //  a y
    EXPECT_EQ(mm.x, want);
    EXPECT_EQ(mm.term_of_column, (std::vector<std::size_t>{0, 0, 1, 2, 2}));
}

TEST(Formula, UnknownColumnNamesFileAndListsColumns) {
    auto const md = small_metadata();
    try {
        build_model_matrix(parse_formula("Group + Sex"), md, {0, 1, 2, 3}, md.sample_ids);
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_EQ(std::string(e.what()), "md.tsv: no metadata column 'Sex'");
        EXPECT_EQ(e.hint(), "columns are: Group, Age, Site");
    }
}

TEST(Formula, MissingValuesNameColumnAndSamples) {
    auto const md = small_metadata();
    try {
        build_model_matrix(parse_formula("Age"), md, {0, 1, 2, 3}, md.sample_ids);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "md.tsv:4: column 'Age' has missing values (NA/NaN/empty) for samples: s3");
    }
    // Not an error when the sample with NA is not analysed.
    auto const mm = build_model_matrix(parse_formula("Age"), md, {0, 1, 3}, {"s1", "s2", "s4"});
    EXPECT_EQ(mm.x(2, 0), 4.0);
}

TEST(Formula, SingleLevelFactorIsAnError) {
    auto const md = small_metadata();
    EXPECT_THROW(build_model_matrix(parse_formula("Site"), md, {0, 2}, {"s1", "s3"}), ParseError);
}

TEST(Formula, RandomInterceptIsKeptApartFromTheFixedTerms) {
    auto const f = parse_formula("Group + (1|Site) + Age");
    EXPECT_EQ(labels(f), (std::vector<std::string>{"Group", "Age"}));
    EXPECT_EQ(f.random_intercepts, (std::vector<std::string>{"Site"}));
    EXPECT_EQ(parse_formula("~ Group + ( 1 | Site )").random_intercepts, (std::vector<std::string>{"Site"}));
    EXPECT_THROW(parse_formula("Group + (Age|Site)"), UsageError);   // random slope
    EXPECT_THROW(parse_formula("Group + (1|Site:Age)"), UsageError);  // nested
    EXPECT_THROW(parse_formula("(1|Site)"), UsageError);              // no fixed effect
}

TEST(Formula, ReferenceLevelAndForcedFactors) {
    auto const md = small_metadata();
    ModelMatrixOptions o;
    o.reference["Group"] = "c";
    auto const mm = build_model_matrix(parse_formula("Group"), md, {0, 1, 2, 3}, md.sample_ids, o);
    EXPECT_EQ(mm.column_labels, (std::vector<std::string>{"Groupa", "Groupb"}));
    EXPECT_EQ(mm.x(2, 0) + mm.x(2, 1), 0.0);  // s3 is c, the reference
    o.reference["Group"] = "z";
    EXPECT_THROW(build_model_matrix(parse_formula("Group"), md, {0, 1, 2, 3}, md.sample_ids, o), UsageError);
    ModelMatrixOptions f;
    f.categorical.insert("Age");
    auto const age = build_model_matrix(parse_formula("Age"), md, {0, 1, 3}, {"s1", "s2", "s4"}, f);
    EXPECT_EQ(age.column_labels, (std::vector<std::string>{"Age2", "Age4"}));
}

TEST(Formula, MissingAsNanPolicyKeepsTheSample) {
    auto const md = small_metadata();
    ModelMatrixOptions o;
    o.missing = MissingPolicy::as_nan;
    auto const mm = build_model_matrix(parse_formula("Age + Site"), md, {0, 1, 2, 3}, md.sample_ids, o);
    EXPECT_TRUE(std::isnan(mm.x(2, 0)));
    EXPECT_EQ(mm.x(2, 1), 0.0);
}

TEST(Formula, SampleSelectionIsSeparateFromTheData) {
    auto const md = small_metadata();
    SampleSelection sel;
    sel.where = {{"Site", "y"}};
    EXPECT_EQ(select_samples(md, {0, 1, 2, 3}, sel), (std::vector<std::size_t>{1, 3}));
    sel.where.clear();
    sel.group = "Group";
    sel.levels = {"b", "c"};
    EXPECT_EQ(select_samples(md, {3, 2, 1, 0}, sel), (std::vector<std::size_t>{1, 3}));
    sel.where = {{"Nope", "1"}};
    EXPECT_THROW(select_samples(md, {0}, sel), UsageError);
}

}  // namespace
}  // namespace orbiome::ecology
