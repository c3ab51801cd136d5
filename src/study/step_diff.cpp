// Step `diff`: differential abundance per rank, comparison and method (`orbiome diff` on the
// comparison's samples of the filtered table). LinDA and lm adjust for design.covariates; a
// method that cannot is refused before any output. design.subject is the random intercept of
// linda and lm and the block of the rank tests (docs/diff.md).
#include <optional>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "diffabund/design.hpp"
#include "diffabund/diff.hpp"
#include "study/step.hpp"

namespace orbiome::study {

Step diff_step(StudySpec const& spec) {
    Step step;
    step.name = "diff";
    step.inputs = {"filtered table", "lineages", "metadata"};
    step.outputs = {"diff/"};
    step.options = {{"ranks", spec.ranks}, {"methods", spec.diff_methods}, {"covariates", spec.covariates}};
    step.skip = [](StudySpec const& s, StudyData const&) {
        if (s.diff_methods.empty()) return std::string("analysis.diff_methods = []");
        if (s.ranks.empty()) return std::string("analysis.ranks = []");
        return std::string();
    };
    step.check = [](StudySpec const& s, StudyData const& d) {
        for (auto const& m : s.diff_methods) {
            diffabund::DiffMethod method{};
            try {
                method = diffabund::parse_method(m);
            } catch (Error const& e) {
                fail_step(s, "diff", "analysis.diff_methods", e.message(), e.hint());
            }
            if (!s.covariates.empty() && method != diffabund::DiffMethod::linda && method != diffabund::DiffMethod::lm)
                fail_step(s, "diff", "design.covariates", "method " + m + " cannot adjust for design.covariates",
                          "use diff_methods = [\"linda\"] (or \"lm\") with covariates");
            if (!s.subject.empty() && method == diffabund::DiffMethod::welch)
                fail_step(s, "diff", "analysis.diff_methods", "method welch has no design.subject form",
                          "use wilcoxon (paired or blocked by subject) or linda (a subject random intercept)");
        }
        if (!d.filtered.has_lineages())
            for (auto const& r : s.ranks)
                if (r != "feature")
                    fail_step(s, "diff", "analysis.ranks", "rank '" + r + "' needs lineages, and " + s.table + " has none",
                              "give inputs.taxonomy, or ranks = [\"feature\"] to test the table's own features");
    };
    step.run = [](StepContext const& cx) {
        for (auto const& rank : cx.spec.ranks) {
            auto const t = table_at_rank(cx.data, rank);
            for (auto const& cmp : cx.spec.comparisons) {
                auto ds = comparison_design(cx.spec, cmp);
                auto const plain = diffabund::make_design(t, cx.spec.table, cx.data.metadata, ds);
                // Repeated measures: linda and lm get a subject random intercept, the rank tests
                // their paired or blocked forms when the layout allows one (diffabund/blocked.hpp).
                auto const blocks = subject_blocks(cx.spec, cx.data, cmp, t, comparison_samples(cx.spec, cx.data, cmp, t));
                std::optional<diffabund::Design> with_subject;
                if (blocks) {
                    ds.subject = cx.spec.subject;
                    with_subject = diffabund::make_design(t, cx.spec.table, cx.data.metadata, ds);
                }
                for (auto const& method : cx.spec.diff_methods) {
                    diffabund::DiffOptions opt;
                    opt.method = diffabund::parse_method(method);
                    opt.n_threads = cx.threads;
                    bool const model = opt.method == diffabund::DiffMethod::linda || opt.method == diffabund::DiffMethod::lm;
                    bool const rank_test =
                        opt.method == diffabund::DiffMethod::wilcoxon || opt.method == diffabund::DiffMethod::kruskal;
                    bool const use_subject = blocks && (model || (rank_test && blocks->testable()));
                    cx.manifest.methods["diff"]["subject"][cmp.name + "/" + method] = use_subject ? cx.spec.subject : "none";
                    auto const& design = use_subject ? *with_subject : plain;
                    auto res = diffabund::run_diff(t, design, opt);
                    if (design.n_dropped_missing)
                        res.notes.push_back("samples left out for a missing covariate or subject value: " +
                                            std::to_string(design.n_dropped_missing));
                    std::string const rel = "diff/" + cmp.name + "." + rank + "." + method + ".tsv";
                    AtomicOutput out(cx.path(rel));
                    diffabund::write_diff(res, out.stream());
                    out.commit();
                    cx.wrote("diff", rel, cmp.name, "", rank, method);
                }
            }
        }
    };
    return step;
}

}  // namespace orbiome::study
