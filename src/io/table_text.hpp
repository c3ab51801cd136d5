#pragma once
/// \file table_text.hpp
/// What the text table formats share (internal to io): the file as lines, where the header is,
/// a per-column plan and the row parser that applies it. Each text format (format_*.cpp) builds
/// a ColumnPlan from the header and post-processes the ParsedRows.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "table/feature_table.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::io::detail {

/// A whole text file (or its first lines when sniffing), line i being line number i + 1 (BOM
/// and CR already stripped).
struct TextLines {
    std::string path;
    std::vector<std::string> lines;
};

/// Where the header is: a `#` line whose fields line up with the first data row (`#OTU ID`), or
/// else the first non-comment line.
struct HeaderLayout {
    std::size_t header_line = 0;      ///< index into TextLines::lines
    std::size_t first_data = 0;       ///< index of the first line after the header
    std::vector<std::string> header;  ///< header fields, the leading '#' removed
};

/// Data rows examined by the sniffers.
inline constexpr std::size_t kSniffRows = 10;

TextLines read_text_lines(std::string const& path);
/// The first lines of a text stream: enough for the header and kSniffRows data rows.
TextLines read_prefix(std::string const& path, std::istream& in);
/// Throws ParseError when the file holds no line at all.
HeaderLayout locate_header(TextLines const& text);
/// Fields of the data rows after the header (comments and blank lines skipped), at most `limit`.
std::vector<std::vector<std::string_view>> data_rows(TextLines const& text, HeaderLayout const& layout,
                                                     std::size_t limit);

std::string lower(std::string_view s);
/// `s` trimmed and without one pair of surrounding double quotes (R's write.table quoting).
std::string unquote(std::string_view s);
/// `taxonomy`, `lineage`, `Taxon`, `Consensus Lineage` (case-insensitive).
bool is_lineage_header(std::string_view name);
/// A rank spelled in full (`genus`, `Kingdom`); one-letter names are more likely samples.
std::optional<taxonomy::Rank> full_rank_name(std::string_view name);

/// Column roles of a features-as-rows text table.
enum class Role { id, rank, lineage, sample, skip };

struct ColumnPlan {
    std::vector<Role> role;
    std::vector<taxonomy::Rank> rank;  ///< per column, meaningful for Role::rank
    std::vector<std::string> samples;  ///< sample ids in column order
    bool unquote = false;
    bool header_has_id = true;         ///< false for R tables (header lacks the first cell)
};

struct ParsedRows {
    std::vector<std::string> ids;
    std::vector<std::size_t> lines;     ///< 1-based line of each row
    std::vector<std::string> lineages;  ///< empty when the table has no lineage information
    std::vector<table::Entry> entries;
};

/// Parses every data row by `plan`. Throws ParseError naming file:line for a ragged row, an empty
/// or duplicate id, a value that is not a non-negative number, or a duplicate/empty sample id.
ParsedRows parse_rows(TextLines const& text, HeaderLayout const& layout, ColumnPlan const& plan);

/// The rows listed in `keep` (indices into rows.ids, in that order) as a table.
table::FeatureTable keep_rows(ParsedRows const& rows, std::vector<std::size_t> const& keep,
                              std::vector<std::string> ids, std::vector<std::string> lineages,
                              std::vector<std::string> samples, std::string const& origin);

}  // namespace orbiome::io::detail
