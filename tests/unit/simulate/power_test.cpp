// Unit tests of the simulate domain: the model keeps its template's marginals, draws are
// seeded per sample, the power machinery matches analytic power, and bad input is rejected.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "diffabund/stats.hpp"
#include "simulate/power.hpp"

namespace orbiome::simulate {
namespace {

// A template of 40 features x 16 samples (8 "ref", 8 "other"): feature f has a log-normal
// abundance around exp(-0.15 f) and is absent with probability f / 60, so prevalences and
// means span a range as in real tables.
table::FeatureTable make_template() {
    std::vector<std::string> features, samples, lineages;
    std::vector<double> values;
    std::size_t const nf = 40, ns = 16;
    for (std::size_t f = 0; f < nf; ++f) {
        features.push_back("F" + std::to_string(f));
        lineages.push_back("k__Bacteria;p__P;c__C;o__O;f__F;g__Genus" + std::to_string(f));
    }
    for (std::size_t s = 0; s < ns; ++s) samples.push_back("S" + std::to_string(s));
    values.assign(nf * ns, 0);
    Rng rng(7);
    for (std::size_t f = 0; f < nf; ++f)
        for (std::size_t s = 0; s < ns; ++s) {
            if (rng.uniform() < static_cast<double>(f) / 60) continue;
            values[f * ns + s] = std::round(2000 * std::exp(-0.15 * static_cast<double>(f) + normal_draw(rng))) + 1;
        }
    return table::FeatureTable::from_dense(features, samples, values, lineages);
}

std::vector<std::size_t> first(std::size_t k) {
    std::vector<std::size_t> v(k);
    std::iota(v.begin(), v.end(), std::size_t{0});
    return v;
}

TEST(SimulateModel, KeepsPrevalenceAndMeanOfTheReferenceGroup) {
    auto const t = make_template();
    auto const m = fit_model(t, first(8), "template");
    EXPECT_GE(m.shrinkage, 0.0);
    EXPECT_LE(m.shrinkage, 1.0);
    SimulationSpec spec{80, 1, std::nullopt, {}};
    auto const st = simulate_study(m, spec, 11);
    // 80 simulated reference samples vs the 8 template ones: prevalence within a binomial
    // margin (sd <= 0.056 at 80), mean log relative abundance of the present values close.
    for (std::size_t f = 0; f < m.n_features(); ++f) {
        double prev = 0;
        for (std::size_t s = 0; s < 80; ++s) prev += st.table.get(f, s) > 0;
        EXPECT_NEAR(prev / 80, 1 - m.zero_fraction[f], 0.2) << m.feature_ids[f];
    }
    // Library sizes are the template's (match): every simulated total is within rounding of one.
    for (std::size_t s = 0; s < 80; ++s) {
        double const tot = st.table.sample_total(s);
        bool near = std::any_of(m.depths.begin(), m.depths.end(), [&](double d) { return std::abs(d - tot) <= 0.02 * d + 40; });
        EXPECT_TRUE(near) << tot;
    }
}

TEST(SimulateModel, LargerStudyExtendsSmallerOneAndSpikesOnlyTheTestGroup) {
    auto const t = make_template();
    auto const m = fit_model(t, first(8), "template");
    std::vector<double> fold(m.n_features(), 1.0);
    fold[0] = 4;
    auto const small = simulate_study(m, {5, 5, std::nullopt, fold}, 3);
    auto const large = simulate_study(m, {9, 9, std::nullopt, fold}, 3);
    for (std::size_t s = 0; s < 5; ++s)
        for (std::size_t f = 0; f < m.n_features(); ++f) {
            EXPECT_EQ(small.table.get(f, s), large.table.get(f, s));          // reference_s
            EXPECT_EQ(small.table.get(f, 5 + s), large.table.get(f, 9 + s));  // test_s
        }
    EXPECT_EQ(small.group[0], "reference");
    EXPECT_EQ(small.group[5], "test");
    // Fold 4 on the most abundant feature raises its mean relative abundance in the test group.
    auto const big = simulate_study(m, {60, 60, std::nullopt, fold}, 5);
    double ref = 0, test = 0;
    for (std::size_t s = 0; s < 60; ++s) {
        ref += big.table.get(0, s) / big.table.sample_total(s);
        test += big.table.get(0, 60 + s) / big.table.sample_total(60 + s);
    }
    EXPECT_GT(test / ref, 1.5);
}

TEST(SimulateModel, RejectsBadInput) {
    auto const t = make_template();
    EXPECT_THROW(fit_model(t, first(2), "template"), UsageError);
    auto const m = fit_model(t, first(8), "template");
    EXPECT_EQ(m.max_group_size(), 80u);
    EXPECT_THROW(simulate_study(m, {81, 5, std::nullopt, {}}, 1), UsageError);
    EXPECT_THROW(match_taxon(m, t, "Nonexistent"), UsageError);
    EXPECT_EQ(match_taxon(m, t, "Genus3"), std::vector<std::size_t>{3});
    EXPECT_EQ(match_taxon(m, t, "F3"), std::vector<std::size_t>{3});
    EXPECT_THROW(parse_effect("Genus3"), UsageError);
    EXPECT_THROW(parse_effect("Genus3=-2"), UsageError);
    EXPECT_EQ(parse_effect("Genus3=2.5").second, 2.5);
}

TEST(Power, ClopperPearsonMatchesR) {
    // R: binom.test(5, 10)$conf.int; for x = 0 the upper bound has the closed form 1 - 0.025^(1/n).
    auto ci = clopper_pearson(5, 10);
    EXPECT_NEAR(ci.first, 0.1870860284, 1e-9);
    EXPECT_NEAR(ci.second, 0.8129139716, 1e-9);
    ci = clopper_pearson(0, 20);
    EXPECT_EQ(ci.first, 0.0);
    EXPECT_NEAR(ci.second, 1 - std::pow(0.025, 1.0 / 20), 1e-12);
}

// Welch t on log-normal data (i.e. on the logs, which are normal, sd 1, shift delta): the
// simulated power agrees with the analytic power of the two-sample t test (non-central t,
// df = 2n - 2, which Welch's df approaches for equal n and variances). 20,000 replicates give
// a Monte-Carlo sd <= 0.0036, so |difference| < 0.02 is more than 5 sd.
TEST(Power, WelchOnLogNormalMatchesAnalyticPower) {
    std::vector<std::size_t> const sizes{10, 20};
    double const delta = 0.8, alpha = 0.05;
    std::size_t const reps = 20000;
    auto trial = [&](std::size_t si, std::size_t rep) {
        Rng rng = Rng::stream(42, rep * 8 + si);
        std::size_t const n = sizes[si];
        std::vector<double> x(n), y(n);
        // log-normal abundances, tested on the log scale
        for (auto& v : x) v = std::log(std::exp(delta + normal_draw(rng)));
        for (auto& v : y) v = std::log(std::exp(normal_draw(rng)));
        ReplicateResult r;
        r.spiked = {0};
        MethodOutcome o;
        o.called = {diffabund::welch_t(x, y).p_value < alpha};
        o.rejected = o.called[0];
        r.outcomes.push_back(o);
        return r;
    };
    auto const results = run_replicates(sizes.size(), reps, 2, trial, {});
    EffectSpec e;
    e.named = {{"x", std::exp(delta)}};
    std::vector<SpikedTaxon> taxa{{"x", std::exp(delta), {0}}};
    auto const table = summarise(results, sizes, {Method::welch}, taxa, e, 0.8);
    ASSERT_EQ(table.rows.size(), 2u);
    for (std::size_t si = 0; si < sizes.size(); ++si) {
        double const n = static_cast<double>(sizes[si]), df = 2 * n - 2;
        double const crit = boost::math::quantile(boost::math::students_t(df), 1 - alpha / 2);
        boost::math::non_central_t nct(df, delta / std::sqrt(2 / n));
        double const analytic = boost::math::cdf(boost::math::complement(nct, crit)) + boost::math::cdf(nct, -crit);
        auto const& row = table.rows[si];
        ASSERT_TRUE(row.power);
        EXPECT_NEAR(*row.power, analytic, 0.02) << "n = " << sizes[si];
        // bench/power/run.sh quotes this line in bench/POWER.md
        std::printf("welch on log-normal, n = %zu per group, delta = %.1f sd: simulated %.4f [%.4f, %.4f], analytic %.4f\n",
                    sizes[si], delta, *row.power, *row.power_low, *row.power_high, analytic);
        EXPECT_LT(*row.power_low, *row.power);
        EXPECT_GT(*row.power_high, *row.power);
    }
    EXPECT_LT(*table.rows[0].power, *table.rows[1].power);
}

TEST(Power, SameTableForAnyThreadCount) {
    auto const t = make_template();
    auto const m = fit_model(t, first(8), "template");
    EffectSpec e;
    e.named = {{"Genus0", 3.0}, {"Genus2", 3.0}};
    auto const taxa = resolve_effects(m, t, e);
    PowerOptions o;
    o.sizes = {4, 8};
    o.methods = {Method::linda, Method::wilcoxon, Method::welch, Method::permanova};
    o.replicates = 12;
    o.analysis.permutations = 99;
    o.seed = 9;
    std::string out[2];
    for (int k = 0; k < 2; ++k) {
        o.threads = k + 1;
        std::ostringstream s;
        write_power(power_study(m, taxa, e, o), s);
        out[k] = s.str();
    }
    EXPECT_EQ(out[0], out[1]);
    // 4 methods x 2 sizes; per-feature methods: overall + 2 taxa rows, permanova one row.
    auto const table = power_study(m, taxa, e, o);
    EXPECT_EQ(table.rows.size(), 2u * 3 * 3 + 2);
    EXPECT_NE(out[0].find("method\tn_per_group\tfold\tpower\tpower_low\tpower_high\tfdr\tfwer\treplicates"), std::string::npos);
}

TEST(Power, RejectsSizesBeyondTheModel) {
    auto const t = make_template();
    auto const m = fit_model(t, first(8), "template");
    PowerOptions o;
    o.sizes = {5, 200};
    o.methods = {Method::wilcoxon};
    EXPECT_THROW(power_study(m, {}, {}, o), UsageError);
}

TEST(Power, FlagsFalseCallsAboveAlphaBeyondMonteCarloError) {
    // 18 of 200 (0.09, Clopper-Pearson 0.054-0.139) is flagged; 14 of 200 (0.07, 0.039-0.115)
    // and a per-taxon row are not.
    PowerTable t;
    auto row = [&](std::string method, std::size_t n, std::string taxon, std::size_t false_calls) {
        PowerRow r;
        r.method = std::move(method);
        r.n_per_group = n;
        r.taxon = std::move(taxon);
        r.replicates = 200;
        auto const [low, high] = clopper_pearson(false_calls, 200);
        r.fwer = static_cast<double>(false_calls) / 200;
        r.fwer_low = low;
        r.fwer_high = high;
        t.rows.push_back(r);
    };
    row("linda", 5, "none", 18);
    row("linda", 10, "none", 14);
    row("wilcoxon", 5, "none", 0);
    row("permanova", 5, "community", 14);
    row("welch", 5, "Dorea", 40);
    flag_false_positives(t, 0.05, false);
    ASSERT_EQ(t.flags.size(), 1u);
    EXPECT_EQ(t.flags[0].rfind("linda: ", 0), 0u) << t.flags[0];
    EXPECT_NE(t.flags[0].find("n per group = 5 (0.09, 95 % CI 0.054-0.139)"), std::string::npos) << t.flags[0];
    EXPECT_EQ(t.flags[0].find(", 10 ("), std::string::npos) << t.flags[0];
    std::ostringstream out;
    write_power(t, out);
    EXPECT_NE(out.str().find("#flag: linda: "), std::string::npos);
}

}  // namespace
}  // namespace orbiome::simulate
