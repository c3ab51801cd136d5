// Per-sample step `profile` of a shotgun study from reads: each sample's (QC'd) reads classified
// against the [profile] index as `orbiome profile` does, then the profiles merged into the
// study's feature table at `[profile] rank` as `orbiome table merge --rank` does.
#include <filesystem>
#include <memory>

#include "classify/profile.hpp"
#include "classify/sample_unit.hpp"
#include "core/error.hpp"
#include "io/table_io.hpp"
#include "orbiome/version.hpp"
#include "study/sample_step.hpp"
#include "study/section.hpp"
#include "study/step.hpp"
#include "table/ops.hpp"

namespace orbiome::study {

void parse_profile_section(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) {
        if (spec.kind == "shotgun")
            throw ParseError({path, spec.line_of("inputs.kind")}, "a shotgun study from reads needs a [profile] section",
                             "[profile] db = \"INDEX\" (built by orbiome db build)");
        return;
    }
    if (spec.kind != "shotgun")
        throw ParseError({path, line_of_value(*v)}, "[profile] is for studies from shotgun reads",
                         "give [inputs] reads and kind = \"shotgun\"");
    Section s(path, "profile", *v, spec);
    std::string db, rank = "species";
    double confidence = 0.0;
    std::int64_t min_hit_groups = classify::ClassifyOptions{}.min_hit_groups;
    s.read_path("db", db, true);
    s.read("confidence", confidence);
    s.read("min_hit_groups", min_hit_groups);
    s.read("rank", rank);
    s.finish();
    if (confidence < 0 || confidence > 1)
        throw ParseError({path, spec.line_of("profile.confidence")}, "profile.confidence must be between 0 and 1");
    if (min_hit_groups < 0)
        throw ParseError({path, spec.line_of("profile.min_hit_groups")}, "profile.min_hit_groups must be >= 0");
    auto const r = taxonomy::parse_rank(rank);
    if (!r) throw ParseError({path, spec.line_of("profile.rank")}, "profile.rank: unknown rank '" + rank + "'");
    spec.step_sections["profile"] = {{"db", db},
                                     {"confidence", confidence},
                                     {"min_hit_groups", min_hit_groups},
                                     {"rank", std::string(taxonomy::rank_name(*r))}};
}

namespace {

/// What a run shares across samples: the index and its classifier, loaded once.
struct LoadedIndex {
    index::Index idx;
    classify::Classifier clf;
    LoadedIndex(std::string const& db, classify::ClassifyOptions const& o) : idx(index::Index::open(db)), clf(idx, o) {}
};

void merge_profiles(GatherContext& cx, std::string const& rank_name) {
    auto const rank = *taxonomy::parse_rank(rank_name);
    io::TableReadOptions options;
    options.profile_rank = rank;
    std::vector<table::FeatureTable> tables;
    std::vector<std::string> origins;
    for (auto const& s : cx.samples) {
        auto const& path = s.files.at("profile");
        tables.push_back(table::collapse(io::read_table(path, options), rank));
        origins.push_back(path);
    }
    std::string const rel = "tables/profiled_" + rank_name + ".tsv";
    io::write_table(table::merge(tables, origins), cx.path(rel), io::TableFormat::tsv, {run_header("profile")});
    cx.wrote("profile_table", rel, "", "", rank_name);
    cx.table = cx.path(rel);
}

}  // namespace

SampleStep profile_sample_step(StudySpec const& spec) {
    SampleStep step;
    step.name = "profile";
    auto const it = spec.step_sections.find("profile");
    if (it != spec.step_sections.end()) step.options = it->second;
    // The parser allows the section only in a shotgun study from reads, and requires it there.
    step.skip = [](StudySpec const& sp) -> std::string {
        return sp.step_sections.count("profile") ? "" : "not a shotgun study from reads";
    };
    if (it == spec.step_sections.end()) return step;
    auto const db = it->second.at("db").get<std::string>();
    step.databases = {db};
    classify::ProfileOptions profile;
    profile.classify.confidence = it->second.at("confidence").get<double>();
    profile.classify.min_hit_groups = it->second.at("min_hit_groups").get<int>();
    step.open = [db, profile](int threads) -> SampleRun {
        auto const loaded = std::make_shared<LoadedIndex>(db, profile.classify);
        classify::SampleUnitOptions unit;
        unit.profile = profile;
        unit.profile.n_threads = threads;
        unit.tsv_header = run_header("profile");
        unit.program = std::string("orbiome ") + kVersion;
        return [loaded, unit](SampleFiles const& in, std::string const& dir) {
            classify::profile_sample(loaded->clf, in.reads, dir, unit);
            auto const& n = in.reads.name;
            return std::map<std::string, std::string>{
                {"kreport", n + ".kreport"}, {"cami", n + ".profile"}, {"profile", n + ".abundance.tsv"}};
        };
    };
    auto const rank = it->second.at("rank").get<std::string>();
    step.gather = [rank](GatherContext& cx) { merge_profiles(cx, rank); };
    return step;
}

}  // namespace orbiome::study
