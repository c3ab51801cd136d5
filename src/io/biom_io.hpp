#pragma once
/// \file biom_io.hpp
/// BIOM readers and writers and the lineage helpers they share with the TSV code. Callers
/// normally go through io::read_table / io::write_table (table_io.hpp), which sniff and
/// dispatch; these are the per-format entry points behind them.
///
/// BIOM 1.0 (JSON) and 2.1 (HDF5) are specified at https://biom-format.org/documentation/
/// (McDonald et al. 2012, GigaScience 1:7, doi:10.1186/2047-217X-1-7). Only the observation
/// metadata key `taxonomy` is read and written; other metadata is ignored on read.

#include <string>
#include <string_view>
#include <vector>

#include "table/feature_table.hpp"

namespace orbiome::io {

/// Reads BIOM 1.0 JSON (sparse or dense). Errors name the file and, for a bad `data` entry, the
/// record (1-based entry of `data`); JSON syntax errors give the line. Text-valued matrices are
/// rejected. Throws ParseError (65), IoError (66/74). Linear in the file size.
table::FeatureTable read_biom_json(std::string const& path);

/// Writes BIOM 1.0 JSON (sparse) atomically. Throws IoError (74).
void write_biom_json(table::FeatureTable const& t, std::string const& path, std::string const& generated_by);

/// Reads BIOM 2.1 HDF5: `observation/ids`, `sample/ids`, `observation/matrix/{data,indices,
/// indptr}` (CSR by observation) and, if present, `observation/metadata/taxonomy` (2-D or 1-D
/// strings). libhdf5's own error printing is silenced for the call; a truncated or non-BIOM
/// file is a ParseError naming the file and the dataset. Not thread-safe (libhdf5 is a serial
/// build): call from one thread at a time.
table::FeatureTable read_biom_hdf5(std::string const& path);

/// Writes BIOM 2.1 HDF5 atomically (libhdf5 writes the AtomicOutput temporary, which is then
/// renamed; for a special destination such as /dev/stdout the file is built in $TMPDIR and
/// copied). Throws IoError (74). Not thread-safe (see read_biom_hdf5).
void write_biom_hdf5(table::FeatureTable const& t, std::string const& path, std::string const& generated_by);

/// "generated-by" value of a writer option: `text` without a leading '#' and spaces.
std::string generated_by_value(std::string_view text);
/// ISO 8601 UTC time stamp for `creation-date`: now, or SOURCE_DATE_EPOCH when set.
std::string creation_date();

/// Levels of a lineage string: split on ';' (or '|' when there is no ';'), each trimmed,
/// trailing empty levels dropped. "" gives no levels.
std::vector<std::string> lineage_levels(std::string_view text);
/// Levels of a lineage as stored in a FeatureTable (canonical spelling): split on ';' only,
/// trailing empty levels dropped. Used by the BIOM writers.
std::vector<std::string> stored_levels(std::string_view lineage);
/// Canonical lineage spelling: lineage_levels() joined by ';'.
std::string canonical_lineage(std::string_view text);
/// Joins levels read from a file into the canonical spelling (trims, drops trailing empties).
std::string join_levels(std::vector<std::string> const& levels);

}  // namespace orbiome::io
