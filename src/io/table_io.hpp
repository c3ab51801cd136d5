#pragma once
/// \file table_io.hpp
/// Reading and writing feature tables in every format the field uses.
///
/// Formats (sniffed from content on read, never from the file name):
///  - `tsv`: orbiome/QIIME/BIOM-classic TSV, features as rows: optional leading `#` lines, the
///    last of which is the header when its fields line up with the data (`#OTU ID`), else the
///    first non-comment line is the header; first column feature ids; an optional last column
///    `taxonomy` (also `lineage`, `Taxon`, `Consensus Lineage`, case-insensitive) holding lineages.
///  - `r_table`: R `write.table` output whose header row lacks the first (row-name) cell; cells
///    wrapped in double quotes (R's default `quote = TRUE`) are unquoted.
///  - `genelab`: NASA GeneLab `taxonomy-and-counts.tsv`: id, then rank columns
///    (domain..species, at least two, named in full), then samples.
///  - `metaphlan`: MetaPhlAn merged table: `clade_name` [`NCBI_tax_id`] then samples, lineage in
///    the clade name (`k__...|p__...`); values are relative abundances (percent), kept as read.
///    Rows are nested clades (`k__A`, `k__A|p__B`, ...), so summing all rows counts every read
///    once per level. Only the TERMINAL rows are kept (clades that no other row extends with
///    `|`): they partition the profile, so sample sums stay consistent (about 100) and collapsing
///    to any rank gives MetaPhlAn's own clade values. Feature id = the clade's last level
///    (`s__Cutibacterium_acnes`; the full clade path when two terminal clades share a last
///    level); lineage = the clade path with its levels joined by `;`. `UNKNOWN` becomes the
///    feature `UNKNOWN` with an empty (unassigned) lineage. `NCBI_tax_id` and
///    `additional_species` columns are ignored.
///  - `biom_json`: BIOM 1.0 JSON (dense or sparse), observation metadata `taxonomy` (a list of
///    levels or one string). Text-valued matrices (`matrix_element_type` "unicode") are rejected.
///  - `biom_hdf5`: BIOM 2.1 HDF5 (libhdf5 C API), observation metadata `taxonomy`.
/// Every parse error names the file and the line (text) or dataset/record (BIOM). A table
/// sample or feature id given twice is an error naming both lines.
///
/// Lineages are stored in one canonical spelling whatever the source: levels trimmed of
/// surrounding spaces and joined by `;` (`k__Bacteria; p__Firmicutes` reads as
/// `k__Bacteria;p__Firmicutes`), trailing empty levels dropped. This is what makes
/// TSV -> BIOM -> TSV round trips exact, since BIOM stores a lineage as a list of levels.
/// References: BIOM format 1.0 and 2.1, McDonald et al. 2012, GigaScience 1:7,
/// doi:10.1186/2047-217X-1-7; https://biom-format.org/documentation/.

#include <string>
#include <string_view>
#include <vector>

#include "table/feature_table.hpp"

namespace orbiome::io {

enum class TableFormat { tsv, r_table, genelab, metaphlan, biom_json, biom_hdf5 };

/// Name as used on the command line (`--to`) and in messages: "tsv", "r-table", "genelab",
/// "metaphlan", "biom-json", "biom-hdf5".
std::string_view format_name(TableFormat f);
/// Parses a `--to` value: "tsv", "biom-json" (or "json"), "biom-hdf5" (or "hdf5", "biom").
/// Only writable formats are accepted; throws UsageError otherwise.
TableFormat parse_format_name(std::string_view name);
/// Output format from a file name: .tsv/.txt -> tsv, .biom/.h5/.hdf5 -> biom_hdf5, .json -> biom_json
/// (case-insensitive). Throws UsageError for other extensions.
TableFormat format_from_extension(std::string const& path);
/// The format of an existing file, from its content: HDF5 signature, a `{` after optional BOM
/// and spaces, else the shape of the text header (see the file comment). Reads at most the
/// first lines. Throws IoError (66) if the file is missing, ParseError (65) if it is empty.
TableFormat sniff_table_format(std::string const& path);

struct TableReadOptions {
    /// Optional separate taxonomy TSV (feature id, then either one lineage column or rank
    /// columns such as Kingdom..Species), joined by feature id; see read_taxonomy(). When set it
    /// replaces any lineages the table itself carries. A table feature missing from it is an
    /// error listing the first few ids.
    std::string taxonomy_path;
};

/// Reads a table in any supported format. Throws ParseError (65), IoError (66/74).
/// Cost: linear in the file size; the whole file is held in memory once while parsing.
table::FeatureTable read_table(std::string const& path, TableReadOptions const& options = {});

/// One feature's lineage from a taxonomy file.
struct TaxonomyRow {
    std::string feature_id;
    std::string lineage;  ///< canonical spelling (see the file comment); "" if unassigned
    std::size_t line = 0; ///< 1-based line in the file
};

/// Reads a taxonomy TSV. Accepted shapes (comment lines `#...` skipped as for tables):
///  - rank columns: `id Kingdom Phylum ... Species` (R `tax_table`, with or without the first
///    header cell; GlobalPatterns' `OTU Kingdom ...`), turned into lineages by
///    taxonomy::lineage_from_columns (empty/NA cells are unknown levels);
///  - a lineage column named `Taxon`, `taxonomy`, `lineage` or `Consensus Lineage` (QIIME 2's
///    `Feature ID / Taxon / Confidence`; other columns are ignored);
///  - exactly two columns `id<TAB>lineage`, with or without a header line.
/// Throws ParseError naming file:line for ragged rows, unknown columns, duplicate ids.
std::vector<TaxonomyRow> read_taxonomy(std::string const& path);

/// `t` with its lineages replaced by those of the taxonomy file at `taxonomy_path`, joined by
/// feature id (extra ids in the file are ignored). Throws ParseError naming the file and the
/// first few table features missing from it.
table::FeatureTable attach_taxonomy(table::FeatureTable const& t, std::string const& taxonomy_path);

struct TableWriteOptions {
    /// First line of TSV output, e.g. "#orbiome table convert 0.1.0-g1234" (a `#` is prepended
    /// if missing); BIOM stores it as `generated-by` (without the `#`).
    std::string generated_by = "orbiome";
};

/// Writes atomically (temp file + rename) in `format` (tsv, biom_json or biom_hdf5; others are
/// a UsageError). TSV: the `#` line, header `feature_id`, samples, and `taxonomy` last when
/// lineages are known; integers when all values are integral, otherwise the shortest
/// round-trip decimal. BIOM JSON: sparse, `matrix_element_type` int or float. BIOM HDF5: the
/// 2.1 layout (CSR by observation and CSC by sample, int32 indices, float64 data, taxonomy as a
/// 2-D variable-length string dataset padded with ""). `creation-date` is the current UTC time,
/// or SOURCE_DATE_EPOCH when that variable is set (reproducible outputs).
/// Throws IoError (74) when the file cannot be written; ParseError when an id cannot be written
/// in TSV (it contains a tab or newline).
void write_table(table::FeatureTable const& t, std::string const& path, TableFormat format,
                 TableWriteOptions const& options = {});

}  // namespace orbiome::io
