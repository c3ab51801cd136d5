#pragma once
/// \file taxdump.hpp
/// A whole reference taxonomy read from NCBI `nodes.dmp`/`names.dmp` or from a lineage TSV.
///
/// Representation (STYLE.md §8.2, Kraken2's layout): a flat node array ordered so that every
/// parent precedes its children (depth-first pre-order from the root), a dense internal index
/// `TaxIndex` distinct from the external `TaxId`, a rank and scientific name per node, and a
/// depth array so that `lca` walks at most depth(a) + depth(b) steps.
///
/// Derived taxids. A lineage TSV names ranks but usually gives no taxid for the levels above the
/// row's own taxon, and sometimes none at all. Such nodes get a derived id that depends only on
/// the names from the root down, so the same name path always gets the same id in any file:
///   key  = the known levels joined by ';', each written `<rank>=<name>` with the rank from
///          `rank_name()` and the bare name ("domain=Bacteria;phylum=Firmicutes"); a row label
///          that is not a number (a genome id such as "G000006745") adds ";label=<label>";
///   id   = 2^63 | (FNV-1a-64(key) mod 2^63)
/// (FNV-1a: Fowler, Noll, Vo; offset basis 14695981039346656037, prime 1099511628211; see
/// draft-eastlake-fnv). NCBI taxids are below 2^63, so the two ranges are disjoint.

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::taxonomy {

/// Dense internal node index: 0 is the root, and parent(i) < i for every other node.
enum class TaxIndex : std::uint32_t {};
/// External taxon id: an NCBI taxid, or a derived id (>= kDerivedTaxIdBit) for lineage TSVs.
enum class TaxId : std::uint64_t {};

constexpr std::uint32_t to_int(TaxIndex i) noexcept { return static_cast<std::uint32_t>(i); }
constexpr std::uint64_t to_int(TaxId t) noexcept { return static_cast<std::uint64_t>(t); }

/// The bit that marks derived ids; NCBI taxids must be below it.
inline constexpr std::uint64_t kDerivedTaxIdBit = std::uint64_t{1} << 63;

/// The derived id of a name-path key (see the file comment). O(key length).
TaxId derived_taxid(std::string_view key);

/// An immutable taxonomy; thread-safe to read.
class Taxonomy {
public:
    /// Reads NCBI `nodes.dmp` and `names.dmp` (fields separated by "\t|\t", lines ending "\t|").
    /// Uses the taxid, parent and rank of nodes.dmp and the "scientific name" entries of
    /// names.dmp (other name classes are ignored; a node without one has the name ""). The root
    /// is the one node that is its own parent. Throws IoError (66) if a file cannot be opened and
    /// ParseError naming file:line for a malformed line, taxid 0 or >= 2^63, a duplicate taxid
    /// or scientific name, an unknown parent, no root or more than one root, or a cycle.
    /// O(n log n) time, O(n) memory.
    static Taxonomy from_ncbi_dump(std::string const& nodes_path, std::string const& names_path);
    /// As `from_ncbi_dump`, from open streams; `names` may be null (all names ""). The `*_name`
    /// arguments name the sources in errors.
    static Taxonomy from_ncbi_streams(std::istream& nodes, std::string const& nodes_name, std::istream* names,
                                      std::string const& names_name);

    /// Reads a lineage TSV: `taxid<TAB>lineage` per line, the lineage in any style
    /// `parse_lineage` accepts (domain .. species). An optional first line whose second field is
    /// "lineage" or "taxonomy" is a header; blank lines and lines starting with '#' are skipped.
    /// Every known level becomes a node under a synthetic root (taxid 1, "root", rank
    /// "no rank"); levels whose name is unknown ("g__", "NA") are skipped, so the next level
    /// hangs from the nearest named one. Ranks are `rank_name()` spellings.
    /// The row's first field:
    ///  - a number: the taxid of the row's deepest named level; if that node already carries a
    ///    different taxid (two rows, same lineage), the row becomes a child of it with rank
    ///    "no rank" and the same name;
    ///  - empty or "NA": the deepest level keeps its derived id;
    ///  - other text (a genome id): a leaf node named by it, rank "no rank", under the deepest
    ///    level, with a derived id.
    /// Nodes without a given taxid get derived ids. Throws ParseError naming file:line for a line
    /// without exactly two fields, a lineage with no named level, a duplicate taxid or label, or
    /// taxid 1 or >= 2^63.
    /// O(total lineage length) expected time.
    static Taxonomy from_lineage_tsv(std::string const& path);
    /// As `from_lineage_tsv`, from an open stream named `name` in errors.
    static Taxonomy from_lineage_stream(std::istream& in, std::string const& name);

    /// Number of nodes (root included).
    std::size_t size() const noexcept { return parent_.size(); }
    static constexpr TaxIndex root() noexcept { return TaxIndex{0}; }
    /// Parent of `i`; the root is its own parent.
    TaxIndex parent(TaxIndex i) const noexcept { return parent_[to_int(i)]; }
    /// Edges from the root (root = 0).
    std::uint32_t depth(TaxIndex i) const noexcept { return depth_[to_int(i)]; }
    TaxId taxid(TaxIndex i) const noexcept { return taxid_[to_int(i)]; }
    /// Rank as given ("species", "no rank", or a `rank_name()` spelling for lineage TSVs).
    std::string const& rank(TaxIndex i) const noexcept { return rank_[to_int(i)]; }
    /// Scientific name ("" if the dump has none).
    std::string const& name(TaxIndex i) const noexcept { return name_[to_int(i)]; }

    /// Index of an external id, or nullopt. O(log n).
    std::optional<TaxIndex> find(TaxId id) const noexcept;
    /// Index of an external id; throws ParseError naming `origin`:`line` when absent.
    TaxIndex require(TaxId id, std::string const& origin, std::size_t line) const;

    /// Lowest common ancestor. O(depth(a) + depth(b)).
    TaxIndex lca(TaxIndex a, TaxIndex b) const noexcept;
    /// The nearest node at or above `i` whose rank equals `rank` (e.g. "genus"), or nullopt.
    /// O(depth).
    std::optional<TaxIndex> ancestor_at_rank(TaxIndex i, std::string_view rank) const;

    /// Ranked lineage of `i`, root first: the node itself and its ancestors whose rank maps to
    /// a standard `Rank` (`parse_rank`: superkingdom/kingdom/domain, phylum, ..., species,
    /// strain; the highest node wins when two map to one rank), each written with its
    /// Greengenes prefix, joined by ';' ("k__Bacteria;p__Firmicutes;...;s__Dorea
    /// longicatena"). `parse_lineage` reads it back. "" when no node on the path is ranked.
    /// O(depth).
    std::string lineage(TaxIndex i) const;
    /// `lineage(require(id))`; throws ParseError (no file) when `id` is unknown.
    std::string lineage(TaxId id) const;

private:
    void finish();  // depth and lookup arrays from parent_/taxid_

    std::vector<TaxIndex> parent_;
    std::vector<std::uint32_t> depth_;
    std::vector<TaxId> taxid_;
    std::vector<std::string> rank_;
    std::vector<std::string> name_;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_taxid_;  // sorted by taxid
};

}  // namespace orbiome::taxonomy
