// Format `metaphlan`: MetaPhlAn merged table (`clade_name` [`NCBI_tax_id`] then samples); only
// the terminal clades are kept (see table_io.hpp for why and how ids and lineages are formed).
#include <unordered_map>
#include <unordered_set>

#include "core/text.hpp"
#include "io/biom_io.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io::detail {

namespace {

using table::FeatureTable;

bool looks_like_clade_path(std::string_view id) {
    return (id.starts_with("k__") || id.starts_with("d__")) && id.find('|') != std::string_view::npos;
}

int sniff(SniffInput const& in) {
    if (!in.text) return kNotThisFormat;
    auto const& h = in.layout->header;
    if (!h.empty() && lower(trim(h[0])) == "clade_name") return kSignature;
    for (auto const& row : data_rows(*in.text, *in.layout, kSniffRows))
        if (looks_like_clade_path(row[0])) return kSignature;
    return kNotThisFormat;
}

FeatureTable read(std::string const& path, TableReadOptions const&) {
    TextLines const text = read_text_lines(path);
    HeaderLayout const layout = locate_header(text);
    ColumnPlan plan;
    auto const& h = layout.header;
    plan.role.push_back(Role::id);
    for (std::size_t c = 1; c < h.size(); ++c) {
        std::string const l = lower(trim(h[c]));
        if (l == "ncbi_tax_id" || l == "additional_species") {
            plan.role.push_back(Role::skip);
        } else {
            plan.role.push_back(Role::sample);
            plan.samples.emplace_back(trim(h[c]));
        }
    }
    plan.rank.resize(plan.role.size());
    auto rows = parse_rows(text, layout, plan);

    // A clade is internal when some other row extends it: collect every proper prefix that ends
    // just before a '|'.
    std::unordered_set<std::string_view> internal;
    for (auto const& clade : rows.ids)
        for (std::size_t p = clade.find('|'); p != std::string::npos; p = clade.find('|', p + 1))
            internal.insert(std::string_view(clade).substr(0, p));

    std::vector<std::size_t> keep;
    std::unordered_map<std::string, std::size_t> last_level_count;
    auto last_level = [](std::string const& clade) {
        auto const p = clade.rfind('|');
        return p == std::string::npos ? clade : clade.substr(p + 1);
    };
    for (std::size_t f = 0; f < rows.ids.size(); ++f) {
        if (internal.count(rows.ids[f])) continue;
        keep.push_back(f);
        ++last_level_count[last_level(rows.ids[f])];
    }
    std::vector<std::string> ids, lineages;
    for (std::size_t const k : keep) {
        std::string const& clade = rows.ids[k];
        std::string const last = last_level(clade);
        ids.push_back(last_level_count[last] > 1 ? clade : last);
        lineages.push_back(clade == "UNKNOWN" ? std::string() : canonical_lineage(clade));
    }
    return keep_rows(rows, keep, std::move(ids), std::move(lineages), std::move(plan.samples), text.path);
}

}  // namespace

FormatHandler const kMetaphlanFormat{TableFormat::metaphlan, &sniff, &read, nullptr};

}  // namespace orbiome::io::detail
