#pragma once
/// \file table_io.hpp
/// Reading and writing feature tables in every format the field uses.
///
/// Formats (sniffed from content on read, never from the file name):
///  - `tsv`: orbiome/QIIME/BIOM-classic TSV, features as rows: optional leading `#` lines, the
///    last of which may be the header (`#OTU ID`), else the first non-comment line is the
///    header; first column feature ids; an optional last column `taxonomy` (also `lineage`,
///    `Taxon`, `Consensus Lineage`) holding lineages.
///  - `r_table`: R `write.table` output whose header row lacks the first (row-name) cell.
///  - `genelab`: NASA GeneLab `taxonomy-and-counts.tsv`: id, then rank columns
///    (domain..species), then samples.
///  - `metaphlan`: MetaPhlAn merged table: `clade_name` [`NCBI_tax_id`] then samples, lineage in
///    the clade name (`k__...|p__...`); values are relative abundances (percent).
///  - `biom_json`: BIOM 1.0 JSON (dense or sparse), observation metadata `taxonomy`.
///  - `biom_hdf5`: BIOM 2.1 HDF5 (libhdf5), observation metadata `taxonomy`.
/// Every parse error names the file and the line (TSV) or dataset/record (BIOM). A table sample
/// or feature id given twice is an error.

#include <string>

#include "table/feature_table.hpp"

namespace orbiome::io {

enum class TableFormat { tsv, r_table, genelab, metaphlan, biom_json, biom_hdf5 };

/// Name as used on the command line (`--to`): "tsv", "biom-json", "biom-hdf5", ...
std::string_view format_name(TableFormat f);
/// Parses a `--to` value; throws UsageError if unknown.
TableFormat parse_format_name(std::string_view name);
/// Output format from a file name: .tsv/.txt -> tsv, .biom/.h5/.hdf5 -> biom_hdf5, .json -> biom_json.
/// Throws UsageError for other extensions.
TableFormat format_from_extension(std::string const& path);
/// The format of an existing file, from its first bytes (HDF5 signature, `{`, header shape).
TableFormat sniff_table_format(std::string const& path);

struct TableReadOptions {
    /// Optional separate taxonomy TSV (feature id, then either one lineage column or rank
    /// columns such as Kingdom..Species), joined by feature id. A table feature missing from it
    /// is an error listing the first few ids.
    std::string taxonomy_path;
};

/// Reads a table in any supported format. Throws ParseError (65), IoError (66/74).
table::FeatureTable read_table(std::string const& path, TableReadOptions const& options = {});

struct TableWriteOptions {
    /// First line of TSV output, e.g. "#orbiome table convert 0.1.0-g1234"; BIOM stores it as
    /// `generated-by`.
    std::string generated_by = "orbiome";
};

/// Writes atomically (temp file + rename). TSV: the `#` line, header `feature_id`, samples, and
/// `taxonomy` last when lineages are known; integers when all values are integral, otherwise
/// the shortest round-trip decimal.
void write_table(table::FeatureTable const& t, std::string const& path, TableFormat format,
                 TableWriteOptions const& options = {});

}  // namespace orbiome::io
