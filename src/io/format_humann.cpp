// Format `humann`: HUMAnN 3 gene-family and pathway tables (`# Gene Family` / `# Pathway`
// header). A row is either a community total (`UniRef90_X`, `PWY-1`, `UNMAPPED`, `UNINTEGRATED`)
// or one taxon's share of it (`UniRef90_X|g__Genus.s__Species`, `...|unclassified`). Summing
// both kinds counts every stratified feature twice, so only one kind is read: by default the
// community rows (what humann_split_stratified_table writes to `_unstratified`: every row
// without a `|`), or with HumannRows::stratified only the `|` rows (its `_stratified` file).
// Stratified features keep their full row name as id and get the stratum as lineage
// (`g__Genus;s__Species`; `unclassified` is an unassigned, empty lineage), so collapsing to genus
// gives each genus's contribution.
#include <unordered_set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "io/biom_io.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io::detail {

namespace {

using table::FeatureTable;

constexpr std::string_view kUnclassified = "unclassified";

bool is_humann_header(std::string_view first) {
    first = trim(first);
    return first == "Gene Family" || first.starts_with("Pathway");
}

bool is_humann_total(std::string_view id) { return id == "UNMAPPED" || id == "UNINTEGRATED"; }

/// `g__`, `s__`, `t__`, ...: a one-letter rank prefix, as HUMAnN names taxa in strata.
bool starts_with_rank_prefix(std::string_view s) {
    return s.size() > 3 && s[0] >= 'a' && s[0] <= 'z' && s[1] == '_' && s[2] == '_';
}

int sniff(SniffInput const& in) {
    if (!in.text) return kNotThisFormat;
    auto const& h = in.layout->header;
    bool const commented = in.text->lines[in.layout->header_line].starts_with('#');
    if (commented && !h.empty() && is_humann_header(h[0])) return kSignature;
    for (auto const& row : data_rows(*in.text, *in.layout, kSniffRows)) {
        std::string_view const id = trim(row[0]);
        auto const bar = id.find('|');
        if (is_humann_total(id) ||
            (bar != std::string_view::npos && bar > 0 && !starts_with_rank_prefix(id) &&  // not a clade path
             (id.substr(bar + 1) == kUnclassified || starts_with_rank_prefix(id.substr(bar + 1)))))
            return kSignature;
    }
    return kNotThisFormat;
}

/// `g__A.s__A_b` -> `g__A;s__A_b`: HUMAnN joins the levels of a stratum with '.', which species
/// names also contain (`s__Bacteroides_sp._D2`), so only a '.' before a rank prefix separates.
std::string stratum_lineage(std::string_view stratum) {
    if (stratum == kUnclassified) return {};
    std::string out;
    for (std::size_t i = 0; i < stratum.size(); ++i) {
        if (stratum[i] == '.' && starts_with_rank_prefix(stratum.substr(i + 1)))
            out += ';';
        else
            out += stratum[i];
    }
    return canonical_lineage(out);
}

/// Checks the shape of a stratified row name: FEATURE|STRATUM with both parts non-empty, one
/// '|', and a stratum that is a taxon (`g__...`) or `unclassified`.
void check_stratum(std::string const& id, std::size_t bar, std::string const& path, std::size_t line) {
    std::string_view const stratum = std::string_view(id).substr(bar + 1);
    if (bar == 0 || stratum.empty() || stratum.find('|') != std::string_view::npos ||
        (stratum != kUnclassified && !starts_with_rank_prefix(stratum)))
        fail_data(path, line, "malformed HUMAnN stratified row '" + id + "'",
                  "expected FEATURE|g__Genus.s__Species or FEATURE|unclassified");
}

FeatureTable read(std::string const& path, TableReadOptions const& options) {
    TextLines const text = read_text_lines(path);
    HeaderLayout const layout = locate_header(text);
    ColumnPlan plan;
    auto const& h = layout.header;
    plan.role.push_back(Role::id);
    for (std::size_t c = 1; c < h.size(); ++c) {
        plan.role.push_back(Role::sample);
        plan.samples.emplace_back(trim(h[c]));
    }
    plan.rank.resize(plan.role.size());
    auto rows = parse_rows(text, layout, plan);

    std::unordered_set<std::string_view> community;
    for (auto const& id : rows.ids)
        if (id.find('|') == std::string::npos) community.insert(id);
    bool const stratified = options.humann_rows == HumannRows::stratified;
    std::vector<std::size_t> keep;
    std::vector<std::string> ids, lineages;
    for (std::size_t r = 0; r < rows.ids.size(); ++r) {
        std::string const& id = rows.ids[r];
        auto const bar = id.find('|');
        if (bar == std::string::npos) {
            if (!stratified) {
                keep.push_back(r);
                ids.push_back(id);
            }
            continue;
        }
        check_stratum(id, bar, path, rows.lines[r]);
        if (stratified) {
            keep.push_back(r);
            ids.push_back(id);
            lineages.push_back(stratum_lineage(std::string_view(id).substr(bar + 1)));
        } else if (!community.contains(std::string_view(id).substr(0, bar))) {
            fail_data(path, rows.lines[r],
                      "stratified row '" + id + "' has no community row '" + id.substr(0, bar) + "'",
                      "a table of stratified rows only (humann_split_stratified_table's _stratified file) is read "
                      "with --stratified");
        }
    }
    if (stratified && keep.empty())
        fail_data(path, layout.header_line + 1, "HUMAnN table has no stratified rows (FEATURE|taxon)",
                  "read it without --stratified");
    return keep_rows(rows, keep, std::move(ids), std::move(lineages), std::move(plan.samples), path);
}

}  // namespace

FormatHandler const kHumannFormat{TableFormat::humann, &sniff, &read, nullptr};

}  // namespace orbiome::io::detail
