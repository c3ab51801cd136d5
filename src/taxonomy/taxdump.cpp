#include "taxonomy/taxdump.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <unordered_map>

#include "core/error.hpp"
#include "core/text.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::taxonomy {

namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;
constexpr std::uint64_t kLineageRootTaxid = 1;      // NCBI's root id, reused for the synthetic root
constexpr std::size_t kMaxCycleShown = 8;           // taxids listed in a cycle error
constexpr std::string_view kNoRank = "no rank";

std::ifstream open_or_throw(std::string const& path, char const* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(Errc::no_input, path, std::string("cannot open ") + what);
    return in;
}

// A .dmp line is "f1\t|\tf2\t|\t...\t|"; the terminator is dropped before splitting.
std::vector<std::string_view> dmp_fields(std::string const& line) {
    std::string_view s = line;
    if (s.size() >= 2 && s.substr(s.size() - 2) == "\t|")
        s.remove_suffix(2);
    else if (!s.empty() && s.back() == '|')
        s.remove_suffix(1);
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        std::size_t const pos = s.find("\t|\t", start);
        if (pos == std::string_view::npos) {
            out.push_back(trim(s.substr(start)));
            return out;
        }
        out.push_back(trim(s.substr(start, pos - start)));
        start = pos + 3;
    }
}

std::uint64_t parse_taxid(std::string_view s, std::string const& file, std::size_t line, char const* what) {
    std::uint64_t const v = parse_uint(s, file, line, what);
    if (v == 0 || v >= kDerivedTaxIdBit)
        fail_data(file, line, std::string(what) + " " + std::to_string(v) + " is out of range (1 .. 2^63-1)");
    return v;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

TaxId derived_taxid(std::string_view key) {
    std::uint64_t h = kFnvOffset;
    for (char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= kFnvPrime;
    }
    return TaxId{kDerivedTaxIdBit | (h & (kDerivedTaxIdBit - 1))};
}

Taxonomy Taxonomy::from_ncbi_dump(std::string const& nodes_path, std::string const& names_path) {
    std::ifstream nodes = open_or_throw(nodes_path, "NCBI nodes.dmp");
    std::ifstream names = open_or_throw(names_path, "NCBI names.dmp");
    return from_ncbi_streams(nodes, nodes_path, &names, names_path);
}

Taxonomy Taxonomy::from_ncbi_streams(std::istream& nodes_in, std::string const& nodes_name, std::istream* names_in,
                                     std::string const& names_name) {
    // Raw nodes in file order; reordered parent-first at the end.
    std::vector<std::uint64_t> id, parent_id;
    std::vector<std::string> rank;
    std::vector<std::size_t> line_of;
    {
        LineReader reader(nodes_in, nodes_name);
        std::string line;
        while (reader.next(line)) {
            if (trim(line).empty()) continue;
            auto const f = dmp_fields(line);
            if (f.size() < 3)
                fail_data(nodes_name, reader.line_no(),
                          "expected at least 3 fields separated by '\\t|\\t' (taxid, parent, rank), found " +
                              std::to_string(f.size()),
                          "is this an NCBI nodes.dmp file?");
            id.push_back(parse_taxid(f[0], nodes_name, reader.line_no(), "taxid"));
            parent_id.push_back(parse_taxid(f[1], nodes_name, reader.line_no(), "parent taxid"));
            rank.emplace_back(f[2]);
            line_of.push_back(reader.line_no());
            if (id.size() >= std::numeric_limits<std::uint32_t>::max())
                fail_data(nodes_name, reader.line_no(), "too many taxa (more than 2^32 - 1)");
        }
    }
    std::size_t const n = id.size();
    if (n == 0) throw ParseError({nodes_name}, "no taxa in nodes file");

    // Sorted (taxid, raw index): duplicate detection and parent lookup.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted(n);
    for (std::size_t i = 0; i < n; ++i) sorted[i] = {id[i], static_cast<std::uint32_t>(i)};
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t k = 1; k < n; ++k)
        if (sorted[k].first == sorted[k - 1].first)
            fail_data(nodes_name, line_of[sorted[k].second],
                      "duplicate taxid " + std::to_string(sorted[k].first) + " (first on line " +
                          std::to_string(line_of[sorted[k - 1].second]) + ")");
    auto raw_index = [&](std::uint64_t t) -> std::optional<std::uint32_t> {
        auto const it = std::lower_bound(sorted.begin(), sorted.end(), std::pair<std::uint64_t, std::uint32_t>{t, 0});
        if (it == sorted.end() || it->first != t) return std::nullopt;
        return it->second;
    };

    std::vector<std::uint32_t> parent_raw(n);
    std::optional<std::uint32_t> root;
    for (std::size_t i = 0; i < n; ++i) {
        if (parent_id[i] == id[i]) {
            if (root)
                fail_data(nodes_name, line_of[i],
                          "second root: taxid " + std::to_string(id[i]) + " is its own parent, as is taxid " +
                              std::to_string(id[*root]) + " on line " + std::to_string(line_of[*root]));
            root = static_cast<std::uint32_t>(i);
            parent_raw[i] = static_cast<std::uint32_t>(i);
            continue;
        }
        auto const p = raw_index(parent_id[i]);
        if (!p)
            fail_data(nodes_name, line_of[i],
                      "taxid " + std::to_string(id[i]) + " has unknown parent taxid " + std::to_string(parent_id[i]));
        parent_raw[i] = *p;
    }
    if (!root)
        throw ParseError({nodes_name}, "no root: no taxid is its own parent", "NCBI's root line is '1\\t|\\t1\\t|\\t...'");

    std::vector<std::string> name(n);
    if (names_in) {
        std::vector<std::size_t> name_line(n, 0);
        LineReader reader(*names_in, names_name);
        std::string line;
        while (reader.next(line)) {
            if (trim(line).empty()) continue;
            auto const f = dmp_fields(line);
            if (f.size() < 4)
                fail_data(names_name, reader.line_no(),
                          "expected at least 4 fields separated by '\\t|\\t' (taxid, name, unique name, class), found " +
                              std::to_string(f.size()),
                          "is this an NCBI names.dmp file?");
            if (f[3] != "scientific name") continue;
            std::uint64_t const t = parse_taxid(f[0], names_name, reader.line_no(), "taxid");
            auto const r = raw_index(t);
            if (!r) continue;  // names.dmp may describe more taxa than a pruned nodes.dmp
            if (name_line[*r] != 0)
                fail_data(names_name, reader.line_no(),
                          "second scientific name for taxid " + std::to_string(t) + " (first on line " +
                              std::to_string(name_line[*r]) + ")");
            name_line[*r] = reader.line_no();
            name[*r] = std::string(f[1]);
        }
    }

    // Children in file order (CSR), then an explicit-stack pre-order walk from the root: deep
    // taxonomies must not recurse, and every node the walk misses sits on or below a cycle.
    std::vector<std::uint32_t> child_start(n + 1, 0), children(n);
    for (std::size_t i = 0; i < n; ++i)
        if (i != *root) ++child_start[parent_raw[i] + 1];
    for (std::size_t i = 0; i < n; ++i) child_start[i + 1] += child_start[i];
    {
        std::vector<std::uint32_t> fill(child_start.begin(), child_start.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            if (i != *root) children[fill[parent_raw[i]]++] = static_cast<std::uint32_t>(i);
    }
    constexpr std::uint32_t kUnvisited = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> new_index(n, kUnvisited);
    std::vector<std::uint32_t> order;
    order.reserve(n);
    std::vector<std::uint32_t> stack{*root};
    while (!stack.empty()) {
        std::uint32_t const u = stack.back();
        stack.pop_back();
        new_index[u] = static_cast<std::uint32_t>(order.size());
        order.push_back(u);
        for (std::uint32_t k = child_start[u + 1]; k > child_start[u]; --k) stack.push_back(children[k - 1]);
    }
    if (order.size() != n) {
        std::size_t first = n;
        for (std::size_t i = 0; i < n; ++i)
            if (new_index[i] == kUnvisited && (first == n || line_of[i] < line_of[first])) first = i;
        // Walk up from it until a node repeats: that node is on the cycle.
        std::vector<char> seen(n, 0);
        std::uint32_t c = static_cast<std::uint32_t>(first);
        while (!seen[c]) {
            seen[c] = 1;
            c = parent_raw[c];
        }
        std::string path = std::to_string(id[c]);
        std::size_t shown = 1;
        for (std::uint32_t u = parent_raw[c]; shown <= kMaxCycleShown; u = parent_raw[u], ++shown) {
            path += " -> " + std::to_string(id[u]);
            if (u == c) break;
        }
        if (shown > kMaxCycleShown) path += " -> ...";
        fail_data(nodes_name, line_of[c], "parent cycle: " + path, "every taxon's ancestors must reach the root");
    }

    Taxonomy t;
    t.parent_.resize(n);
    t.taxid_.resize(n);
    t.rank_.resize(n);
    t.name_.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        std::uint32_t const u = order[k];
        t.parent_[k] = TaxIndex{new_index[parent_raw[u]]};
        t.taxid_[k] = TaxId{id[u]};
        t.rank_[k] = std::move(rank[u]);
        t.name_[k] = std::move(name[u]);
    }
    t.finish();
    return t;
}

Taxonomy Taxonomy::from_lineage_tsv(std::string const& path) {
    std::ifstream in = open_or_throw(path, "lineage file");
    return from_lineage_stream(in, path);
}

Taxonomy Taxonomy::from_lineage_stream(std::istream& in, std::string const& name) {
    // Nodes are created parent-first as lineages are walked, so creation order is already a
    // valid layout; each node is keyed by its name path (see the header for the key format).
    Taxonomy t;
    std::vector<std::string> key{""};
    std::vector<std::uint64_t> given{kLineageRootTaxid};  // 0 = not given: derive
    std::vector<std::size_t> line_of{0};
    std::unordered_map<std::string, std::uint32_t> by_key{{"", 0}};
    std::unordered_map<std::uint64_t, std::size_t> taxid_line;
    std::unordered_map<std::string, std::size_t> label_line;
    t.parent_.push_back(TaxIndex{0});
    t.rank_.emplace_back(kNoRank);
    t.name_.emplace_back("root");

    auto add_node = [&](std::uint32_t parent, std::string k, std::string_view rank, std::string nm,
                        std::size_t line) -> std::uint32_t {
        if (t.parent_.size() >= std::numeric_limits<std::uint32_t>::max())
            fail_data(name, line, "too many taxa (more than 2^32 - 1)");
        auto const idx = static_cast<std::uint32_t>(t.parent_.size());
        t.parent_.push_back(TaxIndex{parent});
        t.rank_.emplace_back(rank);
        t.name_.push_back(std::move(nm));
        given.push_back(0);
        line_of.push_back(line);
        by_key.emplace(k, idx);
        key.push_back(std::move(k));
        return idx;
    };

    LineReader reader(in, name);
    std::string line;
    bool first_line = true;
    while (reader.next(line)) {
        if (trim(line).empty() || line.front() == '#') continue;
        auto const f = split(line, '\t');
        if (first_line) {
            first_line = false;
            if (f.size() == 2) {
                std::string second(trim(f[1]));
                std::transform(second.begin(), second.end(), second.begin(),
                               [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
                if (second == "lineage" || second == "taxonomy") continue;
            }
        }
        if (f.size() != 2)
            fail_data(name, reader.line_no(),
                      "expected 2 tab-separated fields (taxid, lineage), found " + std::to_string(f.size()));
        Lineage const lin = parse_lineage(f[1]);
        if (!lin.deepest())
            fail_data(name, reader.line_no(), "lineage has no named level: '" + std::string(trim(f[1])) + "'");
        std::uint32_t cur = 0;
        std::string k;
        for (int r = 0; r < kNumRanks; ++r) {
            std::string const& nm = lin.name[static_cast<std::size_t>(r)];
            if (nm.empty()) continue;
            std::string_view const rn = rank_name(static_cast<Rank>(r));
            if (!k.empty()) k += ';';
            k.append(rn).append("=").append(nm);
            auto const it = by_key.find(k);
            cur = it != by_key.end() ? it->second : add_node(cur, k, rn, nm, reader.line_no());
        }
        std::string_view const label = trim(f[0]);
        if (is_missing(label)) continue;
        if (all_digits(label)) {
            std::uint64_t const v = parse_taxid(label, name, reader.line_no(), "taxid");
            if (v == kLineageRootTaxid)
                fail_data(name, reader.line_no(), "taxid 1 is reserved for the root of a lineage taxonomy");
            auto const [it, fresh] = taxid_line.emplace(v, reader.line_no());
            if (!fresh)
                fail_data(name, reader.line_no(),
                          "duplicate taxid " + std::to_string(v) + " (first on line " + std::to_string(it->second) + ")");
            if (given[cur] == 0) {
                given[cur] = v;
            } else {
                std::uint32_t const c =
                    add_node(cur, key[cur] + ";taxid=" + std::string(label), kNoRank, t.name_[cur], reader.line_no());
                given[c] = v;
            }
        } else {
            auto const [it, fresh] = label_line.emplace(std::string(label), reader.line_no());
            if (!fresh)
                fail_data(name, reader.line_no(),
                          "duplicate label '" + std::string(label) + "' (first on line " + std::to_string(it->second) + ")");
            add_node(cur, k + ";label=" + std::string(label), kNoRank, std::string(label), reader.line_no());
        }
    }
    if (t.parent_.size() == 1) throw ParseError({name, reader.line_no()}, "no lineages in file");

    std::size_t const n = t.parent_.size();
    t.taxid_.resize(n);
    for (std::size_t i = 0; i < n; ++i) t.taxid_[i] = given[i] != 0 ? TaxId{given[i]} : derived_taxid(key[i]);
    // Explicit ids are unique and below 2^63, derived ones above: a clash is a hash collision.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted(n);
    for (std::size_t i = 0; i < n; ++i) sorted[i] = {to_int(t.taxid_[i]), static_cast<std::uint32_t>(i)};
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t k = 1; k < n; ++k)
        if (sorted[k].first == sorted[k - 1].first)
            fail_data(name, line_of[sorted[k].second],
                      "derived taxid collision between '" + key[sorted[k - 1].second] + "' and '" +
                          key[sorted[k].second] + "'",
                      "give one of them an explicit taxid");
    t.finish();
    return t;
}

void Taxonomy::finish() {
    std::size_t const n = parent_.size();
    depth_.assign(n, 0);
    for (std::size_t i = 1; i < n; ++i) {
        ORBIOME_ASSERT(to_int(parent_[i]) < i);
        depth_[i] = depth_[to_int(parent_[i])] + 1;
    }
    by_taxid_.resize(n);
    for (std::size_t i = 0; i < n; ++i) by_taxid_[i] = {to_int(taxid_[i]), static_cast<std::uint32_t>(i)};
    std::sort(by_taxid_.begin(), by_taxid_.end());
}

std::optional<TaxIndex> Taxonomy::find(TaxId id) const noexcept {
    auto const it = std::lower_bound(by_taxid_.begin(), by_taxid_.end(),
                                     std::pair<std::uint64_t, std::uint32_t>{to_int(id), 0});
    if (it == by_taxid_.end() || it->first != to_int(id)) return std::nullopt;
    return TaxIndex{it->second};
}

TaxIndex Taxonomy::require(TaxId id, std::string const& origin, std::size_t line) const {
    auto const i = find(id);
    if (!i) fail_data(origin, line, "taxid " + std::to_string(to_int(id)) + " is not in the taxonomy");
    return *i;
}

TaxIndex Taxonomy::lca(TaxIndex a, TaxIndex b) const noexcept {
    while (depth(a) > depth(b)) a = parent(a);
    while (depth(b) > depth(a)) b = parent(b);
    while (a != b) {
        a = parent(a);
        b = parent(b);
    }
    return a;
}

std::optional<TaxIndex> Taxonomy::ancestor_at_rank(TaxIndex i, std::string_view r) const {
    while (true) {
        if (rank(i) == r) return i;
        if (i == root()) return std::nullopt;
        i = parent(i);
    }
}

std::string Taxonomy::lineage(TaxIndex i) const {
    std::vector<TaxIndex> path;
    for (TaxIndex u = i;; u = parent(u)) {
        path.push_back(u);
        if (u == root()) break;
    }
    std::array<bool, kNumRanks> used{};
    std::string out;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        auto const r = parse_rank(rank(*it));
        if (!r || used[static_cast<std::size_t>(*r)]) continue;
        used[static_cast<std::size_t>(*r)] = true;
        if (!out.empty()) out += ';';
        out.append(rank_prefix(*r)).append(name(*it));
    }
    return out;
}

std::string Taxonomy::lineage(TaxId id) const { return lineage(require(id, {}, 0)); }

}  // namespace orbiome::taxonomy
