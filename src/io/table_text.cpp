#include "io/table_text.hpp"

#include <algorithm>
#include <cctype>
#include <istream>
#include <optional>
#include <unordered_map>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/biom_io.hpp"

namespace orbiome::io::detail {

using table::Entry;
using table::FeatureTable;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_lineage_header(std::string_view name) {
    std::string const l = lower(trim(name));
    return l == "taxonomy" || l == "lineage" || l == "taxon" || l == "consensus lineage" || l == "consensus_lineage";
}

std::optional<taxonomy::Rank> full_rank_name(std::string_view name) {
    if (trim(name).size() < 2) return std::nullopt;  // one-letter "s" or "g" is more likely a sample
    return taxonomy::parse_rank(name);
}


TextLines read_prefix(std::string const& path, std::istream& in) {
    TextLines t{path, {}};
    LineReader reader(in, path);
    std::string line;
    std::size_t n_rows = 0;
    while (n_rows <= kSniffRows && reader.next(line)) {
        if (!line.empty() && line[0] != '#') ++n_rows;
        t.lines.push_back(line);
    }
    return t;
}

std::string unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return std::string(s);
}


namespace {

void check_samples(TextLines const& text, HeaderLayout const& layout, std::vector<std::string> const& samples) {
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (samples[i].empty())
            fail_data(text.path, layout.header_line + 1, "empty sample id (sample column " + std::to_string(i + 1) + ")");
        auto [it, inserted] = seen.emplace(samples[i], i);
        if (!inserted)
            fail_data(text.path, layout.header_line + 1,
                      "duplicate sample id '" + samples[i] + "' (sample columns " + std::to_string(it->second + 1) +
                          " and " + std::to_string(i + 1) + ")");
    }
}

}  // namespace

ParsedRows parse_rows(TextLines const& text, HeaderLayout const& layout, ColumnPlan const& plan) {
    check_samples(text, layout, plan.samples);
    ParsedRows out;
    bool const has_ranks = std::find(plan.role.begin(), plan.role.end(), Role::rank) != plan.role.end();
    bool const has_lineage = has_ranks || std::find(plan.role.begin(), plan.role.end(), Role::lineage) != plan.role.end();
    std::vector<taxonomy::Rank> ranks;
    for (std::size_t c = 0; c < plan.role.size(); ++c)
        if (plan.role[c] == Role::rank) ranks.push_back(plan.rank[c]);
    std::vector<std::string> what(plan.samples.size());
    for (std::size_t s = 0; s < what.size(); ++s) what[s] = "sample '" + plan.samples[s] + "'";

    std::unordered_map<std::string, std::size_t> seen;
    std::vector<std::string> rank_values;
    for (std::size_t i = layout.first_data; i < text.lines.size(); ++i) {
        auto const& line = text.lines[i];
        if (trim(line).empty() || line[0] == '#') continue;
        std::size_t const line_no = i + 1;
        auto const fields = split(line, '\t');
        if (fields.size() != plan.role.size()) {
            std::string const expected = plan.header_has_id
                                             ? std::to_string(plan.role.size()) + " like the header"
                                             : std::to_string(plan.role.size()) + " (row name + " +
                                                   std::to_string(plan.role.size() - 1) + " header columns)";
            fail_data(text.path, line_no,
                      "row has " + std::to_string(fields.size()) + " tab-separated fields, expected " + expected,
                      "every row needs one value per sample; check for missing or extra tabs");
        }
        auto const f = static_cast<std::uint32_t>(out.ids.size());
        std::string lineage;
        rank_values.clear();
        std::size_t s = 0;
        for (std::size_t c = 0; c < fields.size(); ++c) {
            switch (plan.role[c]) {
                case Role::id: {
                    std::string id = plan.unquote ? unquote(fields[c]) : std::string(trim(fields[c]));
                    if (id.empty()) fail_data(text.path, line_no, "empty feature id");
                    auto [it, inserted] = seen.emplace(id, line_no);
                    if (!inserted)
                        fail_data(text.path, line_no,
                                  "duplicate feature id '" + id + "' (first on line " + std::to_string(it->second) + ")");
                    out.ids.push_back(std::move(id));
                    break;
                }
                case Role::rank: rank_values.push_back(plan.unquote ? unquote(fields[c]) : std::string(fields[c])); break;
                case Role::lineage: lineage = canonical_lineage(plan.unquote ? unquote(fields[c]) : std::string(fields[c])); break;
                case Role::sample: {
                    double const v = parse_count(fields[c], text.path, line_no, what[s]);
                    if (v != 0) out.entries.push_back({f, static_cast<std::uint32_t>(s), v});
                    ++s;
                    break;
                }
                case Role::skip: break;
            }
        }
        if (has_ranks) lineage = canonical_lineage(taxonomy::lineage_from_columns(ranks, rank_values));
        if (has_lineage) out.lineages.push_back(std::move(lineage));
        out.lines.push_back(line_no);
    }
    return out;
}


TextLines read_text_lines(std::string const& path) {
    auto in = open_input(path);
    TextLines t{path, {}};
    LineReader reader(in, path);
    std::string line;
    while (reader.next(line)) t.lines.push_back(line);
    return t;
}

HeaderLayout locate_header(TextLines const& text) {
    auto const& lines = text.lines;
    std::size_t i = 0;
    std::optional<std::size_t> last_comment;
    while (i < lines.size() && (trim(lines[i]).empty() || lines[i][0] == '#')) {
        if (!trim(lines[i]).empty()) last_comment = i;
        ++i;
    }
    auto fields_of = [&](std::size_t k) {
        std::vector<std::string> out;
        for (auto f : split(lines[k], '\t')) out.emplace_back(f);
        return out;
    };
    HeaderLayout layout;
    if (i == lines.size()) {
        if (!last_comment) throw ParseError({text.path}, "empty file", "expected a header line and data rows");
        layout.header_line = *last_comment;
        layout.first_data = lines.size();
    } else {
        std::size_t const n_first = split(lines[i], '\t').size();
        // A comment that names the id column the way BIOM/QIIME/HUMAnN headers do is the header
        // even when the first data row is ragged; that row is then reported, not taken as a header.
        auto const names_id_column = [&](std::string_view line) {
            std::string_view const first = trim(line.substr(1, line.find('\t') - 1));
            return first == "OTU ID" || first == "OTU_ID" || first == "Feature ID" || first == "FeatureID" ||
                   first == "Gene Family" || first == "clade_name";
        };
        if (last_comment && ((n_first > 1 && split(lines[*last_comment], '\t').size() == n_first) ||
                             names_id_column(lines[*last_comment]))) {
            layout.header_line = *last_comment;
            layout.first_data = i;
        } else {
            layout.header_line = i;
            layout.first_data = i + 1;
        }
    }
    layout.header = fields_of(layout.header_line);
    if (lines[layout.header_line][0] == '#') layout.header[0].erase(0, 1);
    return layout;
}


std::vector<std::vector<std::string_view>> data_rows(TextLines const& text, HeaderLayout const& layout,
                                                     std::size_t limit) {
    std::vector<std::vector<std::string_view>> out;
    for (std::size_t i = layout.first_data; i < text.lines.size() && out.size() < limit; ++i) {
        auto const& line = text.lines[i];
        if (trim(line).empty() || line[0] == '#') continue;
        out.push_back(split(line, '\t'));
    }
    return out;
}

FeatureTable keep_rows(ParsedRows const& rows, std::vector<std::size_t> const& keep, std::vector<std::string> ids,
                       std::vector<std::string> lineages, std::vector<std::string> samples, std::string const& origin) {
    std::vector<std::uint32_t> new_index(rows.ids.size(), UINT32_MAX);
    for (std::size_t k = 0; k < keep.size(); ++k) new_index[keep[k]] = static_cast<std::uint32_t>(k);
    std::vector<Entry> entries;
    for (auto const& e : rows.entries)
        if (new_index[e.feature] != UINT32_MAX) entries.push_back({new_index[e.feature], e.sample, e.value});
    return FeatureTable(std::move(ids), std::move(samples), std::move(entries), std::move(lineages), origin);
}

}  // namespace orbiome::io::detail
