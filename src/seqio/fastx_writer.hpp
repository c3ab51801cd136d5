#pragma once
/// \file fastx_writer.hpp
/// FASTQ/FASTA output, plain or gzip, that appears whole or not at all (SPEC: "no half-written
/// output"; STYLE.md §8.4-8.5).
///
/// Records go to `<path>.tmp.<pid>` (core::AtomicOutput) and `commit()` renames the file into
/// place; a writer destroyed without `commit()` (an exception unwound past it) removes its
/// temporary. Every write is checked: a failure is an IoError (exit 74) at once, not at close.
///
/// gzip output is a series of complete gzip members (RFC 1952 §2.2 allows concatenation; gzip,
/// zlib's gzread, fastp, Kraken2 and bowtie2 read such files as one stream). That lets a
/// pipeline compress each batch on its worker thread (`gzip_member`) and the writer only append
/// bytes in order (`write_encoded`), so compression scales with threads; for a fixed batch
/// size the bytes do not depend on the number of threads.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "seqio/fastx.hpp"

namespace orbiome {
class AtomicOutput;
}

namespace orbiome::seqio {

/// Compression level used when none is given: 1 (fastest). Sequencing reads compress to within a
/// few per cent of level 6 at several times the speed (measured in bench/QC.md).
inline constexpr int kDefaultGzipLevel = 1;

enum class Compression { plain, gzip };

/// gzip when `path` ends in ".gz", plain otherwise. O(1).
Compression compression_for(std::string_view path) noexcept;

/// Appends "@name\nseq\n+\nqual\n" (FASTQ) or ">name\nseq\n" (FASTA) to `out`. `comment`, when
/// not empty, follows the name after one space. O(record length).
void append_fastq(std::string& out, std::string_view name, std::string_view comment, std::string_view seq,
                  std::string_view qual);
void append_fasta(std::string& out, std::string_view name, std::string_view comment, std::string_view seq);

/// Appends one complete gzip member holding `text` to `out` at level `level` (0..9, libdeflate).
/// Deterministic: the same text and level give the same bytes. Thread-safe (one compressor per
/// thread). O(|text|). Throws Error(software) if libdeflate fails (only on an internal error).
void gzip_member(std::string_view text, std::string& out, int level = kDefaultGzipLevel);

/// Writes one FASTQ or FASTA file atomically. Not thread-safe: one writer per file, used by the
/// pipeline's serial write stage.
class FastxWriter {
public:
    /// Opens the temporary for `path`. Throws IoError (74) if it cannot be created.
    FastxWriter(std::string path, Compression compression, int level = kDefaultGzipLevel);
    /// Compression from the file name (`compression_for`).
    explicit FastxWriter(std::string path);
    ~FastxWriter();
    FastxWriter(FastxWriter const&) = delete;
    FastxWriter& operator=(FastxWriter const&) = delete;

    /// Writes one record: FASTQ if it has qualities, FASTA otherwise. Buffered; a full buffer is
    /// compressed and written. Throws IoError on a failed write.
    void write(FastxRecord const& r);
    /// Appends already formatted records (`append_fastq` text). Buffered like `write`.
    void write_text(std::string_view text);
    /// Appends bytes already in the file's encoding: for gzip, whole members made by
    /// `gzip_member`; for plain files, text. Pending buffered text is written first, so order is
    /// kept. Throws IoError on a failed write.
    void write_encoded(std::string_view bytes);
    /// Writes what is buffered, then flushes, checks and renames into place. Throws IoError.
    void commit();

    std::string const& path() const noexcept;
    Compression compression() const noexcept { return compression_; }
    /// Text bytes given to `write` and `write_text` so far (not those of `write_encoded`).
    std::size_t text_bytes() const noexcept { return text_bytes_; }

private:
    void flush_buffer();
    void put(std::string_view bytes);

    std::unique_ptr<AtomicOutput> out_;
    Compression compression_;
    int level_;
    std::string buf_;      // text not yet written
    std::string encoded_;  // reused compression output
    std::size_t text_bytes_ = 0;
};

}  // namespace orbiome::seqio
