// LinDA (linda.hpp): helpers against R 4.2.2 values, the whole method against an independent
// numpy/scipy reimplementation frozen in tests/parity/linda/rr5_genus/, a synthetic table with a
// known absolute-abundance truth, and bad designs.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <map>
#include <numeric>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "diffabund/diff.hpp"
#include "diffabund/linda.hpp"
#include "diffabund/stats.hpp"
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

std::string const kRr5 = test_data("../parity/r_stats/rr5_genus/");
std::string const kRef = test_data("../parity/linda/rr5_genus/");


DiffResult run_linda_on(DesignSpec const& spec, int threads = 1, LindaBiasSe bias_se = LindaBiasSe::propagated) {
    DiffOptions o;
    o.method = DiffMethod::linda;
    o.n_threads = threads;
    o.linda.bias_se = bias_se;
    auto d = make_design(rr5_tables().t, "genus_counts.tsv", rr5_tables().md, spec);
    return run_diff(rr5_tables().t, d, o);
}

// |a - b| <= 1e-9 |b|, with an absolute floor for values that are round-off around 0.
::testing::AssertionResult close(double a, double b) {
    if (std::abs(a - b) <= 1e-13) return ::testing::AssertionSuccess();
    return rel_near(a, b, 1e-9);
}

void expect_matches_reference(DiffResult const& r, std::string const& file) {
    auto ref = read_rows(kRef + file);
    // The group's coefficient comes first, one row per feature; covariate rows follow.
    ASSERT_GE(r.rows.size(), ref.size());
    ASSERT_EQ(r.rows.size() % ref.size(), 0u);
    for (std::size_t i = 0; i < ref.size(); ++i) {
        auto const& row = r.rows[i];
        ASSERT_EQ(row.term, r.rows.front().term);
        auto const& e = ref[i];
        ASSERT_EQ(row.feature, e.at("feature"));
        ASSERT_TRUE(row.tested) << row.feature;
        EXPECT_TRUE(close(row.effect, std::stod(e.at("effect")))) << row.feature;
        EXPECT_TRUE(close(row.se, std::stod(e.at("se")))) << row.feature;
        EXPECT_TRUE(close(row.statistic, std::stod(e.at("statistic")))) << row.feature;
        EXPECT_TRUE(close(row.p_value, std::stod(e.at("p_value")))) << row.feature;
        EXPECT_TRUE(close(row.q_value, std::stod(e.at("q_value")))) << row.feature;
    }
}

double normal(Rng& rng) {  // Box–Muller
    double const u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

}  // namespace

TEST(LindaHelpers, MatchR) {
    // R 4.2.2: sprintf("%.17g", bw.nrd0(x)), quantile(x, 0.97), quantile(x, 0.25)
    std::vector<double> const x{3.1, -0.4, 2.2, 2.2, 5.9, 0.7, 1.4, -2.5, 2.0, 8.8, 1.9};
    EXPECT_TRUE(rel_near(bw_nrd0(x), 0.66524122819756559, 1e-14));
    EXPECT_TRUE(rel_near(quantile_type7(x, 0.97), 7.9299999999999979, 1e-15));
    EXPECT_TRUE(rel_near(quantile_type7(x, 0.25), 1.0499999999999998, 1e-15));
    EXPECT_TRUE(rel_near(quantile_type7(std::vector<double>{0.1, 0.2, 0.05, 0.3}, 0.97), 0.29099999999999998, 1e-15));
    // IQR 0 -> sd; sd 0 -> |x[1]| (R's fall-backs)
    EXPECT_TRUE(rel_near(bw_nrd0(std::vector<double>{1, 1, 1, 1, 2}), 0.29171818740469724, 1e-14));
    EXPECT_TRUE(rel_near(bw_nrd0(std::vector<double>{3, 3, 3}), 2.167402216752623, 1e-14));
    // shorth: shortest 6 of 11 sorted values are 0.7 .. 2.2, R mean() = 1.7333333333333334
    EXPECT_TRUE(rel_near(shorth(x), 1.7333333333333334, 1e-15));
    // all three windows of {0,1,2,3} tie: start index mean(1,2,3) = 2 -> mean(1, 2)
    EXPECT_DOUBLE_EQ(shorth(std::vector<double>{3, 0, 2, 1}), 1.5);
    EXPECT_THROW(bw_nrd0(std::vector<double>{1.0}), UsageError);
}

TEST(LindaHelpers, MeanShiftFindsTheMajorityMode) {
    // 45 values around 0.5 (symmetric) and 8 far out: the mode is the centre of the cluster, not the mean.
    std::vector<double> x;
    for (int i = 0; i < 45; ++i) x.push_back(0.5 + 0.01 * (i % 9 - 4));
    for (int i = 0; i < 8; ++i) x.push_back(6.0 + i);
    double const mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
    double const mode = meanshift_mode(x);
    EXPECT_NEAR(mode, 0.5, 0.01);
    EXPECT_GT(mean, 1.5);
}

TEST(LindaParity, IssVsGroundFinalMatchesNumpyReference) {
    DesignSpec s;
    s.group = "Treatment";
    s.where = {{"Time", "final"}};
    s.compare = std::pair<std::string, std::string>{"ISS", "ISS_G"};
    // The paper's se (bias treated as known), then orbiome's default (bias variance propagated).
    expect_matches_reference(run_linda_on(s, 1, LindaBiasSe::paper), "iss_vs_issg_final.tsv");
    auto r = run_linda_on(s);
    EXPECT_EQ(r.method, DiffMethod::linda);
    EXPECT_EQ(r.pseudocount, 0.5);
    expect_matches_reference(r, "iss_vs_issg_final_propagated.tsv");
    // the bias the reference subtracted (-0.5596...) is stated in the header notes
    bool found = false;
    for (auto const& n : r.notes) found = found || n.find("= -0.55963576284") != std::string::npos;
    EXPECT_TRUE(found);
    // thread count does not matter
    auto r2 = run_linda_on(s, 2);
    for (std::size_t i = 0; i < r.rows.size(); ++i) EXPECT_EQ(r.rows[i].p_value, r2.rows[i].p_value);
}

TEST(LindaParity, LarVsGroundAdjustedForTimeMatchesNumpyReference) {
    DesignSpec s;
    s.group = "Treatment";
    s.covariates = {"Time"};
    s.compare = std::pair<std::string, std::string>{"LAR", "LAR_G"};
    expect_matches_reference(run_linda_on(s, 1, LindaBiasSe::paper), "lar_vs_larg_time.tsv");
    expect_matches_reference(run_linda_on(s), "lar_vs_larg_time_propagated.tsv");
}

TEST(LindaSynthetic, BloomLeavesUnchangedTaxaAtZeroWhileWilcoxonCallsThem) {
    // 30 taxa with Zipf absolute abundances 1/(i+1) and log-normal noise (sd 0.2); in group B
    // taxon 5 blooms 20x in ABSOLUTE abundance, all others unchanged. Sequencing gives counts
    // proportional to relative abundance at depths 5,000-25,000.
    constexpr std::size_t kTaxa = 30, kPerGroup = 20, kBloom = 5;
    constexpr double kFold = 20;
    std::size_t const n = 2 * kPerGroup;
    auto rng = Rng::stream(2022, 95);
    std::vector<double> counts(kTaxa * n), rel(kTaxa * n), x(2 * n);
    for (std::size_t j = 0; j < n; ++j) {
        bool const b = j >= kPerGroup;
        x[j] = 1;
        x[n + j] = b ? 1 : 0;
        std::vector<double> abs(kTaxa);
        double total = 0;
        for (std::size_t i = 0; i < kTaxa; ++i) {
            abs[i] = std::exp(0.2 * normal(rng)) / static_cast<double>(i + 1) * (b && i == kBloom ? kFold : 1.0);
            total += abs[i];
        }
        double const depth = 5000 + static_cast<double>(rng.below(20001));
        double n_reads = 0;
        for (std::size_t i = 0; i < kTaxa; ++i) n_reads += counts[i * n + j] = std::round(depth * abs[i] / total);
        for (std::size_t i = 0; i < kTaxa; ++i) rel[i * n + j] = counts[i * n + j] / n_reads;
    }
    auto fit = linda_fit(counts, kTaxa, n, x, 2, 1, LindaSettings{});
    // CLR shifts every unchanged taxon by -log2(20)/30 = -0.144; the mode estimates that bias
    // (a KDE mode of 29 coefficients with noise sd ~0.09: -0.19 here)
    EXPECT_NEAR(fit.bias, -std::log2(kFold) / kTaxa, 0.1);
    std::vector<double> p_linda, p_wilcoxon;
    for (std::size_t i = 0; i < kTaxa; ++i) {
        p_linda.push_back(fit.p_value[i]);
        std::vector<double> a(rel.begin() + static_cast<std::ptrdiff_t>(i * n),
                              rel.begin() + static_cast<std::ptrdiff_t>(i * n + kPerGroup));
        std::vector<double> bb(rel.begin() + static_cast<std::ptrdiff_t>(i * n + kPerGroup),
                               rel.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
        p_wilcoxon.push_back(wilcoxon_rank_sum(bb, a).p_value);
    }
    auto q_linda = bh_adjust(p_linda), q_wilcoxon = bh_adjust(p_wilcoxon);
    std::size_t linda_false = 0, wilcoxon_false = 0;
    double max_abs_effect = 0, mean_raw = 0, mean_effect = 0;
    for (std::size_t i = 0; i < kTaxa; ++i) {
        if (i == kBloom) continue;
        max_abs_effect = std::max(max_abs_effect, std::abs(fit.coefficient[i]));
        linda_false += q_linda[i] < 0.05;
        wilcoxon_false += q_wilcoxon[i] < 0.05;
        mean_raw += fit.raw_coefficient[i] / (kTaxa - 1);
        mean_effect += fit.coefficient[i] / (kTaxa - 1);
    }
    // uncorrected CLR coefficients of the unchanged taxa average the compositional bias (-0.1438)
    EXPECT_NEAR(mean_raw, -std::log2(kFold) / kTaxa, 0.02);
    EXPECT_LT(std::abs(mean_effect), 0.1);  // 0.048 after correction
    // truth: 0 for the 29 unchanged taxa (se of a log2 difference here is about 0.09)
    EXPECT_LT(max_abs_effect, 0.3);
    EXPECT_LE(linda_false, 1u);  // 1 of 29 here
    // relative abundance of every other taxon falls ~1.8x, so Wilcoxon calls (nearly) all of them
    EXPECT_GE(wilcoxon_false, 27u);
    // the bloom is recovered on the absolute scale
    EXPECT_NEAR(fit.coefficient[kBloom], std::log2(kFold), 0.3);
    EXPECT_LT(q_linda[kBloom], 1e-6);
}

TEST(LindaSynthetic, ImputationReplacesZerosByDepthRatio) {
    // 3 features x 4 samples; feature 0 is zero in samples 1 and 3 (depths 10 and 40 after
    // winsorisation is disabled), so they become 10/40 and 40/40.
    std::vector<double> const y{0, 5, 4, 0,  //
                                6, 5, 6, 30,
                                4, 4, 8, 10};
    std::vector<double> const x{1, 1, 1, 1, 0, 0, 1, 1};
    LindaSettings s;
    s.winsor_quantile = 1;
    s.zero_handling = LindaZeroHandling::imputation;
    auto fit = linda_fit(y, 3, 4, x, 2, 1, s);
    // hand computation of feature 0's CLR coefficient: W_0j = log2 y_0j - mean_k log2 y_kj
    auto clr0 = [](double a, double b, double c) { return std::log2(a) - (std::log2(a) + std::log2(b) + std::log2(c)) / 3; };
    double const w0 = clr0(10.0 / 40.0, 6, 4), w1 = clr0(5, 5, 4), w2 = clr0(4, 6, 8), w3 = clr0(1, 30, 10);
    EXPECT_NEAR(fit.raw_coefficient[0], (w2 + w3) / 2 - (w0 + w1) / 2, 1e-12);
    EXPECT_TRUE(fit.zeros_replaced);
}

TEST(LindaSynthetic, AdaptiveZeroHandlingImputesOnlyWhenDepthFollowsTheDesign) {
    // 3 features x 6 samples, group 0 0 0 1 1 1. Depths 10 12 11 40 44 41 follow the group
    // (R: summary(lm(log(N) ~ g)) p = 2.4079225082743416e-05 <= 0.1, so imputation); depths
    // 10 40 12 41 11 44 do not (p = 0.49211523393421852, so the pseudo-count).
    std::vector<double> const x{1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1};
    std::vector<double> const follows{0, 2, 1, 0, 4, 1,  //
                                      5, 5, 5, 20, 20, 20,
                                      5, 5, 5, 20, 20, 20};
    std::vector<double> const unrelated{0, 2, 1, 0, 4, 1,  //
                                        5, 20, 5, 20, 5, 20,
                                        5, 18, 6, 21, 2, 23};
    auto fit = [&](std::vector<double> const& y, LindaZeroHandling z) {
        LindaSettings s;
        s.winsor_quantile = 1;
        s.zero_handling = z;
        return linda_fit(y, 3, 6, x, 2, 1, s);
    };
    auto const a = fit(follows, LindaZeroHandling::adaptive), ai = fit(follows, LindaZeroHandling::imputation);
    EXPECT_TRUE(a.imputed);
    EXPECT_NEAR(a.depth_p, 2.4079225082743416e-05, 1e-9 * 2.4079225082743416e-05);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(a.raw_coefficient[i], ai.raw_coefficient[i]);
    auto const b = fit(unrelated, LindaZeroHandling::adaptive), bp = fit(unrelated, LindaZeroHandling::pseudocount);
    EXPECT_FALSE(b.imputed);
    EXPECT_NEAR(b.depth_p, 0.49211523393421852, 1e-9);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(b.raw_coefficient[i], bp.raw_coefficient[i]);
    EXPECT_NE(a.raw_coefficient[0], fit(follows, LindaZeroHandling::pseudocount).raw_coefficient[0]);
}

TEST(LindaBadInput, ClearMessages) {
    DesignSpec s;
    s.group = "Treatment";
    s.where = {{"Time", "final"}};
    // Five levels are a model with four treatment contrasts (one row per feature and contrast).
    auto const five = run_linda_on(s);
    EXPECT_EQ(five.rows.size(), 4 * 97u);
    EXPECT_EQ(five.rows.front().term, "TreatmentISS_G");
    // Compare1 equals Treatment for ISS / ISS_G: the covariate duplicates the group
    s.compare = std::pair<std::string, std::string>{"ISS", "ISS_G"};
    s.covariates = {"Compare1"};
    try {
        run_linda_on(s);
        FAIL() << "collinear design accepted";
    } catch (UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("LinDA: the design is rank-deficient"), std::string::npos) << e.what();
    }
    std::vector<double> const y{1, 2, 3, 4, 5, 6};
    std::vector<double> const x{1, 1, 1, 0, 1, 0, 0, 0, 1};
    try {
        linda_fit(y, 2, 3, x, 3, 1, LindaSettings{});
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("3 samples leave no residual degrees of freedom for 3"), std::string::npos);
    }
    EXPECT_THROW(linda_fit(std::vector<double>{1, 2, 3}, 1, 3, std::vector<double>{1, 1, 1, 0, 1, 0}, 2, 1, {}),
                 UsageError);
}

namespace {

struct QmpCase {
    table::FeatureTable t;
    io::Metadata md;
    std::map<std::string, std::map<std::string, std::string>> truth;
    explicit QmpCase(std::string const& name)
        : t(io::read_table(test_data("diffabund/linda_qmp/" + name + "_counts.tsv"))),
          md(io::read_metadata(test_data("diffabund/linda_qmp/" + name + "_metadata.tsv"))) {
        for (auto& row : read_rows(test_data("diffabund/linda_qmp/" + name + "_truth.tsv"))) truth[row.at("feature")] = row;
    }
    DiffResult run(std::string const& method, std::string const& test, std::string const& ref, double min_prev = 0) const {
        DesignSpec s;
        s.group = "group";
        s.compare = std::pair<std::string, std::string>{test, ref};
        s.min_prevalence = min_prev;
        DiffOptions o;
        o.method = parse_method(method);
        return run_diff(t, make_design(t, "counts.tsv", md, s), o);
    }
};

double pearson_r(std::vector<double> const& a, std::vector<double> const& b) { return pearson(a, b).coefficient; }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::size_t const n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

// QMP (Vandeputte 2017 absolute abundances, ANCOM-BC's data): 9 genera x4 in absolute abundance
// in a random half, sequenced in silico (tests/parity/linda/qmp/make_qmp_case.py). The truth is
// the OLS log2 fold change of the ABSOLUTE abundances of the same samples.
TEST(LindaQmp, SpikeEffectsTrackAbsoluteFoldChanges) {
    QmpCase const c("spike");
    auto linda = c.run("linda", "B", "A");
    auto wilcoxon = c.run("wilcoxon", "B", "A");
    std::vector<double> truth, eff_linda, eff_wilcoxon;
    std::size_t recalled = 0, spiked = 0;
    for (std::size_t i = 0; i < linda.rows.size(); ++i) {
        auto const& tr = c.truth.at(linda.rows[i].feature);
        bool const sp = tr.at("spiked") == "1";
        spiked += sp;
        recalled += sp && linda.rows[i].q_value < 0.05 && linda.rows[i].effect > 0;
        if (std::stod(tr.at("prevalence")) < 0.5) continue;
        truth.push_back(std::stod(tr.at("absolute_log2fc")));
        eff_linda.push_back(linda.rows[i].effect);
        eff_wilcoxon.push_back(wilcoxon.rows[i].effect);
    }
    ASSERT_EQ(truth.size(), 70u);
    ASSERT_EQ(spiked, 9u);
    EXPECT_GT(pearson_r(eff_linda, truth), 0.94);     // 0.946
    EXPECT_LT(pearson_r(eff_wilcoxon, truth), 0.75);  // 0.694 (log2 ratio of mean relative abundances)
    EXPECT_GE(recalled, 8u);

    // with rare genera filtered out (they pull the mode: pseudo-counts shrink their fold changes),
    // effects equal the absolute fold changes up to a small common shift
    auto filtered = c.run("linda", "B", "A", 0.5);
    std::vector<double> diff;
    for (auto const& row : filtered.rows) diff.push_back(row.effect - std::stod(c.truth.at(row.feature).at("absolute_log2fc")));
    double const shift = median(diff);
    for (double& d : diff) d = std::abs(d - shift);
    EXPECT_LT(std::abs(shift), 0.2);  // -0.144
    EXPECT_LT(median(diff), 0.1);     // 0.066
}
