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
#include "io/table_formats.hpp"
#include "table/ops.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::io {

namespace {

using table::FeatureTable;
using namespace detail;

/// Every format orbiome reads, in the order that breaks sniffing ties.
constexpr FormatHandler const* kFormats[] = {&kBiomHdf5Format,       &kBiomJsonFormat, &kMetaphlanFormat,
                                             &kHumannFormat,         &kCamiFormat,     &kOrbiomeProfileFormat,
                                             &kRTableFormat,         &kGenelabFormat,  &kTsvFormat};

/// Bytes read for sniffing: enough for an HDF5 signature after a 4 KiB user block.
constexpr std::size_t kSniffBytes = 4096 + 8;

FormatHandler const& handler(TableFormat f) {
    for (auto const* h : kFormats)
        if (h->format == f) return *h;
    throw UsageError("unknown table format", "use tsv, biom-json or biom-hdf5");
}

FormatHandler const& sniff_handler(std::string const& path) {
    auto in = open_input(path);
    std::string head(kSniffBytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    SniffInput input{head};
    FormatHandler const* best = nullptr;
    int best_score = kNotThisFormat;
    auto consider = [&] {
        for (auto const* h : kFormats)
            if (int const score = h->sniff(input); score > best_score) {
                best = h;
                best_score = score;
            }
    };
    consider();
    if (best) return *best;
    std::size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
    if (i == head.size() && head.size() < kSniffBytes)
        throw ParseError({path}, "empty file", "expected a feature table (TSV, BIOM JSON or BIOM HDF5)");
    in.clear();
    in.seekg(0);
    TextLines const text = read_prefix(path, in);
    HeaderLayout const layout = locate_header(text);
    input.text = &text;
    input.layout = &layout;
    consider();
    ORBIOME_ASSERT(best);  // plain TSV accepts any text
    return *best;
}

bool has_rank_prefix(std::string_view level) {
    level = trim(level);
    // `g__Dorea`, and `g__` alone (GTDB and QIIME write unknown levels so)
    if (level.size() >= 3 && std::isalpha(static_cast<unsigned char>(level[0])) && level[1] == '_' && level[2] == '_')
        return true;
    // SILVA's numbered prefixes: D_0__ .. D_14__
    if (level.size() > 5 && level[0] == 'D' && level[1] == '_') {
        std::size_t k = 2;
        while (k < level.size() && std::isdigit(static_cast<unsigned char>(level[k]))) ++k;
        return k > 2 && level.substr(k).starts_with("__");
    }
    return false;
}

std::size_t count_lineage_shaped(std::vector<std::string> const& ids) {
    return static_cast<std::size_t>(std::count_if(ids.begin(), ids.end(), [](auto const& id) { return is_lineage_shaped(id); }));
}

std::size_t count_in(std::vector<std::string> const& ids, std::unordered_set<std::string_view> const& set) {
    return static_cast<std::size_t>(
        std::count_if(ids.begin(), ids.end(), [&](auto const& id) { return set.contains(id); }));
}

/// Why a table read with Orientation::sniff has samples as rows, or "" when it has not.
std::string samples_as_rows_evidence(FeatureTable const& t, std::vector<std::string> const& metadata_ids) {
    if (t.has_lineages() || t.n_samples() == 0 || t.n_features() == 0) return {};
    if (!metadata_ids.empty()) {
        std::unordered_set<std::string_view> const md(metadata_ids.begin(), metadata_ids.end());
        std::size_t const cols = count_in(t.sample_ids(), md), rows = count_in(t.feature_ids(), md);
        if (cols == 0 && rows > 0)
            return "its row ids, not its column names, are the metadata's sample ids (" + std::to_string(rows) +
                   " of " + std::to_string(t.n_features()) + " rows match)";
        if (cols > 0) return {};
    }
    std::size_t const lineage_columns = count_lineage_shaped(t.sample_ids());
    if (2 * lineage_columns >= t.n_samples() && count_lineage_shaped(t.feature_ids()) == 0)
        return "its column names are lineages (" + std::to_string(lineage_columns) + " of " +
               std::to_string(t.n_samples()) + ")";
    return {};
}

/// Lineages from lineage-shaped feature ids, when at least half are so shaped (real tables mix in
/// a few bare names such as `Unclassified`, which get an empty lineage).
FeatureTable with_lineages_from_ids(FeatureTable const& t, bool& done) {
    done = false;
    if (t.has_lineages() || t.n_features() == 0) return t;
    if (2 * count_lineage_shaped(t.feature_ids()) < t.n_features()) return t;
    std::vector<std::string> lineages;
    lineages.reserve(t.n_features());
    for (auto const& id : t.feature_ids()) lineages.push_back(is_lineage_shaped(id) ? canonical_lineage(id) : "");
    done = true;
    return FeatureTable(t.feature_ids(), t.sample_ids(), t.entries(), std::move(lineages));
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
        case TableFormat::humann: return "humann";
        case TableFormat::orbiome_profile: return "orbiome-profile";
        case TableFormat::cami: return "cami";
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

TableFormat sniff_table_format(std::string const& path) { return sniff_handler(path).format; }

bool is_lineage_shaped(std::string_view id) {
    char const sep = id.find(';') != std::string_view::npos ? ';' : '|';
    auto const levels = split(id, sep);
    if (levels.size() < 2) return false;
    for (std::size_t i = 0; i < levels.size(); ++i)
        if (!has_rank_prefix(levels[i]) && !(i + 1 == levels.size() && trim(levels[i]).empty())) return false;
    return true;
}

FeatureTable read_table(std::string const& path, TableReadOptions const& options) {
    TableReadReport report;
    return read_table(path, options, report);
}

FeatureTable read_table(std::string const& path, TableReadOptions const& options, TableReadReport& report) {
    FormatHandler const& format = sniff_handler(path);
    report = TableReadReport{format.format};
    FeatureTable t = format.read(path, options);
    switch (options.orientation) {
        case Orientation::features_as_rows: break;
        case Orientation::samples_as_rows:
            if (t.has_lineages())
                throw UsageError(path + ": the table has a lineage column, so its rows are features, not samples",
                                 "drop --samples-as-rows for this table");
            report.transposed = true;  // as the caller said: nothing to tell
            break;
        case Orientation::sniff: {
            std::string const why = samples_as_rows_evidence(t, options.sample_ids);
            if (!why.empty()) {
                report.transposed = true;
                report.orientation_note = "read " + path + " with samples as rows: " + why +
                                          " (--samples-as-rows / --features-as-rows to say so)";
            }
        }
    }
    if (report.transposed) t = table::transpose(t);
    if (!options.taxonomy_path.empty()) return attach_taxonomy(t, options.taxonomy_path);
    return with_lineages_from_ids(t, report.lineages_from_ids);
}

void write_table(FeatureTable const& t, std::string const& path, TableFormat format, TableWriteOptions const& options) {
    auto const& h = handler(format);
    if (!h.write)
        throw UsageError("cannot write tables as '" + std::string(format_name(format)) + "'",
                         "use tsv, biom-json or biom-hdf5");
    h.write(t, path, options.generated_by);
}

}  // namespace orbiome::io
