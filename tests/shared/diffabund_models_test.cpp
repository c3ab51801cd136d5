// diff's linear models on HMP2 (../shared/data/tables/maaslin2_hmp2: MaAsLin2's extdata, 1,595
// samples as rows, 87 species as proportions; 19 samples without age are dropped, as R's lm and
// MicrobiomeStat::linda drop NA rows):
//  - `--method lm --transform clr` with diagnosis (3 levels, reference nonIBD), age (continuous)
//    and antibiotics equals R 4.2.2 `lm` (tests/parity/r_lm/hmp2_lm_clr.tsv) to 1e-9;
//  - LinDA's mixed-model path with (1|subject) (124 subjects with age recorded) equals
//    lmerTest 3.1.3 / lme4 1.1-31 `lmer(w ~ diagnosis + age + antibiotics + (1|subject))` on LinDA's CLR values
//    (tests/parity/lmertest/hmp2_lmer.tsv): coefficients, se, Satterthwaite df and p-values.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <utility>

#include <gtest/gtest.h>

#include "diffabund/diff.hpp"
#include "diffabund/linda.hpp"
#include "diffabund/stats.hpp"
#include "io/metadata.hpp"
#include "support/paths.hpp"
#include "unit/diffabund/frozen.hpp"

using namespace orbiome;
using namespace orbiome::diffabund;
using orbiome::testing::rel_near;
using orbiome::testing::split_tab;

namespace {

constexpr double kLmTolerance = 1e-9;
// Against lmer run to convergence (bobyqa, rhoend 1e-12): coefficients within 1e-6 of
// max(|estimate|, se), se and df within 1e-6 relative, p within 1e-6 absolute (measured:
// coefficients 3.3e-9 absolute, se 7.5e-8, p 1.0e-6 relative at p = 6e-4, 6e-10 absolute).
constexpr double kLmerTolerance = 1e-6;
constexpr double kPRelativeTolerance = 1e-5;
// lmer with its default control (as MicrobiomeStat::linda calls it) stops nloptwrap ~1e-7 away
// from the REML optimum in theta, orbiome solves d'(u) = 0 to machine precision: measured
// 1.5e-6 relative on two p-values, 3.3e-7 on se, 1.6e-8 absolute on coefficients.
constexpr double kLmerDefaultTolerance = 5e-6;

struct Hmp2 {
    table::FeatureTable t;
    io::Metadata md = io::read_metadata(orbiome::testing::shared_data("tables/maaslin2_hmp2/HMP2_metadata.tsv"));
    Hmp2() {
        std::ifstream in(orbiome::testing::shared_data("tables/maaslin2_hmp2/HMP2_taxonomy.tsv"));
        std::string line;
        std::getline(in, line);
        auto header = split_tab(line);
        std::vector<std::string> features(header.begin() + 1, header.end()), samples;
        std::vector<std::vector<double>> rows;
        while (std::getline(in, line)) {
            auto c = split_tab(line);
            samples.push_back(c[0]);
            rows.emplace_back();
            for (std::size_t i = 1; i < c.size(); ++i) rows.back().push_back(std::stod(c[i]));
        }
        std::vector<double> dense(features.size() * samples.size());
        for (std::size_t s = 0; s < samples.size(); ++s)
            for (std::size_t f = 0; f < features.size(); ++f) dense[f * samples.size() + s] = rows[s][f];
        t = table::FeatureTable::from_dense(features, samples, dense);
    }
};

Hmp2 const& hmp2() {
    static Hmp2 const h;
    return h;
}

Design hmp2_design(std::string const& formula) {
    DesignSpec spec;
    parse_formula(formula, spec);
    spec.reference = "nonIBD";
    spec.continuous_group = true;
    spec.drop_missing = true;
    return make_design(hmp2().t, "HMP2_taxonomy.tsv", hmp2().md, spec);
}

std::map<std::pair<std::string, std::string>, std::vector<double>> read_ref(std::string const& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::map<std::pair<std::string, std::string>, std::vector<double>> out;
    while (std::getline(in, line)) {
        auto c = split_tab(line);
        std::vector<double> v;
        for (std::size_t i = 2; i < c.size(); ++i) v.push_back(std::stod(c[i]));
        out[{c[0], c[1]}] = v;
    }
    return out;
}

TEST(Hmp2Models, LmClrWithAContinuousAgeEqualsRLm) {
    ORBIOME_SHARED_OR_SKIP("tables/maaslin2_hmp2/HMP2_taxonomy.tsv");
    auto const d = hmp2_design("diagnosis + age + antibiotics");
    EXPECT_EQ(d.n_dropped_missing, 19u);
    DiffOptions o;
    o.method = DiffMethod::lm;
    auto const r = run_diff(hmp2().t, d, o);
    auto const ref = read_ref(orbiome::testing::test_data("../parity/r_lm/hmp2_lm_clr.tsv"));
    ASSERT_EQ(r.rows.size(), ref.size());
    for (auto const& row : r.rows) {
        auto const& want = ref.at({row.feature, row.term});  // estimate, se, t, p
        EXPECT_TRUE(rel_near(row.effect, want[0], kLmTolerance)) << row.feature << " " << row.term;
        EXPECT_TRUE(rel_near(row.se, want[1], kLmTolerance)) << row.feature << " " << row.term;
        EXPECT_TRUE(rel_near(row.p_value, want[3], kLmTolerance)) << row.feature << " " << row.term;
    }
}

TEST(Hmp2Models, MixedModelLindaEqualsLmerTestOnLindasClr) {
    ORBIOME_SHARED_OR_SKIP("tables/maaslin2_hmp2/HMP2_taxonomy.tsv");
    auto const d = hmp2_design("diagnosis + age + antibiotics + (1|subject)");
    ASSERT_EQ(d.model.n_subjects, 124u);
    std::size_t const n = d.n_samples(), p = 1 + static_cast<std::size_t>(d.model.fixed.x.cols());
    std::vector<double> x(n * p, 1.0);
    for (std::size_t c = 1; c < p; ++c)
        for (std::size_t j = 0; j < n; ++j)
            x[c * n + j] = d.model.fixed.x(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(c - 1));
    auto const fits = linda_fit_mixed(d.counts, d.n_features(), n, x, p, d.model.subject, d.model.n_subjects,
                                      {1, 2, 3, 4}, LindaSettings{}, 2);
    for (auto const& [file, tol] : {std::pair<char const*, double>{"hmp2_lmer_converged.tsv", kLmerTolerance},
                                    std::pair<char const*, double>{"hmp2_lmer.tsv", kLmerDefaultTolerance}}) {
        auto const ref = read_ref(orbiome::testing::test_data(std::string("../parity/lmertest/") + file));
        ASSERT_EQ(ref.size(), 4 * d.n_features());
        for (std::size_t c = 0; c < fits.size(); ++c)
            for (std::size_t i = 0; i < d.n_features(); ++i) {
                std::string const& feature = hmp2().t.feature_ids()[d.features[i]];
                auto const& want = ref.at({feature, d.model.fixed.column_labels[c]});  // estimate se df t p theta sigma
                double const raw = fits[c].raw_coefficient[i], se = fits[c].se[i], df = fits[c].dfs[i];
                std::string const where = std::string(file) + " " + feature + " " + d.model.fixed.column_labels[c];
                EXPECT_NEAR(raw, want[0], tol * std::max(std::abs(want[0]), want[1])) << where;
                EXPECT_TRUE(rel_near(se, want[1], tol)) << where;
                EXPECT_TRUE(rel_near(df, want[2], tol)) << where;
                double const pv = t_two_sided(raw / se, df);
                EXPECT_NEAR(pv, want[4], tol) << where;                          // p to 1e-6 (absolute)
                EXPECT_TRUE(rel_near(pv, want[4], kPRelativeTolerance)) << where;  // and small p relatively
            }
    }
}

}  // namespace
