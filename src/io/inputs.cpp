#include "io/inputs.hpp"

#include <algorithm>
#include <unordered_set>

namespace orbiome::io {

namespace {

std::size_t hits(std::vector<std::string> const& ids, std::unordered_set<std::string_view> const& in) {
    return static_cast<std::size_t>(std::count_if(ids.begin(), ids.end(), [&](auto const& id) { return in.contains(id); }));
}

}  // namespace

TableAndMetadata read_table_and_metadata(std::string const& table_path, TableReadOptions const& table_options,
                                         std::string const& metadata_path, MetadataOptions const& metadata_options) {
    TableAndMetadata out;
    // The taxonomy is joined once the axes are settled: joined to a table read the wrong way
    // round, it would fail on the sample ids before the metadata could say so.
    TableReadOptions first = table_options;
    bool const join_later = table_options.orientation == Orientation::sniff && !table_options.taxonomy_path.empty();
    if (join_later) first.taxonomy_path.clear();
    out.table = read_table(table_path, first, out.report);
    MetadataOptions mopt = metadata_options;
    if (mopt.sample_ids.empty()) {
        mopt.sample_ids = out.table.sample_ids();
        mopt.sample_ids.insert(mopt.sample_ids.end(), out.table.feature_ids().begin(), out.table.feature_ids().end());
    }
    out.metadata = read_metadata(metadata_path, mopt);
    if (table_options.orientation == Orientation::sniff && !out.report.transposed && table_options.sample_ids.empty()) {
        std::unordered_set<std::string_view> const md(out.metadata.sample_ids.begin(), out.metadata.sample_ids.end());
        if (hits(out.table.sample_ids(), md) == 0 && hits(out.table.feature_ids(), md) > 0) {
            first.sample_ids = out.metadata.sample_ids;
            out.table = read_table(table_path, first, out.report);
        }
    }
    if (join_later) {
        out.table = attach_taxonomy(out.table, table_options.taxonomy_path);  // replaces lineages read from ids
        out.report.lineages_from_ids = false;
    }
    return out;
}

}  // namespace orbiome::io
