#pragma once
/// \file lineage.hpp
/// Taxonomic ranks and lineage strings as the field writes them.
///
/// Accepted styles, level separator `;` (or `|`, MetaPhlAn), spaces around levels ignored:
///  - Greengenes / GTDB prefixes: `k__Bacteria; p__Firmicutes; ...; s__` (`d__` = domain),
///  - SILVA numbered prefixes: `D_0__Bacteria;D_1__Firmicutes;...` (D_0 = domain ... D_6 = species),
///  - plain positional: `Bacteria;Firmicutes;Clostridia;...` = domain, phylum, class, order,
///    family, genus, species.
/// An empty name (`g__`, ``, `NA`, `Unassigned`, `uncultured` is NOT treated as empty: it is a
/// name the reference gives) means the level is unknown.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::taxonomy {

/// The ranks a lineage resolves to, from the root down. `strain` holds `t__` levels (MetaPhlAn).
enum class Rank : int { domain = 0, phylum, class_, order, family, genus, species, strain };
inline constexpr int kNumRanks = 8;

/// "domain", "phylum", ..., "species", "strain".
std::string_view rank_name(Rank r);
/// Case-insensitive rank name: domain = kingdom = superkingdom; also "class", "genus", ...
/// and single-letter prefixes ("g"). nullopt if unknown.
std::optional<Rank> parse_rank(std::string_view name);
/// Greengenes prefix of a rank: "k__" (domain), "p__", "c__", "o__", "f__", "g__", "s__", "t__".
std::string_view rank_prefix(Rank r);

/// One lineage resolved to ranks. `levels` keeps each level's text as read (with its prefix),
/// so a collapsed table shows the user's own spelling.
struct Lineage {
    std::array<std::string, kNumRanks> name;    ///< bare name per rank; "" if unknown
    std::array<std::string, kNumRanks> level;   ///< the level as read (e.g. "g__Dorea"); "" if absent
    bool prefixed = false;                      ///< ranks came from prefixes (k__, D_0__), not positions
    /// Deepest rank with a known name, or nullopt if none.
    std::optional<Rank> deepest() const;
};

/// Parses a lineage string in any of the styles above. Never throws: unknown text is kept as a
/// positional name.
Lineage parse_lineage(std::string_view text);

/// Key of `lin` collapsed at `rank`: the levels from the root down to `rank`, joined by ";"
/// (levels a prefixed lineage does not have are left out; a positional lineage keeps empty
/// levels as empty fields so its positions still mean the same ranks).
/// When the name at `rank` is unknown, the key is the levels down to the nearest named ancestor
/// followed by ";unassigned" (SPEC, "When collapsing"); a lineage with no named level at all
/// gives "unassigned".
std::string collapse_key(Lineage const& lin, Rank rank);

/// Lineage text from rank-named columns (a separate taxonomy table, GeneLab's columns): values
/// in `ranks` order. When the ranks are the standard domain..species order from the root without
/// gaps, the text is plain positional; otherwise each level gets its Greengenes prefix so the
/// ranks survive a round trip.
std::string lineage_from_columns(std::vector<Rank> const& ranks, std::vector<std::string> const& values);

}  // namespace orbiome::taxonomy
