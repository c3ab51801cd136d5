#pragma once
/// \file index.hpp
/// The reference index: a compact hash table from minimizer key to the LCA taxon of all
/// reference sequences containing that minimizer (Kraken2's design: Wood et al. 2019,
/// doi:10.1186/s13059-019-1891-0), plus the taxonomy subset, in one versioned file loaded by mmap.
///
/// Hash table layout: `capacity` 32-bit cells, open addressing with linear probing.
///
///     h    = hash_kmer(key, kTableSalt)               (a second mix: minimizer keys are the
///                                                      smallest of their windows, so their
///                                                      high bits are far from uniform)
///     cell = fingerprint << value_bits | taxon        (cell == 0: empty)
///     home slot   = (h * capacity) >> 64              (h's high bits, "fastrange")
///     fingerprint = h & ((1 << (32 - value_bits)) - 1)  (its low bits)
///
/// `value_bits` is the fewest bits that hold the largest TaxIndex, so a small reference keeps up
/// to 25+ fingerprint bits. Only fingerprints are stored: a query key whose probe sequence meets
/// an equal fingerprint of another key gets that key's taxon (probability about
/// probes * 2^-(32 - value_bits) per lookup, the price Kraken2 also pays for 4-byte cells).
///
/// File layout (little-endian):
///
///     FileHeader (96 bytes, below)
///     cells     capacity x uint32
///     taxonomy  TaxTree::serialize bytes
///
/// `checksum` is a 64-bit word-wise mix over everything after the header; it is verified on
/// every load, so a truncated or altered file is an error, not wrong calls.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "index/minimizer.hpp"
#include "index/tax_tree.hpp"
#include "taxonomy/taxdump.hpp"

namespace orbiome::index {

/// Magic string at the start of every index file.
inline constexpr char kIndexMagic[8] = {'O', 'R', 'B', 'I', 'D', 'X', '\0', '\x1a'};
/// Format version written by this build. Version 2 added the spaced seed (`wildcards`, the
/// reserved word of version 1, always 0 there), so version 1 files still load as exact-k-mer
/// indexes; any other version is rejected with a rebuild hint.
inline constexpr std::uint32_t kFormatVersion = 2;
/// Oldest format version this build reads.
inline constexpr std::uint32_t kOldestFormatVersion = 1;
/// Target load factor of the hash table (Kraken2 uses 0.7); probes stay short below it.
inline constexpr double kLoadFactor = 0.7;

/// Salt of the table hash (see the layout above); part of the format.
inline constexpr std::uint64_t kTableSalt = 0x9e3779b97f4a7c15ULL;

/// Default minimizer parameters (chosen in bench/PROFILER.md).
inline constexpr int kDefaultK = 31;
inline constexpr int kDefaultW = 8;
inline constexpr std::uint64_t kDefaultSeed = 0;
/// Default number of spaced-seed wildcards (`spaced_seed`; 0 = exact k-mers), chosen in
/// bench/PROFILER.md ("Spaced seeds"). A k-mer shorter than 4 x this gets k / 4 instead.
inline constexpr int kDefaultSpaces = 5;

/// Spaced-seed wildcards used when none are given: min(kDefaultSpaces, k / 4). O(1).
constexpr int default_spaces(int k) noexcept { return std::min(kDefaultSpaces, k / 4); }

/// On-disk header. Field order and sizes are part of the format.
struct FileHeader {
    char magic[8];
    std::uint32_t format_version;
    std::uint32_t hash_id;
    std::uint32_t k;
    std::uint32_t w;
    std::uint64_t seed;
    std::uint32_t value_bits;
    std::uint32_t wildcards;  ///< spaced-seed wildcard positions (SpacedMask), 0 in version 1
    std::uint64_t capacity;
    std::uint64_t n_keys;
    std::uint64_t n_taxa;
    std::uint64_t taxonomy_bytes;
    std::uint64_t n_sequences;
    std::uint64_t n_bases;
    std::uint64_t checksum;
};
static_assert(sizeof(FileHeader) == 96);

/// Checksum of `n` bytes (word-wise multiply-rotate mix; the tail is zero-padded). O(n).
std::uint64_t checksum_bytes(char const* p, std::size_t n) noexcept;

/// Progress of a running build: genome files scanned so far (of `files_total`) and their bases.
struct BuildProgress {
    std::uint64_t files_done = 0;
    std::uint64_t files_total = 0;
    std::uint64_t bases_done = 0;
};

/// Input of an index build.
struct BuildInput {
    std::vector<std::string> genome_files;  ///< FASTA files, plain or gzip (folders already expanded)
    std::vector<std::pair<std::string, TaxId>> seqid2taxid;  ///< sequence id -> taxid
    std::string seqid2taxid_file;           ///< for messages
    std::vector<TaxonSpec> taxonomy;        ///< all nodes of the input taxonomy
    std::string taxonomy_file;              ///< for messages
    int k = kDefaultK;
    int w = kDefaultW;
    std::uint64_t seed = kDefaultSeed;
    std::optional<int> spaces;    ///< spaced-seed wildcards (spaced_seed); none = default_spaces(k)
    /// Called after each genome file is scanned, possibly from several worker threads at once
    /// (the callee synchronises); it sees counts only, so it cannot change the index. Empty =
    /// not called.
    std::function<void(BuildProgress const&)> on_progress;
};

/// A loaded (mmap) or freshly built index. Lookups are thread-safe; move-only.
class Index {
public:
    Index();
    ~Index();
    Index(Index&&) noexcept;
    Index& operator=(Index&&) noexcept;

    /// Builds an index on `n_threads` threads: minimizers of every sequence, each key mapped to
    /// the LCA of the taxa containing it. Deterministic: the same input gives a byte-identical
    /// file for any thread count. Throws ParseError for a sequence missing from the map (listing
    /// the first few ids), an unknown taxid, or malformed FASTA. Time O(bases log bases / threads)
    /// plus a serial k-way merge of the files' sorted minimizers; peak memory 8 bytes per
    /// distinct minimizer per genome file (16 in a file naming several taxa) plus the table
    /// (4 bytes per cell).
    static Index build(BuildInput const& in, int n_threads);

    /// Maps an index file read-only. Throws IoError if it cannot be opened, ParseError if the
    /// magic, format version, sizes or checksum are wrong (the message names the file).
    static Index open(std::string const& path);

    /// Writes the index (through AtomicOutput). Throws IoError on failure.
    void save(std::string const& path) const;

    /// Taxon of a minimizer key, 0 if absent. O(1) expected.
    TaxIndex lookup(std::uint64_t key) const noexcept {
        std::uint64_t const h = hash_kmer(key, kTableSalt);
        std::uint64_t slot = home(h);
        std::uint32_t const fp = static_cast<std::uint32_t>(h) & fp_mask_;
        for (;;) {
            std::uint32_t const c = cells_[slot];
            if (c == 0) return 0;
            if ((c >> value_bits_) == fp) return c & value_mask_;
            if (++slot == capacity_) slot = 0;
        }
    }
    /// Hints the CPU to load the key's home cell (issue a batch of these before lookups).
    void prefetch(std::uint64_t key) const noexcept { __builtin_prefetch(cells_ + home(hash_kmer(key, kTableSalt))); }

    MinimizerSketcher const& sketcher() const noexcept { return sketcher_; }
    TaxTree const& taxonomy() const noexcept { return tax_; }
    FileHeader const& header() const noexcept { return header_; }
    /// Size of the hash table in bytes.
    std::size_t table_bytes() const noexcept { return capacity_ * sizeof(std::uint32_t); }

private:
    std::uint64_t home(std::uint64_t h) const noexcept {
        return static_cast<std::uint64_t>((static_cast<__uint128_t>(h) * capacity_) >> 64);
    }
    void set_table(std::uint32_t const* cells);

    FileHeader header_{};
    MinimizerSketcher sketcher_;
    TaxTree tax_;
    std::vector<std::uint32_t> owned_;  // built in memory
    struct Mapping;
    std::unique_ptr<Mapping> map_;      // loaded by mmap
    std::uint32_t const* cells_ = nullptr;
    std::uint64_t capacity_ = 0;
    std::uint32_t value_bits_ = 0;
    std::uint32_t value_mask_ = 0;
    std::uint32_t fp_mask_ = 0;
};

/// Parses a `--seqid2taxid` TSV (SPEC): `sequence_id<TAB>taxid`, no header required (a first line
/// whose taxid is not a number is a header). Throws ParseError at file:line.
std::vector<std::pair<std::string, TaxId>> read_seqid2taxid(std::string const& path);

/// All nodes of a parsed taxonomy (NCBI dump or lineage TSV) as build input. O(nodes).
std::vector<TaxonSpec> taxon_specs(taxonomy::Taxonomy const& t);

/// Expands genome paths: a folder gives its FASTA files (.fa .fna .fasta .ffn, optionally .gz),
/// sorted by name; a file is kept. Throws IoError(no_input) for a missing path or an empty folder.
std::vector<std::string> expand_genome_paths(std::vector<std::string> const& paths);

}  // namespace orbiome::index
