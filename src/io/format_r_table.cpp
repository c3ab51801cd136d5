// Format `r_table`: R `write.table` output, features as rows, whose header lacks the first
// (row-name) cell; cells in double quotes (R's default quote = TRUE) are unquoted.
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io::detail {

namespace {

using table::FeatureTable;

int sniff(SniffInput const& in) {
    if (!in.text) return kNotThisFormat;
    auto const rows = data_rows(*in.text, *in.layout, 1);
    return !rows.empty() && rows[0].size() == in.layout->header.size() + 1 ? kShape : kNotThisFormat;
}

FeatureTable read(std::string const& path, TableReadOptions const&) {
    TextLines const text = read_text_lines(path);
    HeaderLayout const layout = locate_header(text);
    ColumnPlan plan;
    plan.unquote = true;
    plan.header_has_id = false;
    plan.role.push_back(Role::id);
    for (auto const& name : layout.header) {
        plan.role.push_back(Role::sample);
        plan.samples.push_back(unquote(name));
    }
    plan.rank.resize(plan.role.size());
    auto rows = parse_rows(text, layout, plan);
    return FeatureTable(std::move(rows.ids), std::move(plan.samples), std::move(rows.entries), std::move(rows.lineages),
                        text.path);
}

}  // namespace

FormatHandler const kRTableFormat{TableFormat::r_table, &sniff, &read, nullptr};

}  // namespace orbiome::io::detail
