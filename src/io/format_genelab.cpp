// Format `genelab`: NASA GeneLab `taxonomy-and-counts.tsv`: id, then rank columns named in full
// (domain..species, at least two), then samples.
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io::detail {

namespace {

using table::FeatureTable;

int sniff(SniffInput const& in) {
    if (!in.text) return kNotThisFormat;
    auto const& h = in.layout->header;
    return h.size() >= 3 && full_rank_name(h[1]) && full_rank_name(h[2]) ? kHeaderNames : kNotThisFormat;
}

FeatureTable read(std::string const& path, TableReadOptions const&) {
    TextLines const text = read_text_lines(path);
    HeaderLayout const layout = locate_header(text);
    ColumnPlan plan;
    auto const& h = layout.header;
    plan.role.push_back(Role::id);
    plan.rank.push_back(taxonomy::Rank::domain);
    std::size_t c = 1;
    for (; c < h.size(); ++c) {
        auto const r = full_rank_name(h[c]);
        if (!r) break;
        plan.role.push_back(Role::rank);
        plan.rank.push_back(*r);
    }
    for (; c < h.size(); ++c) {
        plan.role.push_back(Role::sample);
        plan.rank.push_back(taxonomy::Rank::domain);
        plan.samples.emplace_back(trim(h[c]));
    }
    auto rows = parse_rows(text, layout, plan);
    return FeatureTable(std::move(rows.ids), std::move(plan.samples), std::move(rows.entries), std::move(rows.lineages),
                        text.path);
}


}  // namespace

FormatHandler const kGenelabFormat{TableFormat::genelab, &sniff, &read, nullptr};

}  // namespace orbiome::io::detail
