// Step `beta`: a distance matrix per metric (all samples), and per comparison its PCoA and a
// PERMANOVA of the group (after design.covariates, within design.subject when subjects are
// measured in both groups).
#include <algorithm>
#include <map>
#include <set>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/beta.hpp"
#include "ecology/pcoa_io.hpp"
#include "ecology/permanova.hpp"
#include "ecology/permanova_io.hpp"
#include "io/newick.hpp"
#include "study/step.hpp"

namespace orbiome::study {

namespace {

std::vector<std::string> beta_metrics(StudySpec const& spec) {
    std::vector<std::string> metrics = spec.beta;
    if (!spec.tree.empty())
        for (auto const* m : {"unweighted_unifrac", "weighted_normalized_unifrac"})
            if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.emplace_back(m);
    return metrics;
}

/// Whether design.subject can be PERMANOVA strata for these samples: every subject has samples
/// in both groups (a paired or crossed design). Only then do permutations within subjects test
/// the group; a subject seen in one group only forms a block that never moves between groups
/// (and RR-5's SamID repeats by accident across mice), so such designs permute freely.
bool subjects_cross_groups(StepContext const& cx, std::vector<std::size_t> const& samples) {
    if (cx.spec.subject.empty()) return false;
    auto const& md = cx.data.metadata;
    std::size_t const sc = md.column_index(cx.spec.subject);
    std::map<std::string, std::set<std::string>> groups_of_subject;
    for (auto s : samples) {
        std::size_t const row = cx.data.metadata_row.at(cx.data.analysed.sample_ids()[s]);
        groups_of_subject[md.values[sc][row]].insert(group_of(cx.spec, cx.data, cx.data.analysed, s));
    }
    for (auto const& [subject, groups] : groups_of_subject)
        if (groups.size() < 2) return false;
    return !groups_of_subject.empty();
}

}  // namespace

Step beta_step(StudySpec const& spec) {
    Step step;
    step.name = "beta";
    step.inputs = {"analysed table", "metadata", "tree"};
    step.outputs = {"beta/"};
    std::string formula = spec.group;
    for (auto it = spec.covariates.rbegin(); it != spec.covariates.rend(); ++it) formula = *it + " + " + formula;
    step.options = {{"metrics", beta_metrics(spec)},
                    {"permanova_formula", formula},
                    {"permanova_by", "terms"},
                    {"permutations", spec.permutations},
                    {"seed", spec.seed}};
    step.skip = [](StudySpec const& s, StudyData const&) {
        return beta_metrics(s).empty() ? std::string("analysis.beta = [] and no tree") : std::string();
    };
    step.check = [](StudySpec const& s, StudyData const&) {
        for (auto const& m : s.beta) {
            try {
                (void)ecology::parse_beta_metric(m);
            } catch (Error const& e) {
                fail_step(s, "beta", "analysis.beta", e.message(), e.hint());
            }
        }
    };
    step.run = [formula](StepContext const& cx) {
        auto const& spec = cx.spec;
        auto const& data = cx.data;
        io::Tree tree;
        if (!data.tree.empty()) tree = io::read_newick(data.tree);
        AtomicOutput perm(cx.path("beta/permanova.tsv"));
        auto& ps = perm.stream();
        ecology::write_permanova_header(ps, {"comparison", "metric"});
        for (auto const& name : beta_metrics(spec)) {
            ecology::BetaOptions opt;
            opt.metric = ecology::parse_beta_metric(name);
            opt.tree = data.tree.empty() ? nullptr : &tree;
            opt.tree_origin = data.tree;
            opt.table_origin = spec.table;
            opt.n_threads = cx.threads;
            auto const dm = ecology::beta_diversity(data.analysed, opt);
            ecology::write_distance_matrix(dm, cx.path("beta/" + name + ".dm.tsv"));
            cx.wrote("distance_matrix", "beta/" + name + ".dm.tsv", "", name);
            for (auto const& cmp : spec.comparisons) {
                std::size_t dropped = 0;
                auto const samples = comparison_samples(spec, data, cmp, data.analysed, &dropped);
                if (dropped) cx.manifest.methods["beta"]["samples_missing_a_covariate_or_subject"][cmp.name] = dropped;
                auto const sub = dm.subset(samples);
                auto const pc = ecology::pcoa(sub, std::min<std::size_t>(sub.size(), 3));
                std::string const stem = "beta/" + cmp.name + "." + name + ".pcoa";
                ecology::write_pcoa(pc, cx.path(stem + ".tsv"), run_header("pcoa"));
                cx.wrote("pcoa", stem + ".tsv", cmp.name, name);
                cx.wrote("pcoa_eigenvalues", stem + ".eigenvalues.tsv", cmp.name, name);
                ecology::PermanovaOptions po;
                po.permutations = spec.permutations;
                po.seed = spec.seed;
                po.threads = cx.threads;
                std::string const strata = subjects_cross_groups(cx, samples) ? spec.subject : "";
                cx.manifest.methods["beta"]["permanova_strata"][cmp.name] = strata.empty() ? "none" : strata;
                auto const res = ecology::permanova(sub, spec.table, data.metadata, formula, strata, po);
                ecology::write_permanova_rows(ps, res, {cmp.name, name});
            }
        }
        perm.commit();
        cx.wrote("permanova", "beta/permanova.tsv", "", "", "", "permanova");
    };
    return step;
}

}  // namespace orbiome::study
