// Step `alpha`: alpha diversity of the analysed (rarefied) table, and Wilcoxon tests of each
// metric between each comparison's two groups (BH over the metrics of a comparison): rank-sum,
// or paired / blocked by design.subject when subjects are measured repeatedly.
#include <algorithm>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "diffabund/blocked.hpp"
#include "diffabund/stats.hpp"
#include "ecology/alpha.hpp"
#include "io/newick.hpp"
#include "study/step.hpp"

namespace orbiome::study {

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::size_t const n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Per comparison and metric: the Wilcoxon rank-sum test, or with repeated measures of
// design.subject its paired / blocked form (diffabund/blocked.hpp, as `diff --subject`); the
// `method` column says which.
void write_tests(StepContext const& cx, ecology::AlphaResult const& res) {
    auto const& t = cx.data.analysed;
    AtomicOutput out(cx.path("alpha/tests.tsv"));
    auto& os = out.stream();
    os << "comparison\tmetric\ttest\treference\tn_test\tn_reference\tmedian_test\tmedian_reference\tstatistic\tp_value\tq_"
          "value\tmethod\n";
    for (auto const& cmp : cx.spec.comparisons) {
        auto const samples = comparison_samples(cx.spec, cx.data, cmp, t);
        std::vector<std::size_t> group;  // 1 = test, 0 = reference
        for (auto s : samples) group.push_back(group_of(cx.spec, cx.data, t, s) == cmp.test ? 1 : 0);
        auto blocks = subject_blocks(cx.spec, cx.data, cmp, t, samples);
        if (blocks && !blocks->testable()) blocks.reset();
        std::string const method =
            blocks ? diffabund::blocked_test_note(*blocks, true, cx.spec.subject, cmp.test, cmp.reference).substr(6)
                   : "Wilcoxon rank-sum";
        cx.manifest.methods["alpha"]["test_per_comparison"][cmp.name] = method;
        std::vector<diffabund::TestResult> tests;
        std::vector<std::vector<double>> xs, ys;
        for (std::size_t m = 0; m < res.metrics.size(); ++m) {
            std::vector<double> x, y, v;
            for (std::size_t i = 0; i < samples.size(); ++i) {
                v.push_back(res.at(samples[i], m));
                (group[i] ? x : y).push_back(v.back());
            }
            tests.push_back(blocks ? diffabund::blocked_test(v, group, *blocks, true, 1, 0)
                                   : diffabund::wilcoxon_rank_sum(x, y));
            xs.push_back(std::move(x));
            ys.push_back(std::move(y));
        }
        std::vector<double> p;
        for (auto const& r : tests) p.push_back(r.p_value);
        auto const q = diffabund::bh_adjust(p);
        for (std::size_t m = 0; m < res.metrics.size(); ++m)
            os << cmp.name << '\t' << ecology::alpha_metric_name(res.metrics[m]) << '\t' << cmp.test << '\t'
               << cmp.reference << '\t' << xs[m].size() << '\t' << ys[m].size() << '\t' << format_double(median(xs[m]))
               << '\t' << format_double(median(ys[m])) << '\t' << format_double(tests[m].statistic) << '\t'
               << format_double(tests[m].p_value) << '\t' << format_double(q[m]) << '\t' << method << '\n';
    }
    out.commit();
    cx.wrote("alpha_tests", "alpha/tests.tsv", "", "", "", "wilcoxon");
}

}  // namespace

Step alpha_step(StudySpec const& spec) {
    Step step;
    step.name = "alpha";
    step.inputs = {"analysed table", "metadata", "tree"};
    step.outputs = {"alpha/alpha.tsv", "alpha/tests.tsv"};
    step.options = {{"metrics", spec.alpha}, {"test", spec.subject.empty() ? "wilcoxon rank-sum" : "wilcoxon rank-sum, or paired/blocked by design.subject"}, {"faith_pd", !spec.tree.empty()}};
    step.skip = [](StudySpec const& s, StudyData const&) {
        return s.alpha.empty() ? std::string("analysis.alpha = []") : std::string();
    };
    step.check = [](StudySpec const& s, StudyData const&) {
        for (auto const& m : s.alpha) {
            try {
                (void)ecology::parse_alpha_metric(m);
            } catch (Error const& e) {
                fail_step(s, "alpha", "analysis.alpha", e.message(), e.hint());
            }
        }
        if (!s.covariates.empty())
            fail_step(s, "alpha", "design.covariates",
                      "its group tests (Wilcoxon rank-sum) cannot adjust for design.covariates",
                      "set analysis.alpha = [] to turn the step off, or remove the covariates");
    };
    step.run = [](StepContext const& cx) {
        io::Tree tree;
        ecology::AlphaOptions opt;
        for (auto const& m : cx.spec.alpha) opt.metrics.push_back(ecology::parse_alpha_metric(m));
        if (!cx.data.tree.empty()) {
            tree = io::read_newick(cx.data.tree);
            opt.tree = &tree;
            opt.tree_origin = cx.data.tree;
            opt.metrics.push_back(ecology::AlphaMetric::faith_pd);
        }
        opt.table_origin = cx.spec.table;
        opt.n_threads = cx.threads;
        auto const res = ecology::alpha_diversity(cx.data.analysed, opt);
        ecology::write_alpha(res, cx.path("alpha/alpha.tsv"), run_header("alpha"));
        cx.wrote("alpha", "alpha/alpha.tsv");
        write_tests(cx, res);
    };
    return step;
}

}  // namespace orbiome::study
