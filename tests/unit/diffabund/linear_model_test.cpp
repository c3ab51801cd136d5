// diff as a linear model (linear_model.hpp, lmm.hpp): `--method lm` and LinDA's per-coefficient
// fits against R 4.2.2 `lm` on RR-5 genera with a 5-level factor and a numeric covariate
// (tests/parity/r_lm/, r_reference.R), the REML random-intercept model against closed forms,
// and the design errors of the formula layer.
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "diffabund/diff.hpp"
#include "diffabund/linda.hpp"
#include "diffabund/lmm.hpp"
#include "diffabund/stats.hpp"
#include "unit/diffabund/frozen.hpp"

using namespace orbiome;
using namespace orbiome::diffabund;
using orbiome::testing::rel_near;
using orbiome::testing::rr5_tables;
using orbiome::testing::split_tab;
using orbiome::testing::test_data;

namespace {

constexpr double kLmTolerance = 1e-9;  // measured max 9.2e-12 (relative, a near-zero coefficient)

struct RefRow {
    double estimate, se, t, p;
};

// (feature, term) -> R's coef(summary(lm(...))) row.
std::map<std::pair<std::string, std::string>, RefRow> read_ref(std::string const& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::map<std::pair<std::string, std::string>, RefRow> out;
    while (std::getline(in, line)) {
        auto c = split_tab(line);
        out[{c[0], c[1]}] = {std::stod(c[2]), std::stod(c[3]), std::stod(c[4]), std::stod(c[5])};
    }
    return out;
}

DesignSpec rr5_final_spec() {
    DesignSpec spec;
    parse_formula("Treatment + Cage", spec);
    spec.where = {{"Time", "final"}};
    spec.continuous_group = true;
    return spec;
}

TEST(LinearModel, LmClrEqualsRLmWithAFiveLevelFactorAndANumericCovariate) {
    auto const d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, rr5_final_spec());
    DiffOptions o;
    o.method = DiffMethod::lm;
    o.transform = Transform::clr;
    auto const r = run_diff(rr5_tables().t, d, o);
    auto const ref = read_ref(test_data("../parity/r_lm/rr5_lm_clr.tsv"));
    ASSERT_EQ(r.rows.size(), ref.size());  // 97 genera x 5 coefficients
    EXPECT_TRUE(r.term_column);
    EXPECT_EQ(r.rows.front().term, "TreatmentISS_G");  // reference ISS: first in byte order
    EXPECT_EQ(r.rows.back().term, "Cage");
    for (auto const& row : r.rows) {
        auto const& want = ref.at({row.feature, row.term});
        EXPECT_TRUE(rel_near(row.effect, want.estimate, kLmTolerance)) << row.feature << " " << row.term;
        EXPECT_TRUE(rel_near(row.se, want.se, kLmTolerance)) << row.feature << " " << row.term;
        EXPECT_TRUE(rel_near(row.statistic, want.t, kLmTolerance)) << row.feature << " " << row.term;
        EXPECT_TRUE(rel_near(row.p_value, want.p, kLmTolerance)) << row.feature << " " << row.term;
    }
}

TEST(LinearModel, LindaCoefficientsBeforeBiasCorrectionEqualRLmOnLindasClr) {
    auto const d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, rr5_final_spec());
    std::size_t const n = d.n_samples(), p = 1 + static_cast<std::size_t>(d.model.fixed.x.cols());
    std::vector<double> x(n * p, 1.0);
    for (std::size_t c = 1; c < p; ++c)
        for (std::size_t j = 0; j < n; ++j) x[c * n + j] = d.model.fixed.x(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(c - 1));
    LindaSettings s;
    s.bias_se = LindaBiasSe::paper;
    auto const fits = linda_fit_columns(d.counts, d.n_features(), n, x, p, {1, 2, 3, 4, 5}, s);
    auto const ref = read_ref(test_data("../parity/r_lm/rr5_linda_raw.tsv"));
    for (std::size_t c = 0; c < fits.size(); ++c)
        for (std::size_t i = 0; i < d.n_features(); ++i) {
            auto const& want = ref.at({rr5_tables().t.feature_ids()[d.features[i]], d.model.fixed.column_labels[c]});
            double const raw = fits[c].raw_coefficient[i], se = fits[c].se[i];
            EXPECT_TRUE(rel_near(raw, want.estimate, kLmTolerance));
            EXPECT_TRUE(rel_near(se, want.se, kLmTolerance));
            EXPECT_TRUE(rel_near(t_two_sided(raw / se, fits[c].df), want.p, kLmTolerance));
            // and the reported effect is the raw coefficient minus that term's bias
            EXPECT_DOUBLE_EQ(fits[c].coefficient[i], raw - fits[c].bias);
        }
}

TEST(LinearModel, LindaReportsEveryCoefficientWithATermColumn) {
    auto const d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, rr5_final_spec());
    DiffOptions o;
    auto const r = run_diff(rr5_tables().t, d, o);
    ASSERT_EQ(r.rows.size(), 5 * d.n_features());
    std::map<std::string, std::size_t> per_term;
    for (auto const& row : r.rows) ++per_term[row.term];
    EXPECT_EQ(per_term.size(), 5u);
    EXPECT_EQ(per_term["Cage"], d.n_features());  // the covariate's coefficient is reported
    std::ostringstream out;
    write_diff(r, out);
    EXPECT_NE(out.str().find("\tprevalence_baseline\tterm\n"), std::string::npos);
}

TEST(LinearModel, ReferenceLevelChoosesTheContrasts) {
    auto spec = rr5_final_spec();
    spec.reference = "baseline";
    auto const d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, spec);
    EXPECT_EQ(d.model.fixed.column_labels,
              (std::vector<std::string>{"TreatmentISS", "TreatmentISS_G", "TreatmentLAR", "TreatmentLAR_G", "Cage"}));
    spec.reference = "Mars";
    EXPECT_THROW(make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, spec), UsageError);
}

TEST(LinearModel, MixedModelNeedsSubjectsWithSeveralSamples) {
    auto spec = rr5_final_spec();
    spec.compare = std::pair<std::string, std::string>{"LAR", "LAR_G"};
    spec.subject = "SamID";  // one sample per mouse at Time = final
    auto const d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, spec);
    DiffOptions o;
    try {
        run_diff(rr5_tables().t, d, o);
        FAIL() << "expected an error";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("rr5_fecal_meta.tsv: column 'SamID' gives every sample its own subject"),
                  std::string::npos)
            << e.what();
    }
}

// Balanced one-way random-effects ANOVA: REML has the closed form sigma^2 = MSW,
// sigma_b^2 = (MSB - MSW) / r, and the grand mean's Satterthwaite df is q - 1.
TEST(RandomIntercept, BalancedOneWayMatchesTheAnovaEstimators) {
    std::vector<double> const y = {4.1, 5.3, 4.8, 7.9, 6.6, 7.2, 3.0, 2.1, 2.9, 5.5, 6.1, 4.4};
    std::size_t const q = 4, r = 3, n = q * r;
    std::vector<std::size_t> group(n);
    for (std::size_t j = 0; j < n; ++j) group[j] = j / r;
    RandomInterceptModel const m(Eigen::MatrixXd::Ones(static_cast<Eigen::Index>(n), 1), group, q);
    Eigen::Map<Eigen::VectorXd const> yv(y.data(), static_cast<Eigen::Index>(n));
    auto const f = m.fit(yv);
    double grand = yv.mean(), ssb = 0, ssw = 0;
    for (std::size_t k = 0; k < q; ++k) {
        double mk = 0;
        for (std::size_t j = 0; j < r; ++j) mk += y[k * r + j] / static_cast<double>(r);
        ssb += static_cast<double>(r) * (mk - grand) * (mk - grand);
        for (std::size_t j = 0; j < r; ++j) ssw += (y[k * r + j] - mk) * (y[k * r + j] - mk);
    }
    double const msb = ssb / static_cast<double>(q - 1), msw = ssw / static_cast<double>(n - q);
    ASSERT_GT(msb, msw);
    EXPECT_NEAR(f.sigma * f.sigma, msw, 1e-10 * msw);
    EXPECT_NEAR(f.theta * f.theta, (msb - msw) / static_cast<double>(r) / msw, 1e-9);
    EXPECT_NEAR(f.beta(0), grand, 1e-12);
    EXPECT_NEAR(f.se(0), std::sqrt(msb / static_cast<double>(n)), 1e-10);
    EXPECT_NEAR(f.df(0), static_cast<double>(q - 1), 1e-8);
}

TEST(RandomIntercept, AnalyticDerivativeOfTheCriterionAgreesWithDifferences) {
    std::vector<double> const y = {1.2, 0.4, 2.2, 3.1, 2.5, 0.1, -0.7, 0.3, 1.9, 2.8, 1.1};
    std::vector<std::size_t> const group = {0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3};
    Eigen::MatrixXd x(11, 2);
    for (Eigen::Index j = 0; j < 11; ++j) x(j, 0) = 1, x(j, 1) = static_cast<double>(j % 3);
    RandomInterceptModel const m(x, group, 4);
    Eigen::Map<Eigen::VectorXd const> yv(y.data(), 11);
    for (double u : {0.05, 0.5, 3.0}) {
        double d1 = 0;
        m.criterion(yv, u, &d1);
        double const h = 1e-5 * u;
        double const numeric = (m.criterion(yv, u + h) - m.criterion(yv, u - h)) / (2 * h);
        EXPECT_NEAR(d1, numeric, 1e-6 * std::abs(numeric) + 1e-8) << "u = " << u;
    }
}

// --subject with rank tests: RR-5 LAR mice (10, each sampled at pre, t.1, t.2, final) against R's
// wilcox.test(paired = TRUE) and friedman.test (tests/parity/r_blocked/r_reference.R).
void expect_blocked_equals_r(DiffMethod method, std::optional<std::pair<std::string, std::string>> compare,
                             std::string const& ref_file, std::string const& note, std::string const& group = "Time",
                             std::vector<std::pair<std::string, std::string>> where = {{"Treatment", "LAR"}}) {
    DesignSpec spec;
    parse_formula(group, spec);
    spec.where = where;
    spec.compare = compare;
    spec.subject = "SamID";
    auto const d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, spec);
    DiffOptions o;
    o.method = method;
    auto const r = run_diff(rr5_tables().t, d, o);
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes.back().find(note), std::string::npos) << r.notes.back();
    std::ifstream in(test_data("../parity/r_blocked/" + ref_file));
    std::string line;
    std::getline(in, line);
    std::map<std::string, std::pair<double, double>> ref;
    while (std::getline(in, line)) {
        auto c = split_tab(line);
        ref[c[0]] = {std::stod(c[1]), std::stod(c[2])};
    }
    std::size_t compared = 0;
    for (auto const& row : r.rows) {
        auto const it = ref.find(row.feature);
        if (it == ref.end()) {
            EXPECT_FALSE(row.tested) << row.feature;  // R cannot test it either
            continue;
        }
        ++compared;
        EXPECT_TRUE(rel_near(row.statistic, it->second.first, 1e-12)) << row.feature;
        EXPECT_TRUE(rel_near(row.p_value, it->second.second, 1e-12)) << row.feature;
    }
    EXPECT_EQ(compared, ref.size());
}

TEST(Blocked, WilcoxonWithOneSamplePerSubjectAndGroupIsRsPairedSignedRank) {
    expect_blocked_equals_r(DiffMethod::wilcoxon, std::pair<std::string, std::string>{"final", "pre"},
                            "lar_final_vs_pre_paired_wilcoxon.tsv",
                            "paired Wilcoxon signed-rank (R wilcox.test paired = TRUE), subject 'SamID': 10 subjects");
}

TEST(Blocked, SubjectsNestedInGroupsAreTestedOnSubjectMeans) {
    expect_blocked_equals_r(DiffMethod::wilcoxon, std::pair<std::string, std::string>{"LAR", "LAR_G"},
                            "lar_vs_larg_subject_means_ranksum.tsv",
                            "test: subjects nested in groups (subject 'SamID'): Wilcoxon rank-sum on the mean of each "
                            "subject, n = 20 subjects",
                            "Treatment", {});
}

TEST(Blocked, KruskalWithSubjectsIsRsFriedmanTest) {
    expect_blocked_equals_r(DiffMethod::kruskal, std::nullopt, "lar_time_friedman.tsv",
                            "Friedman rank-sum (R friedman.test), blocks = subject 'SamID': 10 subjects");
}

}  // namespace
