#include "report/tsv.hpp"

#include <algorithm>
#include <array>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace orbiome::report {

TsvTable TsvTable::read(std::string const& path) {
    auto in = open_input(path);
    LineReader reader(in, path);
    TsvTable t;
    t.path_ = path;
    std::string line;
    bool have_header = false;
    while (reader.next(line)) {
        if (!have_header) {
            if (line.starts_with('#')) continue;
            for (auto f : split(line, '\t')) t.columns_.emplace_back(f);
            have_header = true;
            continue;
        }
        if (line.empty()) continue;
        auto fields = split(line, '\t');
        if (fields.size() != t.columns_.size())
            fail_data(path, reader.line_no(),
                      std::to_string(fields.size()) + " fields, the header has " + std::to_string(t.columns_.size()));
        t.rows_.emplace_back(fields.begin(), fields.end());
        t.lines_.push_back(reader.line_no());
    }
    if (!have_header) fail_data(path, reader.line_no() + 1, "no header row (the file is empty)");
    return t;
}

std::optional<std::size_t> TsvTable::find(std::string_view name) const {
    auto it = std::find(columns_.begin(), columns_.end(), name);
    if (it == columns_.end()) return std::nullopt;
    return static_cast<std::size_t>(it - columns_.begin());
}

std::size_t TsvTable::require(std::string_view name) const {
    auto c = find(name);
    if (!c) fail_data(path_, 1, "no column '" + std::string(name) + "'", "see docs/study.md for the columns of each file");
    return *c;
}

std::optional<double> TsvTable::number(std::size_t r, std::size_t c) const {
    std::string_view const s = rows_[r][c];
    if (is_missing(s)) return std::nullopt;
    constexpr std::array<std::string_view, 6> kInfinite = {"inf", "-inf", "Inf", "-Inf", "INF", "-INF"};
    if (std::find(kInfinite.begin(), kInfinite.end(), s) != kInfinite.end()) return std::nullopt;
    return parse_double(s, path_, lines_[r], columns_[c]);
}

}  // namespace orbiome::report
