#pragma once
/// \file error.hpp
/// The error model every orbiome library uses (STYLE.md §8.5).
///
/// Library code throws `orbiome::Error` carrying an exit code (`Errc`, sysexits values), the
/// place in the input that is at fault (`SourceLoc`) and an optional hint. Only the CLI's single
/// catch site (`cli::run`) turns it into the one-line message and the exit status; no library
/// code prints errors or exits.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace orbiome {

/// Exit codes, from BSD sysexits.h (Kraken2's convention).
enum class Errc : int {
    usage = 64,     ///< bad command line
    data = 65,      ///< input is malformed or inconsistent
    no_input = 66,  ///< an input file does not exist or cannot be opened
    software = 70,  ///< internal invariant violated (a bug)
    os = 71,        ///< resource exhaustion (memory)
    io = 74,        ///< read or write failed (disk full, unwritable directory)
};

/// Where in the input a problem is. Empty `file` means "not tied to a file" (e.g. a flag).
/// `line` and `record` are 1-based; 0 means unknown.
struct SourceLoc {
    std::string file;
    std::size_t line = 0;
    std::size_t record = 0;
    std::string record_name;  ///< e.g. a read name or a sample id, shown quoted

    /// "file:line: record 7 ('name')", omitting parts that are unknown; "" when nothing is known.
    std::string to_string() const;
};

/// The exception type of all orbiome libraries. `what()` is the full one-line message,
/// "<location>: <message>", without the "orbiome <cmd>: error:" prefix the CLI adds.
class Error : public std::runtime_error {
public:
    Error(Errc code, SourceLoc loc, std::string const& message, std::string hint = {});
    Errc code() const noexcept { return code_; }
    SourceLoc const& where() const noexcept { return loc_; }
    std::string const& message() const noexcept { return message_; }
    std::string const& hint() const noexcept { return hint_; }

private:
    Errc code_;
    SourceLoc loc_;
    std::string message_;
    std::string hint_;
};

/// Malformed or inconsistent input data (exit 65).
struct ParseError : Error {
    ParseError(SourceLoc loc, std::string const& message, std::string hint = {})
        : Error(Errc::data, std::move(loc), message, std::move(hint)) {}
};

/// Bad command-line use: unknown flag, missing option, invalid value (exit 64).
struct UsageError : Error {
    explicit UsageError(std::string const& message, std::string hint = {})
        : Error(Errc::usage, {}, message, std::move(hint)) {}
};

/// A file could not be read or written (exit 74), or does not exist (exit 66, `no_input`).
struct IoError : Error {
    IoError(Errc code, std::string file, std::string const& message, std::string hint = {})
        : Error(code, SourceLoc{std::move(file)}, message, std::move(hint)) {}
};

/// Shorthand for the common case: data error at file:line.
[[noreturn]] void fail_data(std::string const& file, std::size_t line, std::string const& message,
                            std::string hint = {});

/// Invariant check kept on in release builds; a failure is a bug (exit 70), never bad input.
#define ORBIOME_ASSERT(cond)                                                                        \
    do {                                                                                            \
        if (!(cond))                                                                                \
            throw ::orbiome::Error(::orbiome::Errc::software, {}, "internal error: " #cond " at " __FILE__); \
    } while (0)

}  // namespace orbiome
