#include "ecology/distance_matrix.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <unordered_set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/dm_hdf5.hpp"

namespace orbiome::ecology {

DistanceMatrix::DistanceMatrix(std::vector<std::string> ids) : ids_(std::move(ids)) {
    d_.assign(ids_.size() * (ids_.size() - (ids_.empty() ? 0 : 1)) / 2, 0.0);
}

DistanceMatrix DistanceMatrix::subset(std::vector<std::size_t> const& rows) const {
    std::vector<std::string> ids;
    for (auto r : rows) ids.push_back(ids_[r]);
    DistanceMatrix out(std::move(ids));
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = i + 1; j < rows.size(); ++j) out.set(i, j, (*this)(rows[i], rows[j]));
    return out;
}

namespace {

// The whole file as one view of memory: a regular file is mapped (no copy, no zero-filled
// buffer; a 1,000-sample matrix is 18 MB of text), anything else (a pipe, /dev/stdin) read into
// a buffer.
class FileText {
public:
    explicit FileText(std::string const& path) {
        auto in = open_input(path);  // the usual checks and messages (missing, directory, unreadable)
        int const fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            size_ = static_cast<std::size_t>(st.st_size);
            void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
            if (m != MAP_FAILED) {
                map_ = m;
                data_ = static_cast<char const*>(m);
            }
        }
        if (fd >= 0) ::close(fd);
        if (map_) return;
        constexpr std::size_t kChunk = std::size_t{4} << 20;
        std::size_t used = 0;
        while (true) {
            buf_.resize(used + kChunk);
            in.read(buf_.data() + used, static_cast<std::streamsize>(kChunk));
            used += static_cast<std::size_t>(in.gcount());
            if (!in) break;
        }
        if (in.bad()) throw IoError(Errc::io, path, "read failed");
        buf_.resize(used);
        data_ = buf_.data();
        size_ = used;
    }
    FileText(FileText const&) = delete;
    FileText& operator=(FileText const&) = delete;
    ~FileText() {
        if (map_) ::munmap(map_, size_);
    }
    char const* data() const { return data_; }
    std::size_t size() const { return size_; }

private:
    void* map_ = nullptr;
    std::string buf_;
    char const* data_ = nullptr;
    std::size_t size_ = 0;
};

// Eight ASCII digits at once (SWAR, little-endian): true when all eight bytes are '0'..'9'.
inline bool eight_digits(std::uint64_t v) {
    return (((v & 0xF0F0F0F0F0F0F0F0) | (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) == 0x3333333333333333);
}
// Their value, first byte most significant.
inline std::uint64_t eight_digits_value(std::uint64_t v) {
    v -= 0x3030303030303030;
    v = v * 10 + (v >> 8);  // pairs
    return (((v & 0x000000FF000000FF) * (100 + (1000000ULL << 32))) +
            (((v >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32)))) >> 32;
}

constexpr int kMaxDigits = 19;  // fits in 64 bits
// Powers of ten exactly representable as doubles (10^22 = 2^22 * 5^22, 5^22 < 2^53).
constexpr std::array<double, 23> kPow10 = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                           1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// "ddd[.ddd]" with at most 19 digits whose value w / 10^f has w <= 2^53 and f <= 22: both are
// exact doubles, so the one IEEE division is the correctly rounded value of the decimal, the
// double std::from_chars gives (Clinger's fast path; almost every distance a tool writes).
// nullptr for any other text. Inlined into the row loop: a 1,000-sample matrix has a million.
[[gnu::always_inline]] inline char const* parse_short_decimal(char const* p, char const* end, double& v) {
    auto const digit = [](char c) { return static_cast<unsigned>(c - '0') < 10u; };
    std::uint64_t w = 0;
    char const* const start = p;
    while (p < end && digit(*p)) {
        if (p - start == kMaxDigits) return nullptr;
        w = w * 10 + static_cast<std::uint64_t>(*p++ - '0');
    }
    if (p == start) return nullptr;
    std::ptrdiff_t frac = 0;
    if (p < end && *p == '.') {
        char const* const f = ++p;
        std::ptrdiff_t const room = kMaxDigits - (f - 1 - start);  // digits the fraction may add
        std::uint64_t chunk;
        while (end - p >= 8 && (std::memcpy(&chunk, p, 8), eight_digits(chunk))) {
            if (p - f + 8 > room) return nullptr;
            w = w * 100000000 + eight_digits_value(chunk);
            p += 8;
        }
        while (p < end && digit(*p)) {
            if (p - f == room) return nullptr;
            w = w * 10 + static_cast<std::uint64_t>(*p++ - '0');
        }
        frac = p - f;
    }
    if ((p < end && (*p == 'e' || *p == 'E')) || w > (std::uint64_t{1} << 53) ||
        frac >= static_cast<std::ptrdiff_t>(kPow10.size()))
        return nullptr;
    v = static_cast<double>(w) / kPow10[static_cast<std::size_t>(frac)];
    return p;
}

// try_parse_double of the field starting at `s` (and ending at the next tab or `end`) where it
// is a plain number, which is every cell of a written matrix: the short-decimal path or
// from_chars (correctly rounded, so the same double as try_parse_double), stopping right at the
// tab. Anything else (spaces, '+', an error) returns nullptr and the caller takes the general
// path on the delimited field.
[[gnu::always_inline]] inline char const* parse_plain(char const* s, char const* end, double& v) {
    if (s == end || !((*s >= '0' && *s <= '9') || *s == '-' || *s == '.')) return nullptr;
    char const* ptr = parse_short_decimal(s, end, v);
    if (!ptr) {
        auto const res = std::from_chars(s, end, v);
        if (res.ec != std::errc() || !std::isfinite(v)) return nullptr;
        ptr = res.ptr;
    }
    if (ptr != end && *ptr != '\t' && *ptr != '\n' && *ptr != '\r') return nullptr;
    return ptr;
}

// A row "id<TAB>v1<TAB>...<TAB>vn" followed by "\n", "\r\n", "\r" or the end of the text, with
// the expected id and n plain non-negative numbers, parsed into `row` in one pass over the text
// from `at`; returns the start of the next line, or nullptr (row partly written) for anything
// else, which the caller then parses line by line with the checks and messages.
char const* parse_row_fast(char const* at, char const* end, std::string const& id, double* row, std::size_t n) {
    if (static_cast<std::size_t>(end - at) <= id.size() || std::memcmp(at, id.data(), id.size()) != 0 ||
        at[id.size()] != '\t')
        return nullptr;
    at += id.size() + 1;
    for (std::size_t j = 0; j < n; ++j) {
        char const* const stop = parse_plain(at, end, row[j]);
        if (!stop || row[j] < 0) return nullptr;
        bool const last = j + 1 == n;
        if (!last) {
            if (stop == end || *stop != '\t') return nullptr;
            at = stop + 1;
            continue;
        }
        if (stop == end) return end;
        if (*stop == '\n') return stop + 1;
        if (*stop == '\r' && (stop + 1 == end || stop[1] == '\n')) return stop + 1 == end ? end : stop + 2;
        return nullptr;
    }
    return nullptr;  // n == 0 never reaches here: the header names samples
}

}  // namespace

DistanceMatrix read_distance_matrix(std::string const& path) {
    if (is_hdf5_file(path)) return read_distance_matrix_hdf5(path);
    FileText const text(path);
    char const* const data = text.data();
    std::size_t const size = text.size();
    // Lines as LineReader gives them (a UTF-8 BOM dropped from line 1, CR of CRLF dropped, a NUL
    // byte an error at its line), without a copy per line.
    std::size_t pos = 0, line_no = 0;
    auto next_line = [&](std::string_view& line) {
        if (pos >= size) return false;
        void const* nl = std::memchr(data + pos, '\n', size - pos);
        std::size_t const stop = nl ? static_cast<std::size_t>(static_cast<char const*>(nl) - data) : size;
        std::size_t b = pos, e = stop;
        pos = nl ? stop + 1 : size;
        ++line_no;
        if (line_no == 1 && e - b >= 3 && std::memcmp(data + b, "\xEF\xBB\xBF", 3) == 0) b += 3;
        if (e > b && data[e - 1] == '\r') --e;
        if (std::memchr(data + b, '\0', e - b))
            fail_data(path, line_no, "binary data (NUL byte) in a text file", "is this the right file?");
        line = std::string_view(data + b, e - b);
        return true;
    };

    std::string_view line;
    std::vector<std::string> ids;
    bool have_header = false;
    std::size_t n = 0, r = 0;
    // Each row is parsed into `row`, then split: the part right of the diagonal is the condensed
    // row (written straight into the result), the part left of it goes to `lower` (row-major
    // lower triangle, not zero-filled) for the symmetry check. 8 bytes per cell in all.
    DistanceMatrix dm;
    std::vector<double> row;
    std::unique_ptr<double[]> lower;
    auto const lower_at = [](std::size_t i, std::size_t j) { return i * (i - 1) / 2 + j; };  // j < i
    auto const store_row = [&](std::size_t i) {
        std::copy(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(i), lower.get() + lower_at(i, 0));
        std::copy(row.begin() + static_cast<std::ptrdiff_t>(i + 1), row.end(),
                  dm.condensed().begin() + static_cast<std::ptrdiff_t>(i * n - i * (i + 1) / 2));
    };
    // A row the fast path declined, with every check in the order of the messages: field count,
    // row count, row id, then each value (a field with spaces or '+' is valid and parsed here).
    auto const parse_row_checked = [&](std::string_view row_text, std::size_t at_line, std::size_t row_index) {
        auto const fields = split(row_text, '\t');
        if (fields.size() != n + 1)
            fail_data(path, at_line, "row has " + std::to_string(fields.size()) + " fields, expected " + std::to_string(n + 1));
        if (row_index >= n) fail_data(path, at_line, "more rows than the header has samples");
        if (trim(fields[0]) != ids[row_index])
            fail_data(path, at_line, "row id '" + std::string(trim(fields[0])) + "' differs from column id '" + ids[row_index] + "'",
                      "rows and columns must list the same samples in the same order");
        for (std::size_t j = 0; j < n; ++j) {
            auto const parsed = try_parse_double(fields[j + 1]);  // the message is built only on failure
            double const v = parsed ? *parsed : parse_double(fields[j + 1], path, at_line, "distance to '" + ids[j] + "'");
            if (v < 0) fail_data(path, at_line, "negative distance to '" + ids[j] + "'");
            row[j] = v;
        }
    };
    while (true) {
        // A data row as written by orbiome, scikit-bio or QIIME is parsed in place in one pass
        // (it cannot hold a NUL byte: every byte was read as id, digit or tab).
        if (have_header && r < n && pos < size && data[pos] != '#') {
            if (char const* next = parse_row_fast(data + pos, data + size, ids[r], row.data(), n)) {
                pos = static_cast<std::size_t>(next - data);
                ++line_no;
                if (row[r] != 0) fail_data(path, line_no, "non-zero diagonal for '" + ids[r] + "'");
                store_row(r);
                ++r;
                continue;
            }
        }
        if (!next_line(line)) break;
        if (line.empty() || line[0] == '#') continue;
        if (!have_header) {
            auto const fields = split(line, '\t');
            for (std::size_t i = 1; i < fields.size(); ++i) ids.emplace_back(trim(fields[i]));
            std::unordered_set<std::string> seen;
            for (auto const& id : ids)
                if (!seen.insert(id).second) fail_data(path, line_no, "sample id '" + id + "' repeated in the header");
            if (ids.empty()) fail_data(path, line_no, "header names no samples");
            have_header = true;
            n = ids.size();
            dm = DistanceMatrix(ids);
            row.resize(n);
            lower.reset(new double[n * (n - 1) / 2]);
            continue;
        }
        parse_row_checked(line, line_no, r);
        if (row[r] != 0) fail_data(path, line_no, "non-zero diagonal for '" + ids[r] + "'");
        store_row(r);
        ++r;
    }
    if (!have_header) fail_data(path, line_no, "empty distance matrix");
    if (r != n)
        fail_data(path, line_no, "matrix has " + std::to_string(r) + " rows but " + std::to_string(n) + " columns");
    // Symmetry, tile by tile so the column reads stay in cache; the first offending pair in row
    // order is then found by the plain scan.
    auto const asymmetric = [&](std::size_t i, std::size_t j) {
        double const a = dm.condensed()[i * n - i * (i + 1) / 2 + (j - i - 1)], b = lower[lower_at(j, i)];
        return std::abs(a - b) > 1e-12 * std::max(1.0, std::abs(a));
    };
    constexpr std::size_t kTile = 64;
    bool symmetric = true;
    for (std::size_t i0 = 0; i0 < n && symmetric; i0 += kTile)
        for (std::size_t j0 = i0; j0 < n && symmetric; j0 += kTile)
            for (std::size_t i = i0; i < std::min(n, i0 + kTile); ++i)
                for (std::size_t j = std::max(j0, i + 1); j < std::min(n, j0 + kTile); ++j) symmetric &= !asymmetric(i, j);
    if (!symmetric)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j)
                if (asymmetric(i, j))
                    throw ParseError({path, j + 2}, "matrix is not symmetric: d('" + ids[i] + "','" + ids[j] + "') = " +
                                                        format_double(dm(i, j)) + " but d('" + ids[j] + "','" + ids[i] +
                                                        "') = " + format_double(lower[lower_at(j, i)]));
    return dm;
}

void write_distance_matrix(DistanceMatrix const& dm, std::string const& path) {
    if (path.ends_with(".h5") || path.ends_with(".hdf5")) return write_distance_matrix_hdf5(dm, path);
    AtomicOutput out(path);
    auto& os = out.stream();
    for (auto const& id : dm.ids()) os << '\t' << id;
    os << '\n';
    // One write per row: a 1,000-sample matrix is a million numbers.
    std::string line;
    for (std::size_t i = 0; i < dm.size(); ++i) {
        line.assign(dm.ids()[i]);
        line.resize(line.size() + dm.size() * (kDoubleTextMax + 1) + 1);
        char* at = line.data() + dm.ids()[i].size();
        for (std::size_t j = 0; j < dm.size(); ++j) {
            *at++ = '\t';
            at = format_double_to(dm(i, j), at);
        }
        *at++ = '\n';
        os.write(line.data(), at - line.data());
    }
    out.commit();
}

}  // namespace orbiome::ecology
