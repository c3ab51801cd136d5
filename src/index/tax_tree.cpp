#include "index/tax_tree.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "core/error.hpp"

namespace orbiome::index {

TaxTree TaxTree::from_specs(std::vector<TaxonSpec> const& all, std::vector<TaxId> const& used,
                            std::string const& source) {
    std::unordered_map<TaxId, std::size_t> pos;
    pos.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) pos.emplace(all[i].taxid, i);

    // Mark used taxa and their ancestors.
    std::unordered_map<TaxId, bool> keep;
    for (TaxId id : used) {
        TaxId cur = id;
        std::size_t steps = 0;
        while (!keep.count(cur)) {
            auto it = pos.find(cur);
            if (it == pos.end()) {
                if (cur == id)
                    throw ParseError(SourceLoc{source}, "taxid " + std::to_string(id) + " is not in the taxonomy");
                throw ParseError(SourceLoc{source}, "taxid " + std::to_string(cur) + " (an ancestor of " +
                                                        std::to_string(id) + ") is not in the taxonomy");
            }
            keep.emplace(cur, true);
            TaxonSpec const& s = all[it->second];
            if (s.parent == 0 || s.parent == s.taxid) break;
            cur = s.parent;
            if (++steps > all.size())
                throw ParseError(SourceLoc{source}, "the parents of taxid " + std::to_string(id) + " form a cycle");
        }
    }

    // Children lists, then breadth-first from the root(s) so parents precede children; sorting
    // children by taxid makes the layout independent of input order.
    std::unordered_map<TaxId, std::vector<TaxId>> children;
    std::vector<TaxId> roots;
    for (auto const& [id, _] : keep) {
        TaxonSpec const& s = all[pos.at(id)];
        if (s.parent == 0 || s.parent == s.taxid) roots.push_back(id);
        else children[s.parent].push_back(id);
    }
    if (roots.size() > 1)
        throw ParseError(SourceLoc{source}, "the taxonomy has " + std::to_string(roots.size()) +
                                                " roots; all lineages must meet in one root");
    TaxTree t;
    t.parent_ = {0};
    t.taxid_ = {0};
    t.rank_ = {"no rank"};
    t.name_ = {"unclassified"};
    if (roots.empty()) {
        t.finish();
        return t;
    }
    std::vector<std::pair<TaxId, TaxIndex>> queue{{roots[0], 0}};
    for (std::size_t q = 0; q < queue.size(); ++q) {
        auto const [id, parent] = queue[q];
        TaxonSpec const& s = all[pos.at(id)];
        auto const me = static_cast<TaxIndex>(t.parent_.size());
        t.parent_.push_back(parent);
        t.taxid_.push_back(id);
        t.rank_.push_back(s.rank);
        t.name_.push_back(s.name);
        auto it = children.find(id);
        if (it == children.end()) continue;
        std::sort(it->second.begin(), it->second.end());
        for (TaxId c : it->second) queue.emplace_back(c, me);
    }
    t.finish();
    return t;
}

void TaxTree::finish() {
    depth_.assign(parent_.size(), 0);
    for (std::size_t i = 1; i < parent_.size(); ++i) depth_[i] = depth_[parent_[i]] + 1;
    genome_bp_.resize(parent_.size(), 0);
    genome_count_.resize(parent_.size(), 0);
    by_taxid_.clear();
    for (std::size_t i = 1; i < parent_.size(); ++i) by_taxid_.emplace_back(taxid_[i], static_cast<TaxIndex>(i));
    std::sort(by_taxid_.begin(), by_taxid_.end());
}

TaxIndex TaxTree::find(TaxId id) const noexcept {
    auto it = std::lower_bound(by_taxid_.begin(), by_taxid_.end(), std::pair<TaxId, TaxIndex>{id, 0});
    return it != by_taxid_.end() && it->first == id ? it->second : 0;
}

TaxIndex TaxTree::lca(TaxIndex a, TaxIndex b) const noexcept {
    if (a == 0) return b;
    if (b == 0) return a;
    while (a != b) {
        if (depth_[a] >= depth_[b]) a = parent_[a];
        else b = parent_[b];
    }
    return a;
}

bool TaxTree::is_ancestor(TaxIndex anc, TaxIndex t) const noexcept {
    if (anc == 0) return false;
    while (depth_[t] > depth_[anc]) t = parent_[t];
    return t == anc;
}

TaxIndex TaxTree::ancestor_at_rank(TaxIndex t, std::string_view rank) const noexcept {
    while (t != 0 && rank_[t] != rank) t = parent_[t];
    return t;
}

namespace {
template <class T>
void put(std::string& out, T v) {
    out.append(reinterpret_cast<char const*>(&v), sizeof v);
}
void put_str(std::string& out, std::string const& s) {
    put<std::uint32_t>(out, static_cast<std::uint32_t>(s.size()));
    out += s;
}
struct Cursor {
    std::string_view bytes;
    std::string const& file;
    std::size_t at = 0;
    template <class T>
    T get() {
        if (at + sizeof(T) > bytes.size()) bad();
        T v;
        std::memcpy(&v, bytes.data() + at, sizeof v);
        at += sizeof v;
        return v;
    }
    std::string get_str() {
        auto const n = get<std::uint32_t>();
        if (at + n > bytes.size()) bad();
        std::string s(bytes.substr(at, n));
        at += n;
        return s;
    }
    [[noreturn]] void bad() const { throw ParseError(SourceLoc{file}, "index taxonomy section is malformed"); }
};
}  // namespace

void TaxTree::serialize(std::string& out) const {
    put<std::uint64_t>(out, parent_.size());
    for (std::size_t i = 0; i < parent_.size(); ++i) {
        put<std::uint32_t>(out, parent_[i]);
        put<std::uint64_t>(out, taxid_[i]);
        put<std::uint64_t>(out, genome_bp_[i]);
        put<std::uint32_t>(out, genome_count_[i]);
        put_str(out, rank_[i]);
        put_str(out, name_[i]);
    }
}

TaxTree TaxTree::parse(std::string_view bytes, std::string const& file) {
    Cursor c{bytes, file};
    auto const n = c.get<std::uint64_t>();
    if (n == 0 || n > bytes.size()) c.bad();
    TaxTree t;
    std::vector<std::uint64_t> bp;
    std::vector<std::uint32_t> cnt;
    for (std::uint64_t i = 0; i < n; ++i) {
        auto const p = c.get<std::uint32_t>();
        if (i > 0 && p >= i) c.bad();  // the parent-before-child order is an invariant of the format
        t.parent_.push_back(p);
        t.taxid_.push_back(c.get<std::uint64_t>());
        bp.push_back(c.get<std::uint64_t>());
        cnt.push_back(c.get<std::uint32_t>());
        t.rank_.push_back(c.get_str());
        t.name_.push_back(c.get_str());
    }
    if (c.at != bytes.size()) c.bad();
    t.finish();
    t.genome_bp_ = std::move(bp);
    t.genome_count_ = std::move(cnt);
    return t;
}

}  // namespace orbiome::index
