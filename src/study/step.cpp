// Loading a study's data and the helpers every step shares.
#include "study/step.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "ecology/formula.hpp"
#include "io/inputs.hpp"
#include "io/table_io.hpp"
#include "orbiome/version.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::study {

namespace fs = std::filesystem;

std::string StepContext::path(std::string const& rel) const { return path_in_study(out_dir, rel); }

std::string path_in_study(std::string const& dir, std::string const& rel) {
    fs::path const p = fs::path(dir) / rel;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) throw IoError(Errc::io, p.parent_path().string(), "cannot create directory: " + ec.message());
    return p.string();
}

void StepContext::wrote(std::string kind, std::string rel, std::string comparison, std::string metric, std::string rank,
                        std::string method) const {
    manifest.add({std::move(kind), std::move(rel), step, std::move(comparison), std::move(metric), std::move(rank),
                  std::move(method)});
}

StudyData load_study_data(StudySpec const& spec, int threads) {
    StudyData data;
    // Read together, so that a table with samples as rows is recognised by the metadata's ids
    // (HMP2's MaAsLin2 tables) and the metadata's id column by the table's.
    io::TableReadOptions read;
    read.taxonomy_path = spec.taxonomy;
    auto both = io::read_table_and_metadata(spec.table, read, spec.metadata, {spec.metadata_id_column, {}});
    data.metadata = std::move(both.metadata);
    auto const raw = std::move(both.table);
    data.n_features_raw = raw.n_features();
    data.n_samples_raw = raw.n_samples();
    auto const rows = io::join_metadata(raw.sample_ids(), spec.table, data.metadata).row_of_sample;
    for (std::size_t s = 0; s < raw.n_samples(); ++s) data.metadata_row.emplace(raw.sample_ids()[s], rows[s]);
    data.filtered = table::filter_features(raw, spec.filter);
    data.analysed = spec.rarefy_depth
                        ? table::rarefy(data.filtered, *spec.rarefy_depth, spec.rarefy_seed, threads, &data.rarefy)
                        : data.filtered;
    // Depth means reads only in a count table: relative abundances (HMP2's MetaPhlAn
    // proportions) sum to 1 or 100 in every sample and are not shallow.
    bool const counts = data.analysed.all_integral();
    for (std::size_t s = 0; counts && s < data.analysed.n_samples(); ++s)
        if (double const total = data.analysed.sample_total(s); total < kLowDepth)
            data.low_depth.emplace_back(data.analysed.sample_ids()[s], total);
    data.tree = spec.tree;
    return data;
}

diffabund::DesignSpec comparison_design(StudySpec const& spec, Comparison const& cmp) {
    diffabund::DesignSpec ds;
    ds.group = spec.group;
    ds.covariates = spec.covariates;
    ds.compare = std::pair{cmp.test, cmp.reference};
    ds.where = cmp.where;
    ds.drop_missing = true;
    return ds;
}

std::string run_header(std::string const& step) { return std::string("#orbiome run ") + step + " " + kVersion; }

std::string const& group_of(StudySpec const& spec, StudyData const& data, table::FeatureTable const& t, std::size_t s) {
    std::size_t const row = data.metadata_row.at(t.sample_ids()[s]);
    return data.metadata.values[data.metadata.column_index(spec.group)][row];
}

std::vector<std::size_t> comparison_samples(StudySpec const& spec, StudyData const& data, Comparison const& cmp,
                                            table::FeatureTable const& t, std::size_t* dropped) {
    std::vector<std::size_t> rows;
    for (auto const& id : t.sample_ids()) rows.push_back(data.metadata_row.at(id));
    // Samples without a covariate or subject value are left out, as R's na.omit (and diff's
    // --missing drop) do; the steps count them.
    std::vector<std::string> complete = spec.covariates;
    if (!spec.subject.empty()) complete.push_back(spec.subject);
    return ecology::select_samples(data.metadata, rows, {cmp.where, spec.group, {cmp.test, cmp.reference}, complete},
                                   dropped);
}

std::optional<diffabund::Blocks> subject_blocks(StudySpec const& spec, StudyData const& data, Comparison const& cmp,
                                                table::FeatureTable const& t, std::vector<std::size_t> const& samples) {
    if (spec.subject.empty()) return std::nullopt;
    std::size_t const sc = data.metadata.column_index(spec.subject);
    std::vector<std::string> subjects;
    std::vector<std::size_t> group;
    for (auto s : samples) {
        subjects.push_back(data.metadata.values[sc][data.metadata_row.at(t.sample_ids()[s])]);
        group.push_back(group_of(spec, data, t, s) == cmp.test ? 1 : 0);
    }
    auto blocks = diffabund::make_blocks(subjects, group, 2);
    if (blocks.n_repeated < 2) return std::nullopt;
    return blocks;
}

table::FeatureTable table_at_rank(StudyData const& data, std::string const& rank) {
    if (rank == "feature") return data.filtered;
    return table::collapse(data.filtered, *taxonomy::parse_rank(rank));
}

void fail_step(StudySpec const& spec, std::string const& step, std::string const& key, std::string const& message,
               std::string const& hint) {
    throw ParseError({spec.source, spec.line_of(key)}, "step " + step + ": " + message, hint);
}

}  // namespace orbiome::study
