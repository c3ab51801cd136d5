#pragma once
/// \file dm_partition.hpp
/// Distance matrices computed in pieces (`beta --partition I/N`, `beta merge`): for cohorts whose
/// matrix, or whose computation, does not fit one machine.
///
/// A partition is a set of pairs whose distances one job computes and writes as a partial file;
/// merging the N partials of one matrix gives exactly (bit for bit) the matrix `beta` computes
/// whole. Two layouts, chosen by metric:
///  - rows (Bray-Curtis, Jaccard, Aitchison): the upper triangle's rows [begin, end), i.e. a
///    contiguous slice of the condensed (scipy-order) vector. Row boundaries are chosen so that
///    each of the N slices holds about n(n-1)/2N pairs (row i holds n-1-i pairs).
///  - stripes (UniFrac): stripes [begin, end) of Striped UniFrac's layout (unifrac.hpp: stripe k
///    holds the pairs (i, (i + k) mod n)), the partition Striped UniFrac's own `--mode partial`
///    uses; the n/2 stripes are split into N near-equal contiguous ranges.
/// A job holds the table (and tree), plus only its own pairs: about 1/N of the matrix.
///
/// Partial file (binary, written atomically):
///
///     #orbiome-dm-partial 1\n
///     {JSON header on one line: metric, fingerprint, ids, layout, part, of, begin, end, n_values}\n
///     n_values IEEE-754 doubles, little-endian
///     \n#sha256 <hex digest of the value bytes>\n
///
/// `fingerprint` is the SHA-256 of everything the distances depend on (metric and its parameters,
/// sample and feature ids, every count, the tree's shape and lengths), so partials of different
/// inputs or options are never merged together.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ecology/distance_matrix.hpp"

namespace orbiome::ecology {

/// Partition I of N (1 <= index <= count), as written on the command line: "I/N".
struct Partition {
    std::size_t index = 1;
    std::size_t count = 1;

    /// Parses "I/N"; throws UsageError (64) for anything else, N = 0, or I outside 1..N.
    static Partition parse(std::string_view text);
    std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

enum class PartLayout { rows, stripes };

/// The distances one partition holds.
struct PartialDistances {
    std::string metric;                ///< metric name, as `beta --metric`
    std::string fingerprint;           ///< SHA-256 hex of the inputs and options (see above)
    std::vector<std::string> ids;      ///< all sample ids of the matrix, in order
    PartLayout layout = PartLayout::rows;
    Partition part;
    std::size_t begin = 0;             ///< first row (rows) or stripe (stripes)
    std::size_t end = 0;               ///< one past the last
    std::vector<double> values;        ///< condensed slice (rows) or stripe values (stripes)
};

/// Condensed (scipy-order) index of the pair i < j of an n x n matrix.
inline std::size_t condensed_index(std::size_t n, std::size_t i, std::size_t j) {
    return i * n - i * (i + 1) / 2 + (j - i - 1);
}

/// Rows [begin, end) of partition `p` of an n-sample matrix in the rows layout: the smallest
/// row boundaries at which the pairs before them reach p.index/N of all pairs.
std::pair<std::size_t, std::size_t> partition_rows(std::size_t n_samples, Partition p);
/// Stripes [begin, end) of partition `p` in the stripes layout (1-based stripes 1..n/2).
std::pair<std::size_t, std::size_t> partition_stripes(std::size_t n_samples, Partition p);

/// Writes a partial file atomically. Throws IoError (74) on a write failure.
void write_partial(PartialDistances const& part, std::string const& path);
/// Reads a partial file. Throws IoError (66) if missing, ParseError (65) naming the file for a
/// wrong magic line, a header that does not parse or is inconsistent (values, ranges, ids), a
/// truncated body or a checksum that does not match.
PartialDistances read_partial(std::string const& path);

/// Assembles the N partials of one matrix, read one at a time (memory: the matrix plus one
/// partial). Throws ParseError (65) naming the file when partials disagree (metric, fingerprint,
/// ids, N), when a partition is given twice, and UsageError (64) listing the partitions missing.
DistanceMatrix merge_partials(std::vector<std::string> const& paths);

}  // namespace orbiome::ecology
