#pragma once
/// \file inputs.hpp
/// A feature table read together with its sample metadata, where each tells how to read the
/// other: the metadata's sample ids say which axis of the table holds the samples (a table with
/// samples as rows), and the table's ids say which metadata column holds the sample ids (one
/// that QIIME 2's names do not mark). Commands and the study runner that take both use this.

#include <string>

#include "io/metadata.hpp"
#include "io/table_io.hpp"

namespace orbiome::io {

struct TableAndMetadata {
    table::FeatureTable table;
    Metadata metadata;
    TableReadReport report;  ///< what read_table decided (orientation, lineages from ids)
};

/// Reads both. With Orientation::sniff and a table that the table alone does not show to have
/// samples as rows, the metadata decides: when its id column holds row ids of the table and no
/// column name, the table is read with samples as rows (and report.orientation_note says so).
/// The metadata's id column is found as read_metadata() says, using the ids of both axes of the
/// table. Joining (every table sample in the metadata) is left to io::join_metadata.
/// Throws what read_table and read_metadata throw.
TableAndMetadata read_table_and_metadata(std::string const& table_path, TableReadOptions const& table_options,
                                         std::string const& metadata_path, MetadataOptions const& metadata_options);

}  // namespace orbiome::io
