#pragma once
/// \file newick.hpp
/// Newick trees (phylogenies for UniFrac and Faith's PD).
///
/// Supports quoted labels ('a b', with '' for a quote), unquoted labels where `_` means a space
/// only inside quotes is NOT applied (labels are kept verbatim, as scikit-bio does for
/// feature-id matching), internal node labels such as bootstrap values or `0.985.6`, branch
/// lengths in any float notation, `[...]` comments anywhere, and whitespace/newlines between
/// tokens. Multifurcations are allowed.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::io {

/// A rooted tree with nodes in post-order: every child precedes its parent, the root is last.
struct Tree {
    std::vector<std::int32_t> parent;   ///< parent index; -1 for the root
    std::vector<double> length;         ///< branch length to the parent; 0 where none was given
    std::vector<std::string> name;      ///< label ("" if none)
    std::vector<std::int32_t> first_child, next_sibling;  ///< child lists; -1 terminated

    std::size_t size() const { return parent.size(); }
    std::size_t root() const { return parent.size() - 1; }
    bool is_tip(std::size_t i) const { return first_child[i] < 0; }
};

/// Parses Newick text. `origin` names the source in errors. Throws ParseError (65) naming the
/// line and character offset for: unbalanced parentheses, missing ';', a negative or non-finite
/// branch length, text after ';', an empty tree.
Tree parse_newick(std::string_view text, std::string const& origin);

/// Reads a Newick file (plain text).
Tree read_newick(std::string const& path);

}  // namespace orbiome::io
