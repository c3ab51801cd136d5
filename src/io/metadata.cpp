#include "io/metadata.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <unordered_map>

#include "core/error.hpp"
#include "core/text.hpp"

namespace orbiome::io {

namespace {

constexpr std::string_view kTypesDirective = "#q2:types";
constexpr std::size_t kMaxListedIds = 5;  // how many missing ids an error message spells out

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// R's write.table quotes text cells by default ("a", with "" for a quote); undo that so an R
// export and its unquoted twin read the same.
std::string unquote(std::string_view s) {
    s = trim(s);
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        out += s[i];
        if (s[i] == '"' && i + 2 < s.size() && s[i + 1] == '"') ++i;
    }
    return out;
}

std::vector<std::string> cells(std::string const& line) {
    std::vector<std::string> out;
    for (std::string_view f : split(line, '\t')) out.push_back(unquote(f));
    return out;
}

bool is_blank(std::string const& line) { return trim(line).empty(); }

// QIIME 1 mapping files start their header with "#SampleID"; QIIME 2 accepts the same spellings.
bool is_commented_header(std::string const& line) {
    if (line.rfind("#q2:", 0) == 0) return false;
    std::string first = lower(trim(split(line, '\t')[0]));
    std::erase_if(first, [](char c) { return c == '#' || c == ' ' || c == '-' || c == '_'; });
    return first == "sampleid" || first == "otuid" || first == "featureid" || first == "id";
}

bool is_number(std::string_view s) {
    try {
        parse_double(s, {}, 0, {});
        return true;
    } catch (ParseError const&) {
        return false;
    }
}

std::string quote_list(std::vector<std::string> const& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < kMaxListedIds; ++i) out += (i ? ", '" : "'") + ids[i] + "'";
    if (ids.size() > kMaxListedIds) out += " and " + std::to_string(ids.size() - kMaxListedIds) + " more";
    return out;
}

}  // namespace

std::size_t Metadata::column_index(std::string const& name) const {
    auto const it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? npos : static_cast<std::size_t>(it - columns.begin());
}

std::size_t Metadata::require_column(std::string const& name) const {
    std::size_t const c = column_index(name);
    if (c == npos)
        throw UsageError(source + ": no metadata column '" + name + "'", "columns are: " + join(columns, ", "));
    return c;
}

std::size_t Metadata::sample_index(std::string const& id) const {
    auto const it = std::find(sample_ids.begin(), sample_ids.end(), id);
    return it == sample_ids.end() ? npos : static_cast<std::size_t>(it - sample_ids.begin());
}

std::vector<std::optional<double>> Metadata::numeric(std::size_t column) const {
    ORBIOME_ASSERT(column < columns.size());
    std::vector<std::optional<double>> out(sample_ids.size());
    for (std::size_t s = 0; s < sample_ids.size(); ++s) {
        std::string const& v = values[column][s];
        if (is_missing(v)) continue;
        out[s] = parse_double(v, source, sample_lines[s],
                              "column '" + columns[column] + "', sample '" + sample_ids[s] + "'");
    }
    return out;
}

Metadata read_metadata(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(Errc::no_input, path, "cannot open metadata file");
    LineReader reader(in, path);
    Metadata md;
    md.source = path;

    std::string line;
    std::vector<std::string> header;
    std::size_t header_line = 0;
    while (reader.next(line)) {
        if (is_blank(line)) continue;
        if (line.front() == '#' && !is_commented_header(line)) continue;
        header = cells(line);
        header_line = reader.line_no();
        break;
    }
    if (header_line == 0) fail_data(path, reader.line_no(), "no header line in metadata file");

    std::vector<std::string> declared;  // from #q2:types, per column; "" = infer
    bool r_style = false;               // header lacks the id column's cell (R write.table)
    bool layout_known = false;
    std::unordered_map<std::string, std::size_t> line_of_id;

    auto set_columns = [&](bool lacks_first_cell) {
        r_style = lacks_first_cell;
        md.columns.assign(header.begin() + (r_style ? 0 : 1), header.end());
        std::unordered_map<std::string, std::size_t> seen;
        for (std::size_t c = 0; c < md.columns.size(); ++c) {
            if (md.columns[c].empty())
                fail_data(path, header_line, "empty column name (column " + std::to_string(c + 2) + ")");
            if (!seen.emplace(md.columns[c], c).second)
                fail_data(path, header_line, "duplicate column '" + md.columns[c] + "'");
        }
        md.values.assign(md.columns.size(), {});
        layout_known = true;
    };

    while (reader.next(line)) {
        if (is_blank(line)) continue;
        std::vector<std::string> row = cells(line);
        if (line.rfind(kTypesDirective, 0) == 0 && trim(split(line, '\t')[0]) == kTypesDirective) {
            if (!md.sample_ids.empty() || !declared.empty())
                fail_data(path, reader.line_no(), "'#q2:types' must directly follow the header line");
            if (!layout_known) set_columns(false);
            if (row.size() > md.columns.size() + 1)
                fail_data(path, reader.line_no(),
                          "'#q2:types' row has " + std::to_string(row.size()) + " fields, header has " +
                              std::to_string(md.columns.size() + 1));
            declared.assign(md.columns.size(), "");
            for (std::size_t c = 1; c < row.size(); ++c) {
                std::string const t = lower(row[c]);
                if (t != "categorical" && t != "numeric" && !t.empty())
                    fail_data(path, reader.line_no(),
                              "column '" + md.columns[c - 1] + "': '#q2:types' value '" + row[c] +
                                  "' is not 'categorical' or 'numeric'");
                declared[c - 1] = t;
            }
            continue;
        }
        if (line.front() == '#') continue;
        if (!layout_known) set_columns(row.size() == header.size() + 1);
        std::size_t const expected = md.columns.size() + 1;
        if (row.size() != expected)
            fail_data(path, reader.line_no(),
                      "ragged row: " + std::to_string(row.size()) + " fields, header has " + std::to_string(expected),
                      r_style ? "the header lacks the sample-id cell (R write.table style)" : "");
        std::string const& id = row[0];
        if (id.empty()) fail_data(path, reader.line_no(), "empty sample id");
        auto const [it, fresh] = line_of_id.emplace(id, reader.line_no());
        if (!fresh)
            fail_data(path, reader.line_no(),
                      "duplicate sample id '" + id + "' (first on line " + std::to_string(it->second) + ")");
        md.sample_ids.push_back(id);
        md.sample_lines.push_back(reader.line_no());
        for (std::size_t c = 1; c < row.size(); ++c) md.values[c - 1].push_back(std::move(row[c]));
    }
    if (md.sample_ids.empty()) fail_data(path, reader.line_no(), "metadata has a header but no sample rows");

    md.types.assign(md.columns.size(), ColumnType::categorical);
    for (std::size_t c = 0; c < md.columns.size(); ++c) {
        std::string const decl = declared.empty() ? std::string() : declared[c];
        if (decl == "numeric") {
            md.types[c] = ColumnType::numeric;
            md.numeric(c);  // validates every value, naming the first bad line
        } else if (decl.empty()) {
            bool any = false, all_numeric = true;
            for (std::string const& v : md.values[c]) {
                if (is_missing(v)) continue;
                any = true;
                if (!is_number(v)) {
                    all_numeric = false;
                    break;
                }
            }
            if (any && all_numeric) md.types[c] = ColumnType::numeric;
        }
    }
    return md;
}

MetadataJoin join_metadata(std::vector<std::string> const& sample_ids, std::string const& ids_origin,
                           Metadata const& md) {
    std::unordered_map<std::string_view, std::size_t> row_of;
    row_of.reserve(md.sample_ids.size());
    for (std::size_t r = 0; r < md.sample_ids.size(); ++r) row_of.emplace(md.sample_ids[r], r);

    MetadataJoin j;
    j.row_of_sample.reserve(sample_ids.size());
    std::vector<std::string> missing;
    std::vector<char> used(md.sample_ids.size(), 0);
    for (std::string const& id : sample_ids) {
        auto const it = row_of.find(id);
        if (it == row_of.end()) {
            missing.push_back(id);
            continue;
        }
        j.row_of_sample.push_back(it->second);
        used[it->second] = 1;
    }
    if (!missing.empty())
        throw ParseError(SourceLoc{ids_origin},
                         std::to_string(missing.size()) + " of " + std::to_string(sample_ids.size()) +
                             " samples are not in metadata " + md.source + ": " + quote_list(missing),
                         "sample ids must match the metadata's first column exactly (case and punctuation)");
    j.n_metadata_only = static_cast<std::size_t>(std::count(used.begin(), used.end(), 0));
    return j;
}

}  // namespace orbiome::io
