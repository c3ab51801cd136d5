#include "io/table_io.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/biom_io.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::io {

namespace {

using table::Entry;
using table::FeatureTable;

/// A whole text file, line i being line number i + 1 (BOM and CR already stripped).
struct TextLines {
    std::string path;
    std::vector<std::string> lines;
};

/// Where the header is: a `#` line whose fields line up with the first data row (`#OTU ID`), or
/// else the first non-comment line.
struct HeaderLayout {
    std::size_t header_line = 0;  ///< index into TextLines::lines
    std::size_t first_data = 0;   ///< index of the first line after the header
    std::vector<std::string> header;  ///< header fields, the leading '#' removed
};

HeaderLayout locate_header(TextLines const& text);

/// Integral values up to 2^53 are exact in a double and printed as plain integers.
constexpr double kMaxExactInteger = 9007199254740992.0;
/// Data rows examined by the sniffer when looking for MetaPhlAn clade paths.
constexpr std::size_t kSniffRows = 10;
/// Positions where an HDF5 superblock may start (after a user block of 0, 512, 1024, ... bytes).
constexpr std::size_t kHdf5SignatureOffsets[] = {0, 512, 1024, 2048, 4096};
constexpr std::string_view kHdf5Signature{"\x89HDF\r\n\x1a\n", 8};

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

bool looks_like_clade_path(std::string_view id) {
    return (id.starts_with("k__") || id.starts_with("d__")) && id.find('|') != std::string_view::npos;
}

TableFormat classify(TextLines const& text, HeaderLayout const& layout) {
    auto const& h = layout.header;
    std::string h0 = lower(trim(h.empty() ? std::string_view{} : std::string_view(h[0])));
    if (h0 == "clade_name") return TableFormat::metaphlan;
    std::size_t seen = 0;
    std::optional<std::size_t> first_fields;
    for (std::size_t i = layout.first_data; i < text.lines.size() && seen < kSniffRows; ++i) {
        auto const& line = text.lines[i];
        if (line.empty() || line[0] == '#') continue;
        auto const fields = split(line, '\t');
        if (!first_fields) first_fields = fields.size();
        if (looks_like_clade_path(fields[0])) return TableFormat::metaphlan;
        ++seen;
    }
    if (first_fields && *first_fields == h.size() + 1) return TableFormat::r_table;
    if (h.size() >= 3 && full_rank_name(h[1]) && full_rank_name(h[2])) return TableFormat::genelab;
    return TableFormat::tsv;
}

/// Reads the first lines of a text file, enough to find the header and a few data rows.
TextLines read_prefix(std::string const& path, std::istream& in) {
    TextLines t{path, {}};
    LineReader reader(in, path);
    std::string line;
    std::size_t data_rows = 0;
    while (data_rows <= kSniffRows && reader.next(line)) {
        if (!line.empty() && line[0] != '#') ++data_rows;
        t.lines.push_back(line);
    }
    return t;
}

std::string unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return std::string(s);
}

/// Column roles of a features-as-rows text table.
enum class Role { id, rank, lineage, sample, skip };

struct ColumnPlan {
    std::vector<Role> role;
    std::vector<taxonomy::Rank> rank;     ///< per column, meaningful for Role::rank
    std::vector<std::string> samples;     ///< sample ids in column order
    bool unquote = false;
    bool header_has_id = true;            ///< false for R tables (header lacks the first cell)
};

struct ParsedRows {
    std::vector<std::string> ids;
    std::vector<std::size_t> lines;
    std::vector<std::string> lineages;  ///< empty when the table has no lineage information
    std::vector<Entry> entries;
};

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

FeatureTable read_plain_tsv(TextLines const& text, HeaderLayout const& layout, bool r_style) {
    ColumnPlan plan;
    plan.unquote = r_style;
    plan.header_has_id = !r_style;
    auto const& h = layout.header;
    if (r_style) {
        plan.role.push_back(Role::id);
        for (auto const& name : h) {
            plan.role.push_back(Role::sample);
            plan.samples.push_back(unquote(name));
        }
    } else {
        if (h.size() < 1) fail_data(text.path, layout.header_line + 1, "header has no columns");
        plan.role.push_back(Role::id);
        for (std::size_t c = 1; c < h.size(); ++c) {
            if (c + 1 == h.size() && is_lineage_header(h[c])) {
                plan.role.push_back(Role::lineage);
            } else {
                plan.role.push_back(Role::sample);
                plan.samples.emplace_back(trim(h[c]));
            }
        }
    }
    plan.rank.resize(plan.role.size());
    auto rows = parse_rows(text, layout, plan);
    return FeatureTable(std::move(rows.ids), std::move(plan.samples), std::move(rows.entries), std::move(rows.lineages),
                        text.path);
}

FeatureTable read_genelab(TextLines const& text, HeaderLayout const& layout) {
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

FeatureTable read_metaphlan(TextLines const& text, HeaderLayout const& layout) {
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
    std::vector<std::uint32_t> new_index(rows.ids.size(), UINT32_MAX);
    std::vector<std::string> ids, lineages;
    for (std::size_t k = 0; k < keep.size(); ++k) {
        std::string const& clade = rows.ids[keep[k]];
        new_index[keep[k]] = static_cast<std::uint32_t>(k);
        std::string const last = last_level(clade);
        ids.push_back(last_level_count[last] > 1 ? clade : last);
        lineages.push_back(clade == "UNKNOWN" ? std::string() : canonical_lineage(clade));
    }
    std::vector<Entry> entries;
    for (auto const& e : rows.entries)
        if (new_index[e.feature] != UINT32_MAX) entries.push_back({new_index[e.feature], e.sample, e.value});
    return FeatureTable(std::move(ids), std::move(plan.samples), std::move(entries), std::move(lineages), text.path);
}

TableFormat sniff_stream(std::string const& path, std::ifstream& in) {
    std::string head(4096 + kHdf5Signature.size(), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    for (std::size_t off : kHdf5SignatureOffsets)
        if (head.size() >= off + kHdf5Signature.size() && head.compare(off, kHdf5Signature.size(), kHdf5Signature) == 0)
            return TableFormat::biom_hdf5;
    std::size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
    if (i == head.size() && head.size() < 4096)
        throw ParseError({path}, "empty file", "expected a feature table (TSV, BIOM JSON or BIOM HDF5)");
    if (i < head.size() && head[i] == '{') return TableFormat::biom_json;
    in.clear();
    in.seekg(0);
    TextLines const text = read_prefix(path, in);
    HeaderLayout const layout = locate_header(text);
    return classify(text, layout);
}

bool is_integer_value(double v) { return v >= 0 && v < kMaxExactInteger && v == static_cast<double>(static_cast<std::uint64_t>(v)); }

void append_value(std::string& out, double v, bool integral) {
    if (integral && is_integer_value(v)) {
        char buf[24];
        auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<std::uint64_t>(v));
        out.append(buf, ptr);
    } else {
        out += format_double(v);
    }
}

void check_writable_text(std::string const& s, std::string const& what, std::string const& path) {
    if (s.find_first_of("\t\n\r") != std::string::npos)
        throw ParseError({path}, what + " '" + s + "' contains a tab or line break and cannot be written as TSV",
                         "write BIOM (.biom or .json) instead");
}

void write_tsv(FeatureTable const& t, std::string const& path, std::string const& generated_by) {
    for (auto const& id : t.sample_ids()) check_writable_text(id, "sample id", path);
    for (auto const& id : t.feature_ids()) check_writable_text(id, "feature id", path);
    for (auto const& l : t.lineages()) check_writable_text(l, "lineage", path);
    // Transpose the sample-major storage once so each output row is one pass.
    std::size_t const nf = t.n_features(), ns = t.n_samples();
    std::vector<std::size_t> offsets(nf + 1, 0);
    for (std::size_t s = 0; s < ns; ++s)
        for (auto f : t.sample_features(s)) ++offsets[f + 1];
    for (std::size_t f = 0; f < nf; ++f) offsets[f + 1] += offsets[f];
    std::vector<std::uint32_t> samples(offsets.back());
    std::vector<double> values(offsets.back());
    std::vector<std::size_t> cursor(offsets.begin(), offsets.end() - 1);
    for (std::size_t s = 0; s < ns; ++s) {
        auto const fs = t.sample_features(s);
        auto const vs = t.sample_values(s);
        for (std::size_t i = 0; i < fs.size(); ++i) {
            samples[cursor[fs[i]]] = static_cast<std::uint32_t>(s);
            values[cursor[fs[i]]++] = vs[i];
        }
    }
    bool const integral = t.all_integral();

    AtomicOutput out(path);
    auto& os = out.stream();
    os << (generated_by.starts_with('#') ? "" : "#") << generated_by << '\n';
    os << "feature_id";
    for (auto const& s : t.sample_ids()) os << '\t' << s;
    if (t.has_lineages()) os << "\ttaxonomy";
    os << '\n';
    std::string row;
    for (std::size_t f = 0; f < nf; ++f) {
        row = t.feature_ids()[f];
        std::size_t k = offsets[f];
        for (std::size_t s = 0; s < ns; ++s) {
            row += '\t';
            if (k < offsets[f + 1] && samples[k] == s)
                append_value(row, values[k++], integral);
            else
                row += '0';
        }
        if (t.has_lineages()) {
            row += '\t';
            row += t.lineages()[f];
        }
        row += '\n';
        os << row;
    }
    out.commit();
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

}  // namespace

std::vector<TaxonomyRow> read_taxonomy(std::string const& path) {
    TextLines const text = read_text_lines(path);
    HeaderLayout layout = locate_header(text);
    auto& h = layout.header;
    std::size_t n_data_fields = h.size();
    for (std::size_t i = layout.first_data; i < text.lines.size(); ++i)
        if (!trim(text.lines[i]).empty() && text.lines[i][0] != '#') {
            n_data_fields = split(text.lines[i], '\t').size();
            break;
        }
    if (n_data_fields == h.size() + 1) h.insert(h.begin(), std::string());  // R tax_table: no first header cell

    // Column plan: one lineage column, or rank columns, or a header-less id<TAB>lineage file.
    std::optional<std::size_t> lineage_col;
    std::vector<std::size_t> rank_cols;
    std::vector<taxonomy::Rank> ranks;
    for (std::size_t c = 1; c < h.size(); ++c)
        if (is_lineage_header(unquote(h[c]))) {
            lineage_col = c;
            break;
        }
    if (!lineage_col) {
        for (std::size_t c = 1; c < h.size(); ++c) {
            auto const r = taxonomy::parse_rank(unquote(h[c]));
            if (!r) {
                if (h.size() == 2) break;
                fail_data(path, layout.header_line + 1,
                          "taxonomy column '" + h[c] + "' is neither a rank name nor a lineage column",
                          "expected id + Kingdom..Species columns, or id + a 'Taxon'/'taxonomy' column");
            }
            rank_cols.push_back(c);
            ranks.push_back(*r);
        }
        if (rank_cols.size() != h.size() - 1) {
            rank_cols.clear();
            ranks.clear();
            lineage_col = 1;
            // Two columns whose second header cell reads like a lineage: there is no header.
            if (h[1].find(';') != std::string::npos || h[1].starts_with("k__") || h[1].starts_with("d__"))
                layout.first_data = layout.header_line;
        }
    }
    if (h.size() < 2) fail_data(path, layout.header_line + 1, "taxonomy file needs an id column and lineage columns");

    std::vector<TaxonomyRow> rows;
    std::unordered_map<std::string, std::size_t> seen;
    std::vector<std::string> values;
    for (std::size_t i = layout.first_data; i < text.lines.size(); ++i) {
        auto const& line = text.lines[i];
        if (trim(line).empty() || line[0] == '#') continue;
        std::size_t const line_no = i + 1;
        auto const fields = split(line, '\t');
        if (fields.size() != h.size())
            fail_data(path, line_no,
                      "row has " + std::to_string(fields.size()) + " tab-separated fields, expected " +
                          std::to_string(h.size()) + " like the header");
        TaxonomyRow row;
        row.feature_id = unquote(fields[0]);
        row.line = line_no;
        if (row.feature_id.empty()) fail_data(path, line_no, "empty feature id");
        auto [it, inserted] = seen.emplace(row.feature_id, line_no);
        if (!inserted)
            fail_data(path, line_no,
                      "duplicate feature id '" + row.feature_id + "' (first on line " + std::to_string(it->second) + ")");
        if (lineage_col) {
            row.lineage = canonical_lineage(unquote(fields[*lineage_col]));
        } else {
            values.clear();
            for (auto c : rank_cols) values.push_back(unquote(fields[c]));
            row.lineage = canonical_lineage(taxonomy::lineage_from_columns(ranks, values));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

FeatureTable attach_taxonomy(FeatureTable const& t, std::string const& taxonomy_path) {
    constexpr std::size_t kMaxListed = 5;  // ids named in the message; the count gives the rest
    auto const rows = read_taxonomy(taxonomy_path);
    std::unordered_map<std::string, std::string const*> by_id;
    by_id.reserve(rows.size());
    for (auto const& r : rows) by_id.emplace(r.feature_id, &r.lineage);
    std::vector<std::string> lineages;
    lineages.reserve(t.n_features());
    std::vector<std::string> missing;
    std::size_t n_missing = 0;
    for (auto const& id : t.feature_ids()) {
        auto const it = by_id.find(id);
        if (it == by_id.end()) {
            if (missing.size() < kMaxListed) missing.push_back("'" + id + "'");
            ++n_missing;
            lineages.emplace_back();
        } else {
            lineages.push_back(*it->second);
        }
    }
    if (n_missing > 0)
        throw ParseError({taxonomy_path},
                         std::to_string(n_missing) + " of " + std::to_string(t.n_features()) +
                             " table features are missing from the taxonomy file: " + join(missing, ", ") +
                             (n_missing > missing.size() ? ", ..." : ""),
                         "is this the taxonomy of this table?");
    return FeatureTable(t.feature_ids(), t.sample_ids(), t.entries(), std::move(lineages), taxonomy_path);
}

std::string_view format_name(TableFormat f) {
    switch (f) {
        case TableFormat::tsv: return "tsv";
        case TableFormat::r_table: return "r-table";
        case TableFormat::genelab: return "genelab";
        case TableFormat::metaphlan: return "metaphlan";
        case TableFormat::biom_json: return "biom-json";
        case TableFormat::biom_hdf5: return "biom-hdf5";
    }
    return "unknown";
}

TableFormat parse_format_name(std::string_view name) {
    std::string const l = lower(trim(name));
    if (l == "tsv") return TableFormat::tsv;
    if (l == "biom-json" || l == "json") return TableFormat::biom_json;
    if (l == "biom-hdf5" || l == "hdf5" || l == "biom") return TableFormat::biom_hdf5;
    throw UsageError("unknown table format '" + std::string(name) + "'", "use tsv, biom-json or biom-hdf5");
}

TableFormat format_from_extension(std::string const& path) {
    auto const slash = path.find_last_of('/');
    auto const dot = path.find_last_of('.');
    std::string const ext = (dot == std::string::npos || (slash != std::string::npos && dot < slash))
                                ? std::string()
                                : lower(path.substr(dot + 1));
    if (ext == "tsv" || ext == "txt") return TableFormat::tsv;
    if (ext == "biom" || ext == "h5" || ext == "hdf5") return TableFormat::biom_hdf5;
    if (ext == "json") return TableFormat::biom_json;
    throw UsageError("cannot tell the table format from the file name '" + path + "'",
                     "use .tsv, .txt, .biom, .h5 or .json, or give --to tsv|biom-json|biom-hdf5");
}

TableFormat sniff_table_format(std::string const& path) {
    auto in = open_input(path);
    return sniff_stream(path, in);
}

FeatureTable read_table(std::string const& path, TableReadOptions const& options) {
    TableFormat const format = sniff_table_format(path);
    FeatureTable t;
    switch (format) {
        case TableFormat::biom_json: t = read_biom_json(path); break;
        case TableFormat::biom_hdf5: t = read_biom_hdf5(path); break;
        default: {
            TextLines const text = read_text_lines(path);
            HeaderLayout const layout = locate_header(text);
            if (format == TableFormat::genelab)
                t = read_genelab(text, layout);
            else if (format == TableFormat::metaphlan)
                t = read_metaphlan(text, layout);
            else
                t = read_plain_tsv(text, layout, format == TableFormat::r_table);
        }
    }
    if (!options.taxonomy_path.empty()) t = attach_taxonomy(t, options.taxonomy_path);
    return t;
}

void write_table(FeatureTable const& t, std::string const& path, TableFormat format, TableWriteOptions const& options) {
    switch (format) {
        case TableFormat::tsv: write_tsv(t, path, options.generated_by); return;
        case TableFormat::biom_json: write_biom_json(t, path, generated_by_value(options.generated_by)); return;
        case TableFormat::biom_hdf5: write_biom_hdf5(t, path, generated_by_value(options.generated_by)); return;
        default:
            throw UsageError("cannot write tables as '" + std::string(format_name(format)) + "'",
                             "use tsv, biom-json or biom-hdf5");
    }
}

}  // namespace orbiome::io
