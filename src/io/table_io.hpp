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
///  - `humann`: HUMAnN 3 gene-family / pathway table (`# Gene Family`, `# Pathway` header, or
///    `UNMAPPED`/`UNINTEGRATED`/`FEATURE|g__...` rows). Community rows and their per-taxon
///    strata (`UniRef90_X|g__G.s__S`, `PWY|unclassified`) are never summed together: by default
///    the community rows are read (every row without `|`, as humann_split_stratified_table's
///    `_unstratified` output, UNMAPPED/UNINTEGRATED included); HumannRows::stratified reads
///    only the `|` rows (its `_stratified` output), each keeping its full name as id and its
///    stratum as lineage (`g__G;s__S`; `unclassified` = unassigned). A malformed stratum, or
///    a stratified row without its community row in the default mode, is a ParseError at its line.
///  - `biom_json`: BIOM 1.0 JSON (dense or sparse), observation metadata `taxonomy` (a list of
///    levels or one string). Text-valued matrices (`matrix_element_type` "unicode") are rejected.
///  - `biom_hdf5`: BIOM 2.1 HDF5 (libhdf5 C API), observation metadata `taxonomy`.
///  - `orbiome_profile`, `cami`: one sample's profile (`orbiome profile`'s NAME.abundance.tsv,
///    sample NAME, values its `reads` column; a CAMI 0.9.1 profile, sample @SampleID, values its
///    PERCENTAGE). They list every rank's clades, so only the rows of one rank are read
///    (`TableReadOptions::profile_rank`, species by default); feature id = taxid (format_profile.cpp).
/// Every parse error names the file and the line (text) or dataset/record (BIOM). A table
/// sample or feature id given twice is an error naming both lines. Each format is one file
/// (format_*.cpp, biom_*.cpp) registered in table_io.cpp; the sniffer takes the format that is
/// most sure of the content (table_formats.hpp).
///
/// Orientation: tables are features x samples. A file with samples as rows is read with
/// Orientation::samples_as_rows (`--samples-as-rows`) and transposed; with Orientation::sniff
/// (the default) it is recognised when that is unambiguous: at least half the column names are
/// lineage-shaped (see below) while no row id is, or, given the metadata's sample ids
/// (`TableReadOptions::sample_ids`), the row ids match them and the column names do not.
///
/// Lineage-shaped feature ids (`d__Bacteria;p__Firmicutes;g__X`, `k__Bacteria|p__...`: at least
/// two levels, each with a rank prefix) are taken as the lineages of a table that has none
/// (GTDB/QIIME/MetaPhlAn names used as ids), when at least half the ids are so shaped; other
/// ids get an empty (unassigned) lineage.
///
/// Lineages are stored in one canonical spelling whatever the source: levels trimmed of
/// surrounding spaces and joined by `;` (`k__Bacteria; p__Firmicutes` reads as
/// `k__Bacteria;p__Firmicutes`), trailing empty levels dropped. This is what makes
/// TSV -> BIOM -> TSV round trips exact, since BIOM stores a lineage as a list of levels.
/// References: BIOM format 1.0 and 2.1, McDonald et al. 2012, GigaScience 1:7,
/// doi:10.1186/2047-217X-1-7; https://biom-format.org/documentation/.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "table/feature_table.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::io {

enum class TableFormat { tsv, r_table, genelab, metaphlan, biom_json, biom_hdf5, humann, orbiome_profile, cami };

/// Name as used on the command line (`--to`) and in messages: "tsv", "r-table", "genelab",
/// "metaphlan", "biom-json", "biom-hdf5", "humann".
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

/// Which axis of the file holds the samples (see the file comment).
enum class Orientation { sniff, features_as_rows, samples_as_rows };

/// Which rows of a HUMAnN table are read (see the file comment).
enum class HumannRows { community, stratified };

struct TableReadOptions {
    /// Optional separate taxonomy TSV (feature id, then either one lineage column or rank
    /// columns such as Kingdom..Species), joined by feature id; see read_taxonomy(). When set it
    /// replaces any lineages the table itself carries. A table feature missing from it is an
    /// error listing the first few ids.
    std::string taxonomy_path;
    Orientation orientation = Orientation::sniff;
    HumannRows humann_rows = HumannRows::community;
    /// The metadata's sample ids, when known: lets Orientation::sniff tell which axis holds the
    /// samples. Empty = decide from the table alone.
    std::vector<std::string> sample_ids;
    /// Per-sample profiles (`orbiome profile`'s NAME.abundance.tsv, CAMI profiles) list every rank;
    /// the rows of this rank are read (nullopt = species).
    std::optional<taxonomy::Rank> profile_rank;
};

/// What read_table decided, for the caller to tell the user (library code does not print).
struct TableReadReport {
    TableFormat format = TableFormat::tsv;
    bool transposed = false;        ///< the file had samples as rows
    bool lineages_from_ids = false; ///< lineages were taken from lineage-shaped feature ids
    /// One line saying why the table was transposed when that was sniffed, not asked for.
    std::string orientation_note;
};

/// Reads a table in any supported format. Throws ParseError (65), IoError (66/74), and
/// UsageError (64) for Orientation::samples_as_rows on a table whose features carry a lineage
/// column (its rows are features). Cost: linear in the file size; the whole file is held in
/// memory once while parsing.
table::FeatureTable read_table(std::string const& path, TableReadOptions const& options = {});
table::FeatureTable read_table(std::string const& path, TableReadOptions const& options, TableReadReport& report);

/// True for a lineage-shaped id: at least two `;`- or `|`-separated levels, each starting with a
/// rank prefix (`d__`, `k__`, `p__`, ..., `D_0__`; `g__` alone is an unknown level).
bool is_lineage_shaped(std::string_view id);

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
