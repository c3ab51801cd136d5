// Step `tables`: the filtered table (TSV and BIOM), the table at each rank, and samples.tsv.
#include <algorithm>

#include "core/atomic_output.hpp"
#include "io/table_io.hpp"
#include "study/step.hpp"

namespace orbiome::study {

namespace {

/// Ranks written under tables/: the study's taxonomic ranks plus phylum and genus (the report's
/// bars); none without lineages.
std::vector<std::string> table_ranks(StudySpec const& spec, StudyData const& data) {
    std::vector<std::string> ranks;
    if (!data.filtered.has_lineages()) return ranks;
    for (auto const& r : spec.ranks)
        if (r != "feature") ranks.push_back(r);
    for (auto const* r : {"phylum", "genus"})
        if (std::find(ranks.begin(), ranks.end(), r) == ranks.end()) ranks.emplace_back(r);
    return ranks;
}

void write_samples(StepContext const& cx) {
    auto const& spec = cx.spec;
    auto const& data = cx.data;
    std::vector<std::string> columns{spec.group};
    if (!spec.subject.empty()) columns.push_back(spec.subject);
    for (auto const& c : spec.covariates) columns.push_back(c);
    for (auto const& cmp : spec.comparisons)
        for (auto const& [col, v] : cmp.where)
            if (std::find(columns.begin(), columns.end(), col) == columns.end()) columns.push_back(col);
    AtomicOutput out(cx.path("samples.tsv"));
    auto& os = out.stream();
    os << "sample_id\tgroup";
    for (auto const& c : columns) os << '\t' << c;
    os << '\n';
    auto const& md = data.metadata;
    for (std::size_t s = 0; s < data.filtered.n_samples(); ++s) {
        std::size_t const row = data.metadata_row.at(data.filtered.sample_ids()[s]);
        os << data.filtered.sample_ids()[s] << '\t' << md.values[md.column_index(spec.group)][row];
        for (auto const& c : columns) os << '\t' << md.values[md.column_index(c)][row];
        os << '\n';
    }
    out.commit();
    cx.wrote("samples", "samples.tsv");
}

}  // namespace

Step tables_step(StudySpec const& spec) {
    Step step;
    step.name = "tables";
    step.inputs = {"table", "metadata"};
    step.outputs = {"tables/", "samples.tsv"};
    step.options = {{"ranks", spec.ranks}};
    step.run = [](StepContext const& cx) {
        io::TableWriteOptions const w{run_header("tables")};
        io::write_table(cx.data.filtered, cx.path("tables/filtered.tsv"), io::TableFormat::tsv, w);
        cx.wrote("table", "tables/filtered.tsv", "", "", "feature");
        io::write_table(cx.data.filtered, cx.path("tables/filtered.biom"), io::TableFormat::biom_hdf5, w);
        cx.wrote("table_biom", "tables/filtered.biom", "", "", "feature");
        for (auto const& rank : table_ranks(cx.spec, cx.data)) {
            io::write_table(table_at_rank(cx.data, rank), cx.path("tables/" + rank + ".tsv"), io::TableFormat::tsv, w);
            cx.wrote("table", "tables/" + rank + ".tsv", "", "", rank);
        }
        write_samples(cx);
    };
    return step;
}

}  // namespace orbiome::study
