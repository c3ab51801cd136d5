#pragma once
/// \file metadata.hpp
/// Sample metadata: QIIME 2 metadata TSV (with an optional `#q2:types` row) and plain TSV (R's
/// write.table variant whose header lacks the first cell, the row names, is accepted).
///
/// The sample-id column, in this order:
///  1. `MetadataOptions::id_column` when given (exact name, else case-insensitive; `--id-column`,
///     the study's `[inputs] metadata_id_column`); absent is a UsageError (64) listing the columns;
///  2. the first column named as QIIME 2 names an id column (its metadata documentation, "Identifier
///     column"): `id`, `sampleid`, `sample id`, `sample-id`, `featureid`, `feature id`,
///     `feature-id` in any case, or `#SampleID`, `#Sample ID`, `#OTUID`, `#OTU ID`, `sample_name`
///     as spelled; anywhere in the header, not only first;
///  3. given the table's sample ids (`MetadataOptions::sample_ids`), the one column with unique,
///     non-empty values that holds the most of them (columns identical to an earlier one are the
///     same candidate); two different columns holding equally many is a ParseError (65) naming
///     both, with a hint to give the id column;
///  4. else the first column (R's row names for a header one cell short; when another column is
///     the id column, the row names are kept as a column named `row.names`).
///
/// Column types: from `#q2:types` (categorical / numeric) when present; otherwise a column is
/// numeric if every non-missing value parses as a finite number. Missing values ("", NA, NaN)
/// are kept as missing; using them in a formula is the caller's error to report.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>


namespace orbiome::io {

enum class ColumnType { categorical, numeric };

struct Metadata {
    std::string source;                          ///< file it was read from
    std::vector<std::string> sample_ids;
    std::vector<std::size_t> sample_lines;       ///< line number of each sample's row
    std::vector<std::string> columns;
    std::vector<ColumnType> types;               ///< per column
    std::vector<std::vector<std::string>> values;  ///< values[column][sample], as read (trimmed)
    std::string id_column;                       ///< header name of the id column ("" = R row names)

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::size_t column_index(std::string const& name) const;
    /// Column index; throws UsageError naming the file and listing the columns when absent.
    std::size_t require_column(std::string const& name) const;
    std::size_t sample_index(std::string const& id) const;
    /// Numeric values of a column (nullopt where missing). Throws ParseError at the first
    /// non-numeric value, naming file and line.
    std::vector<std::optional<double>> numeric(std::size_t column) const;
};

struct MetadataOptions {
    /// Name of the sample-id column; empty = find it (see the file comment).
    std::string id_column;
    /// The table's sample ids, used to find an id column that QIIME 2's names do not mark.
    std::vector<std::string> sample_ids;
};

/// Reads metadata. Throws ParseError on a ragged row, duplicate sample id or duplicate column,
/// a `#q2:types` value other than categorical/numeric, a numeric-typed value that is not a
/// number, or an ambiguous id column; UsageError when `options.id_column` is not a column.
Metadata read_metadata(std::string const& path);
Metadata read_metadata(std::string const& path, MetadataOptions const& options);

/// The metadata rows of the table's samples, in table order.
struct MetadataJoin {
    std::vector<std::size_t> row_of_sample;  ///< metadata row for each table sample
    std::size_t n_metadata_only = 0;         ///< metadata rows not in the table (ignored)
};

/// Joins sample ids (of a table or a distance matrix read from `ids_origin`) to metadata rows.
/// A sample missing from the metadata is a ParseError naming `ids_origin` and the metadata file
/// and listing the missing ids (first few, and how many). Metadata-only rows are counted.
MetadataJoin join_metadata(std::vector<std::string> const& sample_ids, std::string const& ids_origin,
                           Metadata const& md);

}  // namespace orbiome::io
