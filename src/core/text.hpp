#pragma once
/// \file text.hpp
/// Line-oriented text input shared by every TSV-like parser: a line reader that counts lines,
/// strips a UTF-8 byte-order mark and CR of CRLF files (what a spreadsheet user expects to be
/// accepted), and strict number parsing that reports file:line on failure.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome {

/// Reads lines from a stream; `line_no()` is the 1-based number of the last line returned.
/// Rejects NUL bytes (binary garbage) with a ParseError naming the line.
class LineReader {
public:
    LineReader(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {}
    /// Next line without its terminator ("\n" or "\r\n"); false at end of input.
    bool next(std::string& line);
    std::size_t line_no() const { return line_no_; }
    std::string const& file() const { return file_; }

private:
    std::istream& in_;
    std::string file_;
    std::size_t line_no_ = 0;
};

/// Splits on `sep`, keeping empty fields ("a\t\tb" has three).
std::vector<std::string_view> split(std::string_view s, char sep);
/// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);
/// Joins with `sep`.
std::string join(std::vector<std::string> const& parts, std::string_view sep);

/// Parses a finite double (accepts "1e3", "-0.5"; rejects "", "NA", "nan", "inf", trailing
/// junk). Throws ParseError at file:line naming `what`.
double parse_double(std::string_view s, std::string const& file, std::size_t line, std::string_view what);
/// parse_double's rules without the error: nullopt where parse_double would throw. For hot
/// loops whose error message is costly to build (call parse_double only on failure).
std::optional<double> try_parse_double(std::string_view s);
/// Parses a non-negative count: a finite, non-negative double (BIOM and R tables hold counts
/// as "12" or "12.0"). Throws ParseError at file:line.
double parse_count(std::string_view s, std::string const& file, std::size_t line, std::string_view what);
/// Parses a non-negative integer that fits in 64 bits. Throws ParseError at file:line.
std::uint64_t parse_uint(std::string_view s, std::string const& file, std::size_t line, std::string_view what);

/// True for the spellings R, pandas and QIIME 2 use for a missing value: "", "NA", "NaN", "nan".
bool is_missing(std::string_view s);

/// Shortest decimal text that reads back as exactly `v` (std::to_chars), so written tables
/// round-trip bit for bit; integral values print without a decimal point.
std::string format_double(double v);

/// Room format_double_to needs: the longest shortest-round-trip text of a double is 24 chars.
inline constexpr std::size_t kDoubleTextMax = 32;

/// format_double without allocating, for writers of millions of values: writes the same text
/// to `out` (at least kDoubleTextMax chars) and returns one past its end.
char* format_double_to(double v, char* out);

}  // namespace orbiome
