#include "io/metadata.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

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


// QIIME 2's identifier-column names (docs.qiime2.org, "Metadata in QIIME 2", Identifier column):
// these in any case ...
constexpr std::string_view kIdNamesAnyCase[] = {"id", "sampleid", "sample id", "sample-id",
                                                "featureid", "feature id", "feature-id"};
// ... and these as spelled (QIIME 1, biom-format and Qiita; the leading '#' is already removed).
constexpr std::string_view kIdNamesExact[] = {"SampleID", "Sample ID", "OTUID", "OTU ID", "sample_name"};

bool is_qiime_id_name(std::string const& name, bool had_hash) {
    std::string const l = lower(trim(name));
    for (auto n : kIdNamesAnyCase)
        if (l == n) return true;
    for (auto n : kIdNamesExact)
        if (trim(name) == n && (had_hash || n == "sample_name")) return true;
    return false;
}

std::string column_label(std::vector<std::string> const& header, std::size_t c) {
    return header[c].empty() ? "column " + std::to_string(c + 1) + " (row names)" : "'" + header[c] + "'";
}

/// The id column (see metadata.hpp for the rules).
std::size_t id_column_of(std::string const& path, std::vector<std::string> const& header,
                         std::vector<std::vector<std::string>> const& rows, MetadataOptions const& options) {
    if (!options.id_column.empty()) {
        for (std::size_t c = 0; c < header.size(); ++c)
            if (header[c] == options.id_column) return c;
        for (std::size_t c = 0; c < header.size(); ++c)
            if (lower(header[c]) == lower(options.id_column)) return c;
        std::vector<std::string> names;
        for (auto const& h : header)
            if (!h.empty()) names.push_back(h);
        throw UsageError(path + ": no metadata column '" + options.id_column + "' to take sample ids from",
                         "columns are: " + join(names, ", "));
    }
    // "#SampleID": is_commented_header let it through; its '#' was removed from header[0].
    for (std::size_t c = 0; c < header.size(); ++c)
        if (is_qiime_id_name(header[c], c == 0)) return c;
    if (options.sample_ids.empty()) return 0;

    std::unordered_set<std::string_view> const wanted(options.sample_ids.begin(), options.sample_ids.end());
    std::vector<std::size_t> best;
    std::size_t best_hits = 0;
    std::unordered_set<std::string_view> values;
    for (std::size_t c = 0; c < header.size(); ++c) {
        values.clear();
        std::size_t hits = 0;
        bool unique = true;
        for (auto const& row : rows) {
            if (row[c].empty() || !values.insert(row[c]).second) {
                unique = false;
                break;
            }
            hits += wanted.contains(row[c]);
        }
        if (!unique || hits == 0 || hits < best_hits) continue;
        if (hits > best_hits) best.clear();
        best_hits = hits;
        bool const same_as_earlier = std::any_of(best.begin(), best.end(), [&](std::size_t b) {
            return std::all_of(rows.begin(), rows.end(), [&](auto const& row) { return row[b] == row[c]; });
        });
        if (!same_as_earlier) best.push_back(c);
    }
    if (best.empty()) return 0;
    if (best.size() > 1) {
        std::vector<std::string> names;
        for (auto c : best) names.push_back(column_label(header, c));
        throw ParseError({path}, "cannot tell the sample-id column: " + join(names, " and ") + " each hold " +
                                     std::to_string(best_hits) + " of the table's ids",
                         "name it with --id-column (in a study file: [inputs] metadata_id_column)");
    }
    return best.front();
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

Metadata read_metadata(std::string const& path) { return read_metadata(path, MetadataOptions{}); }

Metadata read_metadata(std::string const& path, MetadataOptions const& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(Errc::no_input, path, "cannot open metadata file");
    LineReader reader(in, path);

    std::string line;
    std::vector<std::string> header;  // every column's name, the id column's included
    std::size_t header_line = 0;
    while (reader.next(line)) {
        if (is_blank(line)) continue;
        if (line.front() == '#' && !is_commented_header(line)) continue;
        header = cells(line);
        header_line = reader.line_no();
        break;
    }
    if (header_line == 0) fail_data(path, reader.line_no(), "no header line in metadata file");
    if (!header.empty() && header[0].starts_with('#')) header[0].erase(0, 1);

    std::vector<std::string> declared;  // from #q2:types, per header column; "" = infer
    bool r_style = false;               // header lacks the row names' cell (R write.table)
    bool layout_known = false;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;

    auto set_layout = [&](bool lacks_first_cell) {
        r_style = lacks_first_cell;
        if (r_style) header.insert(header.begin(), std::string());
        layout_known = true;
    };

    while (reader.next(line)) {
        if (is_blank(line)) continue;
        std::vector<std::string> row = cells(line);
        if (line.rfind(kTypesDirective, 0) == 0 && trim(split(line, '\t')[0]) == kTypesDirective) {
            if (!rows.empty() || !declared.empty())
                fail_data(path, reader.line_no(), "'#q2:types' must directly follow the header line");
            if (!layout_known) set_layout(false);
            if (row.size() > header.size())
                fail_data(path, reader.line_no(),
                          "'#q2:types' row has " + std::to_string(row.size()) + " fields, header has " +
                              std::to_string(header.size()));
            declared.assign(header.size(), "");
            for (std::size_t c = 1; c < row.size(); ++c) {
                std::string const t = lower(row[c]);
                if (t != "categorical" && t != "numeric" && !t.empty())
                    fail_data(path, reader.line_no(),
                              "column '" + header[c] + "': '#q2:types' value '" + row[c] +
                                  "' is not 'categorical' or 'numeric'");
                declared[c] = t;
            }
            continue;
        }
        if (line.front() == '#') continue;
        if (!layout_known) set_layout(row.size() == header.size() + 1);
        if (row.size() != header.size())
            fail_data(path, reader.line_no(),
                      "ragged row: " + std::to_string(row.size()) + " fields, header has " +
                          std::to_string(header.size()),
                      r_style ? "the header lacks the sample-id cell (R write.table style)" : "");
        rows.push_back(std::move(row));
        lines.push_back(reader.line_no());
    }
    if (rows.empty()) fail_data(path, reader.line_no(), "metadata has a header but no sample rows");

    std::size_t const idc = id_column_of(path, header, rows, options);
    Metadata md;
    md.source = path;
    md.id_column = header[idc];
    std::unordered_map<std::string, std::size_t> seen;
    // R's row names, when another column holds the ids, are a column as R calls them.
    if (r_style && idc != 0) header[0] = "row.names";
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (c == idc) continue;
        if (header[c].empty())
            fail_data(path, header_line, "empty column name (column " + std::to_string(c + 1) + ")");
        if (!seen.emplace(header[c], c).second) fail_data(path, header_line, "duplicate column '" + header[c] + "'");
        md.columns.push_back(header[c]);
    }
    md.values.assign(md.columns.size(), {});
    std::unordered_map<std::string, std::size_t> line_of_id;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::string const& id = rows[r][idc];
        if (id.empty()) fail_data(path, lines[r], "empty sample id");
        auto const [it, fresh] = line_of_id.emplace(id, lines[r]);
        if (!fresh)
            fail_data(path, lines[r], "duplicate sample id '" + id + "' (first on line " + std::to_string(it->second) + ")");
        md.sample_ids.push_back(id);
        md.sample_lines.push_back(lines[r]);
        for (std::size_t c = 0, k = 0; c < header.size(); ++c)
            if (c != idc) md.values[k++].push_back(std::move(rows[r][c]));
    }

    md.types.assign(md.columns.size(), ColumnType::categorical);
    for (std::size_t c = 0, k = 0; c < header.size(); ++c) {
        if (c == idc) continue;
        std::string const decl = declared.empty() ? std::string() : declared[c];
        if (decl == "numeric") {
            md.types[k] = ColumnType::numeric;
            md.numeric(k);  // validates every value, naming the first bad line
        } else if (decl.empty()) {
            bool any = false, all_numeric = true;
            for (std::string const& v : md.values[k]) {
                if (is_missing(v)) continue;
                any = true;
                if (!is_number(v)) {
                    all_numeric = false;
                    break;
                }
            }
            if (any && all_numeric) md.types[k] = ColumnType::numeric;
        }
        ++k;
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
                         "sample ids must match the metadata's id column" +
                             (md.id_column.empty() ? std::string() : " '" + md.id_column + "'") +
                             " exactly (case and punctuation); --id-column names another");
    j.n_metadata_only = static_cast<std::size_t>(std::count(used.begin(), used.end(), 0));
    return j;
}

}  // namespace orbiome::io
