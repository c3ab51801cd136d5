// orbiome diff: parse, validate, build the design, one library call, write diff.tsv.
#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "diffabund/diff.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "table/ops.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::cli {

namespace {

std::pair<std::string, std::string> two_names(std::string const& value, char const* option) {
    auto parts = split(value, ',');
    if (parts.size() != 2 || trim(parts[0]).empty() || trim(parts[1]).empty())
        throw UsageError(std::string(option) + " expects two names separated by a comma, got '" + value + "'");
    return {std::string(trim(parts[0])), std::string(trim(parts[1]))};
}

}  // namespace

int cmd_diff(Args const& a) {
    auto app = make_app(a, "Differential abundance between the groups of a metadata column.\n"
                           "Methods: linda (default; compositional, any formula, (1|subject)), lm (a linear model on\n"
                           "--transform), wilcoxon, kruskal, welch, ratio (log2 ratio of two taxa, Welch t and Wilcoxon),\n"
                           "lefse.");
    std::string table_path, taxonomy, formula, compare, method = "linda", rank, out, ratio;
    std::string zero_handling = "pseudocount", transform = "clr", missing = "error";
    std::string bias_se = "propagated";
    std::vector<std::string> where;
    std::string subject;
    diffabund::DiffOptions o;
    diffabund::DesignSpec spec;
    int threads = 1;
    TableReadFlags table_flags;
    MetadataFlags metadata;
    app->add_option("--table", table_path, "Feature table (TSV, BIOM, GeneLab, MetaPhlAn)")->required();
    table_flags.add(*app);
    app->add_option("--taxonomy", taxonomy, "Taxonomy TSV joined by feature id");
    metadata.add(*app);
    app->add_option("--formula", formula,
                    "\"GROUP [+ covariates] [+ A:B] [+ (1|subject)]\" (covariates, interactions, continuous GROUP, "
                    "random intercept: linda and lm)")
        ->required();
    app->add_option("--reference", spec.reference, "linda, lm: reference level of GROUP (default: first in sorted order)");
    app->add_option("--transform", transform, "lm: response per feature: clr (default), log, relabund");
    app->add_option("--missing", missing,
                    "A missing value (NA/NaN/empty) in a formula column: error (default) or drop (leave the sample "
                    "out and count it, as MicrobiomeStat::linda)");
    app->add_option("--compare", compare, "TEST,REF: keep two levels of GROUP; effect = TEST vs REF");
    app->add_option("--where", where, "COL=VALUE: keep samples with this value (repeatable)");
    app->add_option("--method", method, "linda, lm, wilcoxon, kruskal, welch, ratio, lefse");
    app->add_option("--rank", rank, "Collapse to this rank first (e.g. genus)");
    app->add_option("--min-prevalence", spec.min_prevalence, "Keep features present in at least this fraction of the compared samples");
    app->add_option("--pseudocount", o.pseudocount, "Pseudocount for log2 effects and ratios (default: half the smallest non-zero relative abundance)");
    app->add_option("--ratio", ratio, "NUMERATOR,DENOMINATOR taxa for --method ratio (e.g. Firmicutes,Bacteroidetes)");
    app->add_option("--winsor-quantile", o.linda.winsor_quantile,
                    "linda: cap each feature's proportions at this quantile (default 0.97; 1 = off)");
    app->add_option("--zero-handling", zero_handling,
                    "linda: pseudocount (default, 0.5 added), imputation, or adaptive (imputation when log depth is "
                    "associated with the design, p <= 0.1)");
    app->add_option("--bias-se", bias_se,
                    "linda: propagated (default: the se includes the variance of the estimated bias, which keeps "
                    "the false-positive rate with few taxa) or paper (bias treated as known, as MicrobiomeStat::linda)");
    app->add_option("--subclass", spec.subclass, "lefse: metadata column of subclasses");
    app->add_option("--subject", subject,
                    "Metadata column of subjects: linda, lm: a random intercept, as (1|COL); wilcoxon, kruskal: "
                    "paired/blocked tests; lefse: orders samples within a subclass as lefse_format_input -u");
    app->add_option("--lda-cutoff", o.lefse.lda_cutoff, "lefse: log10 LDA score threshold");
    app->add_option("--seed", o.lefse.seed, "lefse: Python random.seed of the LDA jitter and bootstrap (default 1982, lefse_run.py's own)");
    app->add_option("--out", out, "Output diff.tsv")->required();
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;

    o.method = diffabund::parse_method(method);
    o.n_threads = threads;
    if (o.pseudocount < 0) throw UsageError("--pseudocount must be positive");
    if (!(o.linda.winsor_quantile > 0 && o.linda.winsor_quantile <= 1))
        throw UsageError("--winsor-quantile must be in (0, 1]");
    o.linda.zero_handling = diffabund::parse_zero_handling(zero_handling);
    o.linda.bias_se = diffabund::parse_bias_se(bias_se);
    o.transform = diffabund::parse_transform(transform);
    if (missing != "error" && missing != "drop") throw UsageError("--missing must be error or drop, got '" + missing + "'");
    spec.drop_missing = missing == "drop";
    diffabund::parse_formula(formula, spec);
    if (!subject.empty()) {
        if (!spec.subject.empty() && spec.subject != subject)
            throw UsageError("--subject " + subject + " and the formula's (1|" + spec.subject + ") disagree");
        spec.subject = subject;
    }
    spec.continuous_group = o.method == diffabund::DiffMethod::linda || o.method == diffabund::DiffMethod::lm;
    if (!spec.reference.empty() && !spec.continuous_group)
        throw UsageError("--reference applies to --method linda and lm", "use --compare TEST,REF for two-group methods");
    if (!compare.empty()) spec.compare = two_names(compare, "--compare");
    if (!ratio.empty()) o.ratio = two_names(ratio, "--ratio");
    for (auto const& w : where) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError("--where expects COL=VALUE, got '" + w + "'");
        spec.where.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    std::optional<taxonomy::Rank> r;
    if (!rank.empty()) {
        r = taxonomy::parse_rank(rank);
        if (!r) throw UsageError("unknown --rank '" + rank + "'", "ranks: domain, phylum, class, order, family, genus, species");
    }

    auto inputs = read_table_with_metadata(table_path, table_flags, taxonomy, metadata);
    auto t = std::move(inputs.table);
    auto const& md = inputs.metadata;
    if (r) t = table::collapse(t, *r);
    auto const design = diffabund::make_design(t, table_path, md, spec);
    auto const result = diffabund::run_diff(t, design, o);

    AtomicOutput file(out);
    file.stream() << output_header(a) << "\n";
    if (r) file.stream() << "#rank: " << taxonomy::rank_name(*r) << "\n";
    file.stream() << "#samples: " << design.n_samples() << "; features tested or reported: " << result.rows.size()
                  << "; dropped as absent: " << design.n_absent << "; below --min-prevalence: " << design.n_below_prevalence
                  << "; metadata rows not in the table: " << design.n_metadata_only << "\n";
    if (design.n_dropped_missing)
        file.stream() << "#dropped for a missing value in a formula column (--missing drop): " << design.n_dropped_missing
                      << "\n";
    diffabund::write_diff(result, file.stream());
    file.commit();
    return 0;
}

}  // namespace orbiome::cli
