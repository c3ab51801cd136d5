#pragma once
/// \file tsv.hpp
/// The study directory's result tables (docs/study.md), read whole and addressed by column name.
/// They are small (one row per sample, test or feature), so a table of strings is enough.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::report {

/// A tab-separated table with a header row. Leading lines that start with '#' (the
/// `#orbiome ...` line of feature tables and diff outputs) are skipped; the first other line is
/// the header. Rows keep their 1-based line numbers for error messages.
class TsvTable {
public:
    /// Reads `path`. Throws IoError (no_input, 66) when it cannot be opened, ParseError (65) at
    /// file:line when there is no header or a row has a different number of fields than the
    /// header. O(file size).
    static TsvTable read(std::string const& path);

    std::string const& path() const { return path_; }
    std::vector<std::string> const& columns() const { return columns_; }
    std::size_t n_rows() const { return rows_.size(); }
    /// Cell text of row `r` (0-based), column `c`.
    std::string const& cell(std::size_t r, std::size_t c) const { return rows_[r][c]; }
    /// 1-based line of row `r` in the file.
    std::size_t line(std::size_t r) const { return lines_[r]; }

    /// Index of column `name`, or nullopt. O(columns).
    std::optional<std::size_t> find(std::string_view name) const;
    /// Index of column `name`; throws ParseError at file:1 naming the column when it is absent.
    std::size_t require(std::string_view name) const;
    /// Cell (r, c) as a number: nullopt for a missing value ("", "NA", "NaN", "nan") or an
    /// infinite one ("inf", "-Inf", as a log ratio with a zero count gives); throws ParseError at
    /// file:line for any other text that is not a number.
    std::optional<double> number(std::size_t r, std::size_t c) const;

private:
    std::string path_;
    std::vector<std::string> columns_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<std::size_t> lines_;
};

}  // namespace orbiome::report
