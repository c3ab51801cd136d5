// Step `ratio`: the log2 ratio of two phyla (analysis.ratio, e.g. Firmicutes / Bacteroidetes) per
// sample, and its Welch and Wilcoxon tests per comparison (`orbiome diff --method ratio`).
// Off unless the study names the two taxa. Names are matched on the lineages as given and on
// their SILVA 138 / GTDB spelling (kPhylumSynonyms), so "Firmicutes" finds "Bacillota".
#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include "core/atomic_output.hpp"
#include "core/text.hpp"
#include "diffabund/design.hpp"
#include "diffabund/diff.hpp"
#include "study/step.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::study {

namespace {

/// Phylum names that changed between SILVA 132 / Greengenes and SILVA 138 / GTDB (Oren &
/// Garrity 2021, doi:10.1099/ijsem.0.005056, validly published names; GTDB r207 spellings).
/// GTDB's split phyla (Firmicutes_A, Bacillota_A, ...) are separate names and are not merged.
std::vector<std::vector<std::string>> const kPhylumSynonyms = {
    {"Firmicutes", "Bacillota"},
    {"Bacteroidetes", "Bacteroidota"},
    {"Proteobacteria", "Pseudomonadota"},
    {"Actinobacteria", "Actinobacteriota", "Actinomycetota"},
    {"Verrucomicrobia", "Verrucomicrobiota"},
    {"Deferribacteres", "Deferribacterota"},
    {"Tenericutes", "Mycoplasmatota"},
    {"Spirochaetes", "Spirochaetota"},
    {"Fusobacteria", "Fusobacteriota"},
    {"Cyanobacteria", "Cyanobacteriota"},
};

/// Names at any level of the table's lineages.
std::set<std::string> lineage_names(table::FeatureTable const& t) {
    std::set<std::string> names;
    for (auto const& l : t.lineages())
        for (auto const& n : taxonomy::parse_lineage(l).name)
            if (!n.empty()) names.insert(n);
    return names;
}

/// The name of `taxon` as the table spells it (itself or a synonym), or "".
std::string resolve(std::string const& taxon, std::set<std::string> const& names) {
    if (names.count(taxon)) return taxon;
    for (auto const& group : kPhylumSynonyms)
        if (std::find(group.begin(), group.end(), taxon) != group.end())
            for (auto const& other : group)
                if (names.count(other)) return other;
    return "";
}

std::pair<std::string, std::string> resolved_ratio(StudySpec const& spec, StudyData const& data) {
    auto const names = lineage_names(data.filtered);
    auto const& [num, den] = *spec.ratio;
    std::pair<std::string, std::string> out{resolve(num, names), resolve(den, names)};
    for (auto const& [asked, found] : {std::pair{num, out.first}, std::pair{den, out.second}})
        if (found.empty()) {
            auto const phyla = table::collapse(data.filtered, taxonomy::Rank::phylum);
            std::vector<std::string> present;
            for (auto const& l : phyla.lineages()) {
                auto const lin = taxonomy::parse_lineage(l);
                if (lin.name.size() > 1 && !lin.name[1].empty()) present.push_back(lin.name[1]);
            }
            fail_step(spec, "ratio", "analysis.ratio",
                      "no feature of " + spec.table + " has '" + asked + "' (or its SILVA 138 / GTDB name) in its lineage",
                      "phyla present: " + join(present, ", ") + "; or set analysis.ratio = [] to turn the step off");
        }
    return out;
}

diffabund::DesignSpec design_spec(StudySpec const& spec, Comparison const& cmp) {
    diffabund::DesignSpec d;
    d.group = spec.group;
    d.compare = std::pair{cmp.test, cmp.reference};
    d.where = cmp.where;
    return d;
}

void write_per_sample(StepContext const& cx, table::FeatureTable const& phyla, std::pair<std::string, std::string> const& ratio) {
    // Per-sample ratios over all samples, for the report's plot (the tests use the same formula
    // on each comparison's samples).
    diffabund::DesignSpec all;
    all.group = cx.spec.group;
    auto const design = diffabund::make_design(phyla, cx.spec.table, cx.data.metadata, all);
    double c = 0;
    auto const lr = diffabund::taxon_log2_ratios(phyla, design, ratio, 0, c);
    AtomicOutput out(cx.path("ratio/log2_ratio.tsv"));
    auto& os = out.stream();
    os << "# log2((" << ratio.first << " + c) / (" << ratio.second << " + c)) of relative abundances, c = "
       << format_double(c) << '\n';
    os << "sample_id\tgroup\tnumerator\tdenominator\tlog2_ratio\n";
    for (std::size_t i = 0; i < design.samples.size(); ++i)
        os << phyla.sample_ids()[design.samples[i]] << '\t' << design.levels[design.group[i]] << '\t' << ratio.first
           << '\t' << ratio.second << '\t' << format_double(lr[i]) << '\n';
    out.commit();
    cx.wrote("ratio", "ratio/log2_ratio.tsv", "", ratio.first + "/" + ratio.second, "phylum");
}

void write_tests(StepContext const& cx, table::FeatureTable const& phyla, std::pair<std::string, std::string> const& ratio) {
    AtomicOutput out(cx.path("ratio/tests.tsv"));
    auto& os = out.stream();
    bool first = true;
    for (auto const& cmp : cx.spec.comparisons) {
        auto const design = diffabund::make_design(phyla, cx.spec.table, cx.data.metadata, design_spec(cx.spec, cmp));
        diffabund::DiffOptions opt;
        opt.method = diffabund::DiffMethod::ratio;
        opt.ratio = ratio;
        auto const res = diffabund::run_diff(phyla, design, opt);
        std::ostringstream block;
        diffabund::write_diff(res, block);
        // One header for the file, then each comparison's rows prefixed by its name.
        std::istringstream lines(block.str());
        std::string line;
        while (std::getline(lines, line)) {
            if (line.empty() || line[0] == '#') continue;
            if (line.rfind("feature\t", 0) == 0) {
                if (first) os << "comparison\t" << line << '\n';
                first = false;
                continue;
            }
            os << cmp.name << '\t' << line << '\n';
        }
    }
    out.commit();
    cx.wrote("ratio_tests", "ratio/tests.tsv", "", ratio.first + "/" + ratio.second, "phylum", "welch, wilcoxon");
}

}  // namespace

Step ratio_step(StudySpec const& spec) {
    Step step;
    step.name = "ratio";
    step.inputs = {"filtered table", "lineages", "metadata"};
    step.outputs = {"ratio/log2_ratio.tsv", "ratio/tests.tsv"};
    if (spec.ratio) step.options = {{"numerator", spec.ratio->first}, {"denominator", spec.ratio->second}};
    step.skip = [](StudySpec const& s, StudyData const&) {
        return s.ratio ? std::string() : std::string("no analysis.ratio taxa (absent or [])");
    };
    step.check = [](StudySpec const& s, StudyData const& d) {
        if (!d.filtered.has_lineages())
            fail_step(s, "ratio", "analysis.ratio", "the ratio of two phyla needs lineages, and " + s.table + " has none",
                      "give inputs.taxonomy, or set analysis.ratio = [] to turn the step off");
        if (!s.covariates.empty())
            fail_step(s, "ratio", "design.covariates", "its tests (Welch, Wilcoxon) cannot adjust for design.covariates",
                      "set analysis.ratio = [] to turn the step off, or remove the covariates");
        (void)resolved_ratio(s, d);
    };
    step.run = [](StepContext const& cx) {
        auto const ratio = resolved_ratio(cx.spec, cx.data);
        auto const phyla = table::collapse(cx.data.filtered, taxonomy::Rank::phylum);
        write_per_sample(cx, phyla, ratio);
        write_tests(cx, phyla, ratio);
        cx.manifest.methods["ratio"]["taxa_used"] = {ratio.first, ratio.second};
    };
    return step;
}

}  // namespace orbiome::study
