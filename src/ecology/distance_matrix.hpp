#pragma once
/// \file distance_matrix.hpp
/// A symmetric distance matrix with zero diagonal and its TSV form (scikit-bio / QIIME: first
/// cell empty, sample ids along the first row and the first column).
///
/// Stored condensed in scipy's order: the distance between i < j is at
/// `i*n - i*(i+1)/2 + (j - i - 1)`.

#include <cstddef>
#include <string>
#include <vector>

namespace orbiome::ecology {

class DistanceMatrix {
public:
    DistanceMatrix() = default;
    /// n x n of zeros with these ids (unique).
    explicit DistanceMatrix(std::vector<std::string> ids);

    std::size_t size() const { return ids_.size(); }
    std::vector<std::string> const& ids() const { return ids_; }
    double operator()(std::size_t i, std::size_t j) const {
        if (i == j) return 0.0;
        return i < j ? d_[index(i, j)] : d_[index(j, i)];
    }
    void set(std::size_t i, std::size_t j, double v) { d_[i < j ? index(i, j) : index(j, i)] = v; }
    std::vector<double> const& condensed() const { return d_; }
    std::vector<double>& condensed() { return d_; }
    /// Matrix restricted to `rows` (indices, in that order).
    DistanceMatrix subset(std::vector<std::size_t> const& rows) const;

private:
    std::size_t index(std::size_t i, std::size_t j) const { return i * size() - i * (i + 1) / 2 + (j - i - 1); }
    std::vector<std::string> ids_;
    std::vector<double> d_;
};

/// Reads the TSV form, or Striped UniFrac's HDF5 layout when the file is HDF5 (dm_hdf5.hpp).
/// TSV: Throws ParseError (65) naming file and line for: a ragged row, row and
/// column ids that differ or repeat, a value that is not a finite number, a negative value, a
/// non-zero diagonal, or an asymmetric pair (|d_ij - d_ji| > 1e-12 * max(1, |d_ij|)).
DistanceMatrix read_distance_matrix(std::string const& path);

/// Writes the TSV form atomically, values in shortest round-trip decimal; a path ending in .h5 or
/// .hdf5 gets Striped UniFrac's HDF5 layout instead (dm_hdf5.hpp).
void write_distance_matrix(DistanceMatrix const& dm, std::string const& path);

}  // namespace orbiome::ecology
