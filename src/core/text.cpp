#include "core/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace orbiome {

bool LineReader::next(std::string& line) {
    if (!std::getline(in_, line)) {
        if (in_.bad()) throw IoError(Errc::io, file_, "read failed after line " + std::to_string(line_no_));
        return false;
    }
    ++line_no_;
    if (line_no_ == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find('\0') != std::string::npos)
        fail_data(file_, line_no_, "binary data (NUL byte) in a text file", "is this the right file?");
    return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        std::size_t const pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

std::string_view trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return s.substr(b, e - b);
}

std::string join(std::vector<std::string> const& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

bool is_missing(std::string_view s) {
    s = trim(s);
    return s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "N/A";
}

namespace {
std::string quoted(std::string_view s) {
    constexpr std::size_t kMaxShown = 40;  // keep the one-line message one line
    std::string q(s.substr(0, kMaxShown));
    if (s.size() > kMaxShown) q += "...";
    return "'" + q + "'";
}
}  // namespace

std::optional<double> try_parse_double(std::string_view s) {
    std::string_view const t = trim(s);
    double v = 0;
    char const* first = t.data();
    char const* last = t.data() + t.size();
    if (!t.empty() && *first == '+') ++first;
    auto [ptr, ec] = std::from_chars(first, last, v);
    if (t.empty() || ec != std::errc() || ptr != last || !std::isfinite(v)) return std::nullopt;
    return v;
}

double parse_double(std::string_view s, std::string const& file, std::size_t line, std::string_view what) {
    auto const v = try_parse_double(s);
    if (!v) fail_data(file, line, std::string(what) + ": not a finite number: " + quoted(s));
    return *v;
}

double parse_count(std::string_view s, std::string const& file, std::size_t line, std::string_view what) {
    double const v = parse_double(s, file, line, what);
    if (v < 0) fail_data(file, line, std::string(what) + ": negative count " + quoted(s));
    return v == 0 ? 0.0 : v;  // fold -0
}

std::uint64_t parse_uint(std::string_view s, std::string const& file, std::size_t line, std::string_view what) {
    std::string_view const t = trim(s);
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size())
        fail_data(file, line, std::string(what) + ": not a non-negative integer: " + quoted(s));
    return v;
}

char* format_double_to(double v, char* out) {
    auto [ptr, ec] = std::to_chars(out, out + kDoubleTextMax, v);
    ORBIOME_ASSERT(ec == std::errc());
    return ptr;
}

std::string format_double(double v) {
    char buf[kDoubleTextMax];
    return std::string(buf, format_double_to(v, buf));
}

}  // namespace orbiome
