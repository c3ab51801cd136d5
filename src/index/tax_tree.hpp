#pragma once
/// \file tax_tree.hpp
/// The taxonomy an index carries: only the nodes on the paths from the reference taxa to the
/// root, as flat arrays ordered parent-before-child (Kraken2's layout, STYLE.md §8.2).
///
/// This is a compact, serialisable subset, not a taxonomy parser: NCBI taxdump and lineage TSV
/// files are read by `taxonomy/taxdump.hpp`, whose nodes are handed here as `TaxonSpec`s.
///
/// Dense indices (`TaxIndex`, uint32) are internal; `taxid()` gives the external NCBI (or
/// derived) id. Index 0 is a sentinel meaning "no taxon" (taxid 0, name "unclassified"); the
/// root is index 1. Every node's parent has a smaller index, so a reverse scan visits children
/// before parents (clade sums in one pass).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::index {

/// Dense internal taxon index; 0 = no taxon.
using TaxIndex = std::uint32_t;
/// External taxon id (NCBI taxid or a derived id).
using TaxId = std::uint64_t;

/// One node of an input taxonomy. The root is the node whose parent is itself or 0.
struct TaxonSpec {
    TaxId taxid = 0;
    TaxId parent = 0;
    std::string rank;  ///< NCBI rank name ("species", "genus", "no rank", ...), as given
    std::string name;  ///< scientific name
};

/// Compact taxonomy of an index. Immutable after construction; thread-safe to read.
class TaxTree {
public:
    TaxTree() = default;

    /// Keeps from `all` the nodes that are `used` taxa or their ancestors. Throws ParseError
    /// (with `source` as file name) if a used taxid is absent, a parent is missing, or the
    /// parents form a cycle. O(|all| + |kept| log |kept|).
    static TaxTree from_specs(std::vector<TaxonSpec> const& all, std::vector<TaxId> const& used,
                              std::string const& source);

    /// Number of nodes including the sentinel 0.
    std::size_t size() const noexcept { return parent_.size(); }
    TaxIndex parent(TaxIndex t) const noexcept { return parent_[t]; }
    /// Depth below the root (root = 1; sentinel = 0).
    std::uint32_t depth(TaxIndex t) const noexcept { return depth_[t]; }
    TaxId taxid(TaxIndex t) const noexcept { return taxid_[t]; }
    std::string const& rank(TaxIndex t) const noexcept { return rank_[t]; }
    std::string const& name(TaxIndex t) const noexcept { return name_[t]; }
    /// Dense index of an external taxid, or 0 if absent. O(log n).
    TaxIndex find(TaxId id) const noexcept;

    /// Lowest common ancestor; lca(0, x) = x. O(depth).
    TaxIndex lca(TaxIndex a, TaxIndex b) const noexcept;
    /// True if `anc` is `t` or one of its ancestors. O(depth).
    bool is_ancestor(TaxIndex anc, TaxIndex t) const noexcept;
    /// The nearest node at or above `t` whose rank is `rank` ("species"), or 0.
    TaxIndex ancestor_at_rank(TaxIndex t, std::string_view rank) const noexcept;

    /// Per-node reference size, filled by the index builder: bases of the sequences mapped to
    /// the node and the number of genome files contributing them.
    std::vector<std::uint64_t>& genome_bp() noexcept { return genome_bp_; }
    std::vector<std::uint32_t>& genome_count() noexcept { return genome_count_; }
    std::vector<std::uint64_t> const& genome_bp() const noexcept { return genome_bp_; }
    std::vector<std::uint32_t> const& genome_count() const noexcept { return genome_count_; }

    /// Serialises to / parses from the index file's taxonomy section. `parse` throws ParseError
    /// naming `file` on a malformed section.
    void serialize(std::string& out) const;
    static TaxTree parse(std::string_view bytes, std::string const& file);

private:
    void finish();

    std::vector<TaxIndex> parent_;
    std::vector<std::uint32_t> depth_;
    std::vector<TaxId> taxid_;
    std::vector<std::string> rank_;
    std::vector<std::string> name_;
    std::vector<std::uint64_t> genome_bp_;
    std::vector<std::uint32_t> genome_count_;
    std::vector<std::pair<TaxId, TaxIndex>> by_taxid_;  // sorted, for find()
};

}  // namespace orbiome::index
