// Per-sample step `function` of a shotgun study from reads (issue #12): each sample's (QC'd)
// reads through `orbiome function profile` against the [function] database (gene families,
// reactions, MetaCyc pathways as HUMAnN 3.9 computes them), with the sample's own taxonomic
// profile as the species prescreen when the profile step ran (as HUMAnN uses MetaPhlAn's). The
// gather merges the community pathway and reaction tables of all samples and tests every
// comparison on them ("are these pathways higher in flight?"): diff/<comparison>.pathway.<method>.tsv
// and diff/<comparison>.reaction.<method>.tsv, which the report's differential-abundance
// section shows as it shows the taxa.
#include <memory>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "diffabund/design.hpp"
#include "diffabund/diff.hpp"
#include "function/profile.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "study/sample_step.hpp"
#include "study/section.hpp"
#include "study/step.hpp"
#include "table/ops.hpp"

namespace orbiome::study {

void parse_function_section(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) return;
    if (spec.kind != "shotgun")
        throw ParseError({path, line_of_value(*v)}, "[function] is for studies from shotgun reads",
                         "give [inputs] reads and kind = \"shotgun\"");
    Section s(path, "function", *v, spec);
    function::ProfileOptions const defaults;
    std::string db;
    bool minpath = defaults.minpath;
    double prescreen = defaults.prescreen_threshold;
    std::vector<std::string> methods{"wilcoxon"};
    s.read_path("db", db, true);
    s.read("minpath", minpath);
    s.read("prescreen_threshold", prescreen);
    s.read("diff_methods", methods);
    s.finish();
    if (prescreen < 0 || prescreen > 100)
        throw ParseError({path, spec.line_of("function.prescreen_threshold")},
                         "function.prescreen_threshold is a percentage, between 0 and 100");
    for (auto const& m : methods) try {
            (void)diffabund::parse_method(m);
        } catch (Error const& e) {
            throw ParseError({path, spec.line_of("function.diff_methods")}, "function.diff_methods: " + e.message());
        }
    spec.step_sections["function"] = {
        {"db", db}, {"minpath", minpath}, {"prescreen_threshold", prescreen}, {"diff_methods", methods}};
}

namespace {

/// One table of `role` (a HUMAnN-layout per-sample file) for all samples, community rows only.
table::FeatureTable merge_role(GatherContext const& cx, std::string const& role) {
    std::vector<table::FeatureTable> tables;
    std::vector<std::string> origins;
    for (auto const& s : cx.samples) {
        auto const& path = s.files.at(role);
        auto t = io::read_table(path);
        // HUMAnN names the sample column after the sample; orbiome's per-sample files do too,
        // but say so explicitly so that the merged table's columns are the sheet's names.
        tables.push_back(table::FeatureTable(t.feature_ids(), {s.reads.name}, t.entries(), t.lineages(), path));
        origins.push_back(path);
    }
    return table::merge(tables, origins);
}

void gather_function(GatherContext& cx, std::vector<std::string> const& methods) {
    io::MetadataOptions options{cx.spec.metadata_id_column, {}};
    for (auto const& s : cx.samples) options.sample_ids.push_back(s.reads.name);
    auto const md = io::read_metadata(cx.spec.metadata, options);
    for (auto const& [role, rank] : {std::pair{"pathabundance", "pathway"}, std::pair{"reactions", "reaction"}}) {
        auto const merged = merge_role(cx, role);
        std::string const rel = std::string("function/") + role + ".tsv";
        io::write_table(merged, cx.path(rel), io::TableFormat::tsv, {run_header("function")});
        cx.wrote(std::string("function_") + role, rel, "", "", rank, "");
        // UNMAPPED / UNINTEGRATED are not functions to test.
        std::vector<std::size_t> keep;
        for (std::size_t f = 0; f < merged.n_features(); ++f)
            if (merged.feature_ids()[f] != "UNMAPPED" && merged.feature_ids()[f] != "UNINTEGRATED") keep.push_back(f);
        std::vector<std::size_t> all_samples(merged.n_samples());
        for (std::size_t s = 0; s < all_samples.size(); ++s) all_samples[s] = s;
        auto const t = merged.subset(all_samples, keep);
        for (auto const& cmp : cx.spec.comparisons)
            for (auto const& method : methods) {
                std::string const what = std::string(rank) + " tests of " + cmp.name + " (" + method + ")";
                if (t.n_features() == 0) {
                    cx.manifest.skipped.push_back({"function", what + ": no " + rank + " in any sample"});
                    continue;
                }
                // A sample without any pathway (its reads cover too few of the database's
                // reactions) makes relative abundances undefined: that test is reported as not
                // run, with the reason, and the study goes on.
                try {
                    diffabund::DiffOptions opt;
                    opt.method = diffabund::parse_method(method);
                    auto const design = diffabund::make_design(t, rel, md, comparison_design(cx.spec, cmp));
                    auto const res = diffabund::run_diff(t, design, opt);
                    std::string const out_rel = "diff/" + cmp.name + "." + rank + "." + method + ".tsv";
                    AtomicOutput out(cx.path(out_rel));
                    diffabund::write_diff(res, out.stream());
                    out.commit();
                    cx.wrote("diff", out_rel, cmp.name, "", rank, method);
                } catch (Error const& e) {
                    cx.manifest.skipped.push_back({"function", what + ": " + e.message()});
                }
            }
    }
}

}  // namespace

SampleStep function_sample_step(StudySpec const& spec) {
    SampleStep step;
    step.name = "function";
    step.skip = [](StudySpec const& sp) -> std::string {
        return sp.step_sections.count("function") ? "" : "no [function] section";
    };
    auto const it = spec.step_sections.find("function");
    if (it == spec.step_sections.end()) return step;
    step.options = it->second;
    auto const db = it->second.at("db").get<std::string>();
    step.databases = {db};
    function::ProfileOptions options;
    options.minpath = it->second.at("minpath").get<bool>();
    options.prescreen_threshold = it->second.at("prescreen_threshold").get<double>();
    step.open = [db, options](int threads) -> SampleRun {
        auto const loaded = std::make_shared<function::FunctionDb const>(function::load_function_db(db));
        return [loaded, options, threads](SampleFiles const& in, std::string const& dir) {
            auto o = options;
            o.reads1 = in.reads.reads;
            o.reads2 = in.reads.reads2;
            o.threads = threads;
            if (auto p = in.files.find("profile"); p != in.files.end()) o.taxonomic_profile = p->second;
            auto const& n = in.reads.name;
            function::write_profile_outputs(function::profile_reads(*loaded, o), dir, n, run_header("function"));
            return std::map<std::string, std::string>{{"genefamilies", n + "_genefamilies.tsv"},
                                                      {"reactions", n + "_reactions.tsv"},
                                                      {"pathabundance", n + "_pathabundance.tsv"},
                                                      {"pathcoverage", n + "_pathcoverage.tsv"}};
        };
    };
    auto const methods = it->second.at("diff_methods").get<std::vector<std::string>>();
    step.gather = [methods](GatherContext& cx) { gather_function(cx, methods); };
    return step;
}

}  // namespace orbiome::study
