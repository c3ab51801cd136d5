#pragma once
/// \file search.hpp
/// Translated search of DNA reads against a protein database (`orbiome align`, issue #13).
///
/// Per read: six-frame translation; spaced seeds in DIAMOND's 11-letter reduced alphabet
/// looked up in a hash index of the database; every seeded diagonal is extended without gaps
/// (best-scoring segment, BLOSUM62 + the query's composition correction); the best diagonals
/// of each protein get a banded affine-gap Smith-Waterman (BLOSUM62, open 11, extend 1) with
/// traceback; hits are scored with Karlin-Altschul bit scores and DIAMOND's e-values and
/// written as BLAST tabular (outfmt 6), in input order for any number of threads.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "align/protein_db.hpp"

namespace orbiome::align {

/// Seed shapes ('1' = a position that must match in the reduced alphabet).
std::vector<std::string> default_shapes();

/// Hash index of the database's spaced seeds. Immutable after construction; shared by threads.
class SeedIndex {
public:
    /// Indexes every position of `db` for each shape (positions whose seed would hold a
    /// non-standard residue or a delimiter are skipped). `threads` only speeds up the build.
    SeedIndex(ProteinDb const& db, std::vector<std::string> shapes, int threads = 1);
    ~SeedIndex();
    SeedIndex(SeedIndex const&) = delete;
    SeedIndex& operator=(SeedIndex const&) = delete;

    struct Impl;
    Impl const& impl() const noexcept { return *impl_; }
    std::size_t entries() const noexcept;
    std::size_t memory_bytes() const noexcept;

private:
    std::unique_ptr<Impl> impl_;
};

struct AlignOptions {
    double max_evalue = 1e-3;     ///< --evalue (DIAMOND's default)
    double min_identity = 0;      ///< --min-identity, percent
    int max_target_seqs = 25;     ///< --max-target-seqs (DIAMOND's default)
    double top = -1;              ///< --top: keep hits within this % of the best bit score; < 0 = off
    int threads = 1;
    /// Called from the writer (in order) after each batch: reads done so far.
    std::function<void(std::uint64_t reads, std::uint64_t aligned)> on_progress;
    void validate() const;
};

/// One reported alignment (BLAST tabular fields).
struct Hit {
    std::uint32_t subject = 0;
    int raw_score = 0;
    double bits = 0, evalue = 0;
    int length = 0, matches = 0, mismatches = 0, gap_opens = 0;
    long qstart = 0, qend = 0;       ///< 1-based read coordinates (qstart > qend on reverse frames)
    std::uint32_t sstart = 0, send = 0;  ///< 1-based subject coordinates
    double identity() const noexcept { return length ? 100.0 * matches / length : 0.0; }
};

/// Searches one read (DNA letters); hits best first. Thread-safe (per-thread scratch).
std::vector<Hit> search_read(ProteinDb const& db, SeedIndex const& index, std::string_view read, AlignOptions const& opt);

/// Appends one BLAST tabular line per hit ("%.1f" identity, "%.2e" e-value, "%.1f" bits).
void format_hits(std::string_view query_name, std::vector<Hit> const& hits, ProteinDb const& db, std::string& out);

struct AlignSummary {
    std::uint64_t reads = 0;    ///< queries searched (mates count separately)
    std::uint64_t aligned = 0;  ///< queries with at least one hit
    std::uint64_t hits = 0;
};

/// Searches every read of `reads1` (and `reads2`, whose mates are separate queries written
/// after their mate 1, as DIAMOND does for two files given in turn) and writes `out`
/// atomically. A read with no hit writes nothing.
AlignSummary align_reads(ProteinDb const& db, SeedIndex const& index, std::string const& reads1,
                         std::string const& reads2, std::string const& out, AlignOptions const& opt);

}  // namespace orbiome::align
