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
    out.table = read_table(table_path, table_options, out.report);
    MetadataOptions mopt = metadata_options;
    if (mopt.sample_ids.empty()) {
        mopt.sample_ids = out.table.sample_ids();
        mopt.sample_ids.insert(mopt.sample_ids.end(), out.table.feature_ids().begin(), out.table.feature_ids().end());
    }
    out.metadata = read_metadata(metadata_path, mopt);
    if (table_options.orientation != Orientation::sniff || out.report.transposed || !table_options.sample_ids.empty())
        return out;
    std::unordered_set<std::string_view> const md(out.metadata.sample_ids.begin(), out.metadata.sample_ids.end());
    if (hits(out.table.sample_ids(), md) == 0 && hits(out.table.feature_ids(), md) > 0) {
        TableReadOptions again = table_options;
        again.sample_ids = out.metadata.sample_ids;
        out.table = read_table(table_path, again, out.report);
    }
    return out;
}

}  // namespace orbiome::io
