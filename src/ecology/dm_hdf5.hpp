#pragma once
/// \file dm_hdf5.hpp
/// Distance matrices in the HDF5 layout of Striped UniFrac's `ssu --format hdf5_fp64|hdf5_fp32`
/// (unifrac-binaries, read by the `unifrac` Python package and so by QIIME 2 users):
///
///     /format   1 fixed-length string "BDSM"
///     /version  1 fixed-length string "2020.12"
///     /order    n variable-length strings: the sample ids
///     /matrix   n x n float64 (or float32): the full square matrix, row-major
///     /pcoa_*   optional PCoA results (ignored when read, not written)
///
/// orbiome writes float64 (exact) and reads either precision; a float32 matrix is widened to
/// double as stored, so its values keep float32's ~7 digits.

#include <string>

#include "ecology/distance_matrix.hpp"

namespace orbiome::ecology {

/// True when `path` is an HDF5 file (by its signature), false for anything else (e.g. TSV).
/// Throws IoError (66) if it cannot be opened.
bool is_hdf5_file(std::string const& path);

/// Reads the layout above. Throws ParseError (65) naming the file and dataset for a missing or
/// mistyped dataset, a matrix that is not n x n for n ids, repeated ids, a value that is not a
/// finite non-negative number, a non-zero diagonal, or an asymmetric pair (the TSV reader's
/// tolerance).
DistanceMatrix read_distance_matrix_hdf5(std::string const& path);

/// Writes the layout above (float64) atomically. Throws IoError (74) on failure.
void write_distance_matrix_hdf5(DistanceMatrix const& dm, std::string const& path);

}  // namespace orbiome::ecology
