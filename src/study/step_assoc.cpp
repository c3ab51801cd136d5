// Step `assoc` ([host]): features at host.rank correlated with numeric metadata columns and/or a
// metabolite table (`orbiome assoc` semantics; covariates and subject from [design]).
#include "core/atomic_output.hpp"
#include "diffabund/assoc.hpp"
#include "study/step.hpp"

namespace orbiome::study {

Step assoc_step(StudySpec const& spec) {
    Step step;
    step.name = "assoc";
    step.inputs = {"filtered table", "metadata", "metabolites"};
    step.outputs = {"assoc/"};
    step.options = {{"variables", spec.host_variables}, {"metabolites", spec.metabolites}, {"method", spec.host_method},
                    {"rank", spec.host_rank},           {"covariates", spec.covariates},    {"subject", spec.subject}};
    step.skip = [](StudySpec const& s, StudyData const&) {
        return s.host_variables.empty() && s.metabolites.empty() ? std::string("no [host] section") : std::string();
    };
    step.check = [](StudySpec const& s, StudyData const& d) {
        if (s.host_rank != "feature" && !d.filtered.has_lineages())
            fail_step(s, "assoc", "host.rank", "rank '" + s.host_rank + "' needs lineages, and " + s.table + " has none",
                      "give inputs.taxonomy, or host.rank = \"feature\"");
    };
    step.run = [](StepContext const& cx) {
        auto const& spec = cx.spec;
        auto const t = table_at_rank(cx.data, spec.host_rank);
        diffabund::AssocSpec a;
        a.method = spec.host_method == "pearson" ? diffabund::CorrelationMethod::pearson
                                                 : diffabund::CorrelationMethod::spearman;
        a.covariates = spec.covariates;
        a.subject = spec.subject;
        a.n_threads = cx.threads;
        auto write = [&](diffabund::NumericMatrix const* with, std::string const& rel, std::string const& what) {
            auto const res = diffabund::associate(t, spec.table, cx.data.metadata, with, a);
            AtomicOutput out(cx.path(rel));
            diffabund::write_assoc(res, a.method, out.stream());
            out.commit();
            cx.wrote("assoc", rel, "", what, spec.host_rank, spec.host_method);
        };
        if (!spec.host_variables.empty()) {
            a.vars = spec.host_variables;
            write(nullptr, "assoc/assoc.tsv", "host variables");
        }
        if (!spec.metabolites.empty()) {
            auto const mtb = diffabund::read_numeric_matrix(spec.metabolites);
            write(&mtb, spec.host_variables.empty() ? "assoc/assoc.tsv" : "assoc/metabolites.tsv", "metabolites");
        }
    };
    return step;
}

}  // namespace orbiome::study
