#pragma once
/// \file fastx.hpp
/// Streaming FASTA/FASTQ input, plain or gzip (STYLE.md §8.4).
///
/// The reader is a buffered state machine over zlib's `gzread` (which also reads uncompressed
/// files transparently), so one code path serves `.fq`, `.fq.gz`, `.fa`, `.fa.gz` and `-`
/// (stdin). It distinguishes three ends of input and never confuses them:
///  - clean end of file after a complete record: `next()` returns false;
///  - truncation (a gzip stream that stops before its trailer, or a FASTQ record cut short):
///    `ParseError` naming file, line and record;
///  - a malformed record (missing '@'/'>' or '+', quality length != sequence length, a NUL
///    byte): `ParseError` with file:line: record N ('name').
/// Paired files are read in lockstep (`PairedReader`) and mate names are compared after
/// removing a trailing "/1" or "/2" and anything after the first whitespace.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::seqio {

/// What a reader does with a record whose lines are all present but whose quality length
/// differs from its sequence length (`--on-invalid`, STYLE.md §8.5): stop with a ParseError
/// (the default) or skip the record (with its mate) and count it. A truncated file, a missing
/// '+' line, a NUL byte or mates out of step always stop: past them no record boundary can be
/// trusted, and a silently shorter run is never acceptable.
enum class OnInvalid { fail, skip };

/// Sentinel bytes after each read in a `ReadBatch` (a '\0'), so scanners may look one past the end.
inline constexpr std::size_t kPad = 1;

/// One FASTA/FASTQ record. Strings are reused between calls, so reading does not allocate once
/// they have grown to the longest record. `qual` is empty for FASTA.
struct FastxRecord {
    std::string name;     ///< header up to the first whitespace, without '@' / '>'
    std::string comment;  ///< rest of the header after the whitespace (may be empty)
    std::string seq;      ///< bases as read (FASTA lines joined), case preserved
    std::string qual;     ///< FASTQ qualities, same length as seq; empty for FASTA
};

/// A batch of reads stored as a structure of arrays (STYLE.md §8.2). Read i occupies
/// `bases[offsets[i], offsets[i+1] - kPad)`, followed by kPad '\0' bytes; `quals` uses the same
/// offsets (empty for FASTA); its name is `names[name_offsets[i], name_offsets[i+1])`.
/// `clear()` keeps capacity, so a pipeline slot reuses its memory batch after batch.
struct ReadBatch {
    std::uint64_t first_index = 0;  ///< global 0-based index of read 0 (output order, RNG streams)
    std::vector<char> bases;
    std::vector<std::uint32_t> offsets{0};
    std::vector<char> quals;
    std::vector<std::uint32_t> name_offsets{0};
    std::vector<char> names;

    std::size_t size() const noexcept { return offsets.size() - 1; }
    /// Bases of read i (without the sentinel).
    std::string_view seq(std::size_t i) const noexcept {
        return {bases.data() + offsets[i], offsets[i + 1] - offsets[i] - kPad};
    }
    /// Qualities of read i (same length as `seq(i)`); empty for FASTA input.
    std::string_view qual(std::size_t i) const noexcept {
        if (quals.size() < offsets[i + 1]) return {};  // FASTA, or a trailing empty FASTQ read
        return {quals.data() + offsets[i], offsets[i + 1] - offsets[i] - kPad};
    }
    std::string_view name(std::size_t i) const noexcept {
        return {names.data() + name_offsets[i], name_offsets[i + 1] - name_offsets[i]};
    }
    /// Removes all reads, keeping the allocated memory.
    void clear() noexcept;
    /// Appends one record (name, bases, qualities).
    void push(FastxRecord const& r);
};

/// Reads FASTA or FASTQ (format sniffed from the first non-empty byte: '>' or '@'), plain or
/// gzip. Not thread-safe: one reader per thread (the pipeline's input stage).
class FastxReader {
public:
    /// Opens `path` ("-" = standard input). Throws IoError (66) if it does not exist or cannot
    /// be opened. With OnInvalid::skip a malformed record is returned with `last_invalid()`
    /// set instead of throwing; the caller drops it. `read_ahead`: a thread of the reader's own
    /// reads and inflates the next few MiB while the caller parses and works (for a caller
    /// whose single input thread would otherwise wait on gzip; errors still surface from
    /// `next()`, at the same record).
    explicit FastxReader(std::string path, OnInvalid on_invalid = OnInvalid::fail, bool read_ahead = false);
    ~FastxReader();
    FastxReader(FastxReader const&) = delete;
    FastxReader& operator=(FastxReader const&) = delete;

    /// Reads the next record into `rec`. Returns false at a clean end of input. Throws
    /// ParseError on a malformed or truncated record or gzip stream, IoError (74) on a read
    /// failure. O(record length).
    bool next(FastxRecord& rec);

    std::string const& path() const noexcept { return path_; }
    /// 1-based number of the line last read (the record's last line after `next()`).
    std::size_t line() const noexcept { return line_; }
    /// Number of records returned so far (including invalid ones returned in skip mode).
    std::size_t records() const noexcept { return n_records_; }
    /// True when the record last returned is malformed (OnInvalid::skip only).
    bool last_invalid() const noexcept { return invalid_; }
    /// True once the format is known to be FASTQ (after the first record).
    bool is_fastq() const noexcept { return fastq_; }

private:
    struct Chunk;
    struct ReadAhead;
    bool fill();
    Chunk next_chunk();
    bool get_line(std::string& out);
    [[noreturn]] void fail(std::string const& message, std::string const& name, std::size_t record) const;

    std::string path_;
    OnInvalid on_invalid_;
    bool invalid_ = false;
    void* gz_ = nullptr;  // gzFile; kept opaque so zlib.h stays out of this header
    std::unique_ptr<ReadAhead> ahead_;
    std::vector<char> buf_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    bool truncated_ = false;
    bool sniffed_ = false;
    bool fastq_ = false;
    std::size_t line_ = 0;
    std::size_t n_records_ = 0;
    std::string pending_header_;  // FASTA: the next record's header, already read
    bool has_pending_ = false;
    std::string line_buf_;
};

/// Mate name of a read: the name without a trailing "/1" or "/2".
std::string_view mate_base_name(std::string_view name) noexcept;

/// Reads one or two files as fragments. With two files, record i of each must be mates (same
/// base name); otherwise a ParseError names the second file, its line and the record. A file
/// that ends before the other is a ParseError too ("mates out of step"). With OnInvalid::skip a
/// fragment with a malformed mate is dropped and counted (`n_skipped`).
class PairedReader {
public:
    /// `path2` empty = single-end. `read_ahead`: as FastxReader's, for each file.
    PairedReader(std::string const& path1, std::string const& path2, OnInvalid on_invalid = OnInvalid::fail,
                 bool read_ahead = false);

    /// Reads the next valid fragment: false at a clean end of both files.
    bool next(FastxRecord& r1, FastxRecord& r2);
    /// Fills `b1` (and `b2` when paired) with fragments until `max_bases` bases are held or the
    /// input ends; sets `first_index` from the running count. Returns the number of fragments
    /// read (0 = end of input).
    std::size_t next_batch(ReadBatch& b1, ReadBatch& b2, std::size_t max_bases);

    bool paired() const noexcept { return r2_ != nullptr; }
    std::uint64_t n_fragments() const noexcept { return n_fragments_; }
    /// Fragments dropped because a mate was malformed (OnInvalid::skip).
    std::uint64_t n_skipped() const noexcept { return n_skipped_; }
    /// Where the first dropped fragment was: "file:line: record N ('name')"; empty if none.
    std::string const& first_skipped() const noexcept { return first_skipped_; }

private:
    std::unique_ptr<FastxReader> r1_;
    std::unique_ptr<FastxReader> r2_;
    FastxRecord rec1_, rec2_;
    std::uint64_t n_fragments_ = 0;
    std::uint64_t n_skipped_ = 0;
    std::string first_skipped_;
};

}  // namespace orbiome::seqio
