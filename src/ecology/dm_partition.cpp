#include "ecology/dm_partition.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <istream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "ecology/unifrac.hpp"

namespace orbiome::ecology {

namespace {

constexpr std::string_view kMagic = "#orbiome-dm-partial 1";
constexpr std::string_view kChecksumTag = "#sha256 ";

static_assert(std::endian::native == std::endian::little, "partial files store little-endian doubles");

// Pairs in rows [0, r) of the upper triangle of an n x n matrix.
std::size_t pairs_before_row(std::size_t n, std::size_t r) { return r * n - r * (r + 1) / 2; }

std::string_view bytes_of(std::vector<double> const& v) {
    return {reinterpret_cast<char const*>(v.data()), v.size() * sizeof(double)};
}

std::string layout_name(PartLayout l) { return l == PartLayout::rows ? "rows" : "stripes"; }

// Values a partition of this layout and range must hold.
std::size_t expected_values(PartLayout layout, std::size_t n, std::size_t begin, std::size_t end) {
    if (layout == PartLayout::stripes) return stripe_values_size(n, begin, end);
    return pairs_before_row(n, std::min(end, n)) - pairs_before_row(n, std::min(begin, n));
}

}  // namespace

Partition Partition::parse(std::string_view text) {
    auto const slash = text.find('/');
    Partition p;
    auto number = [&](std::string_view s, std::size_t& out) {
        auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
    };
    if (slash == std::string_view::npos || !number(text.substr(0, slash), p.index) ||
        !number(text.substr(slash + 1), p.count) || p.count == 0 || p.index < 1 || p.index > p.count)
        throw UsageError("--partition '" + std::string(text) + "' is not I/N with 1 <= I <= N",
                         "e.g. --partition 1/4 ... --partition 4/4, then `orbiome beta merge`");
    return p;
}

std::pair<std::size_t, std::size_t> partition_rows(std::size_t n, Partition p) {
    std::size_t const total = pairs_before_row(n, n);
    // Smallest row r whose preceding pairs reach i/N of all pairs; the last partition runs to n.
    auto boundary = [&](std::size_t i) -> std::size_t {
        if (i == p.count) return n;
        std::size_t lo = 0, hi = n;
        while (lo < hi) {
            std::size_t const mid = (lo + hi) / 2;
            if (pairs_before_row(n, mid) * p.count >= i * total) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    };
    return {boundary(p.index - 1), boundary(p.index)};
}

std::pair<std::size_t, std::size_t> partition_stripes(std::size_t n, Partition p) {
    std::size_t const s = n / 2;
    return {1 + (p.index - 1) * s / p.count, 1 + p.index * s / p.count};
}

void write_partial(PartialDistances const& part, std::string const& path) {
    nlohmann::json header = {{"metric", part.metric},
                             {"fingerprint", part.fingerprint},
                             {"ids", part.ids},
                             {"layout", layout_name(part.layout)},
                             {"part", part.part.index},
                             {"of", part.part.count},
                             {"begin", part.begin},
                             {"end", part.end},
                             {"n_values", part.values.size()}};
    AtomicOutput out(path);
    auto& os = out.stream();
    os << kMagic << '\n' << header.dump() << '\n';
    os.write(bytes_of(part.values).data(), static_cast<std::streamsize>(bytes_of(part.values).size()));
    os << '\n' << kChecksumTag << sha256_hex(bytes_of(part.values)) << '\n';
    out.commit();
}

PartialDistances read_partial(std::string const& path) {
    auto in = open_input(path);
    auto fail = [&](std::string const& what, std::size_t line = 0) -> void {
        throw ParseError({path, line}, what, "a partial is written by `orbiome beta --partition I/N --out PART`");
    };
    std::string line;
    if (!std::getline(in, line) || line != kMagic) fail("not an orbiome partial distance matrix", 1);
    if (!std::getline(in, line)) fail("the header line is missing", 2);
    PartialDistances p;
    std::size_t n_values = 0;
    try {
        auto const h = nlohmann::json::parse(line);
        p.metric = h.at("metric").get<std::string>();
        p.fingerprint = h.at("fingerprint").get<std::string>();
        p.ids = h.at("ids").get<std::vector<std::string>>();
        std::string const layout = h.at("layout").get<std::string>();
        if (layout != "rows" && layout != "stripes") fail("unknown layout '" + layout + "'", 2);
        p.layout = layout == "rows" ? PartLayout::rows : PartLayout::stripes;
        p.part.index = h.at("part").get<std::size_t>();
        p.part.count = h.at("of").get<std::size_t>();
        p.begin = h.at("begin").get<std::size_t>();
        p.end = h.at("end").get<std::size_t>();
        n_values = h.at("n_values").get<std::size_t>();
    } catch (nlohmann::json::exception const& e) {
        fail(std::string("header does not parse: ") + e.what(), 2);
    }
    std::size_t const n = p.ids.size();
    if (p.part.count == 0 || p.part.index < 1 || p.part.index > p.part.count) fail("partition number out of range", 2);
    auto const range = p.layout == PartLayout::rows ? partition_rows(n, p.part) : partition_stripes(n, p.part);
    if (range != std::pair{p.begin, p.end} || n_values != expected_values(p.layout, n, p.begin, p.end))
        fail("partition " + p.part.text() + " of " + std::to_string(n) + " samples should hold " +
                 layout_name(p.layout) + " " + std::to_string(range.first) + ".." + std::to_string(range.second),
             2);
    p.values.resize(n_values);
    auto const n_bytes = static_cast<std::streamsize>(p.values.size() * sizeof(double));
    in.read(reinterpret_cast<char*>(p.values.data()), n_bytes);
    if (in.gcount() != n_bytes) fail("truncated: the file ends inside the distances");
    if (!std::getline(in, line) || !line.empty() || !std::getline(in, line) || !line.starts_with(kChecksumTag))
        fail("the checksum line is missing: the file is truncated or damaged");
    if (line.substr(kChecksumTag.size()) != sha256_hex(bytes_of(p.values)))
        fail("the checksum does not match the distances: the file is damaged");
    return p;
}

DistanceMatrix merge_partials(std::vector<std::string> const& paths) {
    if (paths.empty()) throw UsageError("no partials to merge");
    DistanceMatrix dm;
    PartialDistances first;
    std::vector<std::string> seen;  // file of each partition, "" until read
    for (auto const& path : paths) {
        auto p = read_partial(path);
        if (seen.empty()) {
            first.metric = p.metric;
            first.fingerprint = p.fingerprint;
            first.ids = p.ids;
            first.layout = p.layout;
            first.part = p.part;
            dm = DistanceMatrix(p.ids);
            seen.assign(p.part.count, "");
        }
        auto const mismatch = [&](std::string const& what) {
            throw ParseError({path}, "this partial's " + what + " differs from that of " + paths.front(),
                             "merge only the partials of one `orbiome beta` run (same table, tree, metric, options)");
        };
        if (p.metric != first.metric) mismatch("metric");
        if (p.part.count != first.part.count) mismatch("number of partitions");
        if (p.ids != first.ids) mismatch("sample ids");
        if (p.fingerprint != first.fingerprint) mismatch("input fingerprint");
        auto& slot = seen[p.part.index - 1];
        if (!slot.empty())
            throw ParseError({path}, "partition " + p.part.text() + " is also given by " + slot,
                             "give each partition once");
        slot = path;
        std::size_t const n = dm.size();
        if (p.layout == PartLayout::stripes) {
            place_stripes(p.values, p.begin, p.end, dm);
        } else if (!p.values.empty()) {
            std::copy(p.values.begin(), p.values.end(),
                      dm.condensed().begin() + static_cast<std::ptrdiff_t>(condensed_index(n, p.begin, p.begin + 1)));
        }
    }
    std::string missing;
    std::size_t n_missing = 0;
    for (std::size_t i = 0; i < seen.size(); ++i)
        if (seen[i].empty()) missing += (n_missing++ ? ", " : "") + std::to_string(i + 1) + "/" + std::to_string(seen.size());
    if (n_missing)
        throw UsageError(std::to_string(n_missing) + " of " + std::to_string(seen.size()) +
                             " partitions are missing: " + missing,
                         "compute them with `orbiome beta ... --partition I/N` and merge all N");
    return dm;
}

}  // namespace orbiome::ecology
