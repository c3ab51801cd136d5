#pragma once
/// \file atomic_output.hpp
/// Output files that appear whole or not at all (SPEC: "no half-written output").
///
/// A regular-file destination is written to `<path>.tmp.<pid>` in the same directory and renamed
/// onto `path` by `commit()`; if the object is destroyed without `commit()` (an exception
/// unwound past it), the temporary is removed. A destination that exists and is not a regular
/// file (`/dev/stdout`, `/dev/full`, a FIFO) is written directly, and a failed write there is an
/// `IoError` (exit 74). Not thread-safe; one writer per object.

#include <fstream>
#include <string>

namespace orbiome {

class AtomicOutput {
public:
    /// Opens the temporary (or the special file). Throws IoError (74) if it cannot be created,
    /// e.g. the directory does not exist or is not writable.
    explicit AtomicOutput(std::string path);
    ~AtomicOutput();
    AtomicOutput(AtomicOutput const&) = delete;
    AtomicOutput& operator=(AtomicOutput const&) = delete;

    /// The stream to write text to.
    std::ostream& stream() { return out_; }
    /// Path that is being written now: the temporary, or the destination itself for special
    /// files. For writers that need a file name (HDF5): close `stream()` is never used then.
    std::string const& write_path() const { return write_path_; }
    std::string const& path() const { return path_; }

    /// Flushes, checks every write succeeded, and renames into place. Throws IoError (74) on any
    /// failure, after removing the temporary.
    void commit();

private:
    std::string path_;
    std::string write_path_;
    bool direct_ = false;
    bool committed_ = false;
    std::ofstream out_;
};

/// Opens `path` for reading as a binary stream; "-" is not accepted here (callers that allow
/// stdin handle it). Throws IoError with Errc::no_input if it does not exist, Errc::io otherwise.
std::ifstream open_input(std::string const& path);

/// Throws IoError(no_input) unless `path` exists and is readable.
void require_readable(std::string const& path);

}  // namespace orbiome
