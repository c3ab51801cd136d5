#pragma once
/// \file unifrac.hpp
/// Phylogenetic diversity on a feature table and a rooted tree: the tree/table match shared by
/// Faith's PD and UniFrac, and the four UniFrac distances.
///
/// Definitions (b = branch length above node n; p_n(s) = fraction of sample s's total found in
/// the tips below n; x_n(s) = 1 if p_n(s) > 0):
///  - unweighted (Lozupone & Knight 2005, doi:10.1128/AEM.71.12.8228-8235.2005):
///      sum_n b |x_n(i) - x_n(j)| / sum_n b max(x_n(i), x_n(j))
///  - weighted, unnormalized (Lozupone et al. 2007, doi:10.1128/AEM.01996-06):
///      sum_n b |p_n(i) - p_n(j)|
///  - weighted, normalized: the above divided by sum_n b (p_n(i) + p_n(j)), which equals the sum
///    over tips of (tip-to-root distance) x (p_tip(i) + p_tip(j)), so the result is in [0, 1]
///  - generalized with parameter a (Chen et al. 2012, doi:10.1093/bioinformatics/bts342):
///      sum_n b (p_n(i)+p_n(j))^a |p_n(i)-p_n(j)| / (p_n(i)+p_n(j))  /  sum_n b (p_n(i)+p_n(j))^a,
///    nodes with p_n(i) + p_n(j) = 0 left out; a = 1 gives the normalized weighted distance.
/// A distance whose denominator is 0 (both samples only on zero-length branches) is 0, as
/// scikit-bio 0.5.8 returns for unweighted UniFrac.
///
/// Tree conventions, chosen to match scikit-bio 0.5.8 (which does not shear the tree before
/// computing): tips that are not table features are ignored (they carry no counts); every table
/// feature must be a tip; the root's own branch length, if the Newick gives one, counts as a
/// branch (present in every non-empty sample), so it adds to Faith's PD and to the unweighted
/// denominator. Most trees give the root no length, and then it makes no difference.
///
/// Algorithm (Hamady et al. 2010, Fast UniFrac, doi:10.1038/ismej.2009.97; McDonald et al. 2018,
/// Striped UniFrac, doi:10.1038/s41592-018-0187-8): one post-order pass per sample gives the
/// per-node embedding p_n(s) (or x_n(s)) for all nodes at once, never a walk per pair. Pairs are
/// then laid out in stripes: stripe k holds the pairs (i, (i + k) mod n) for i = 0..n-1,
/// k = 1..n/2, so each stripe is a contiguous vector and the embedding row of a node is stored
/// twice over (length 2n) to avoid the modulo:
///
///     embedding row of node r:  [ e(0) e(1) ... e(n-1) | e(0) e(1) ... e(n-1) ]
///     stripe k, pair i:          acc[k][i] += b_r * |e(i) - e(i + k)|
///
/// Work is tiled into (block of stripes) x (block of i) tiles, each owned by one task, and
/// every accumulator sums the nodes in one fixed order, so results are bit-identical for any
/// thread count. Unweighted UniFrac packs the presence of 8 nodes into a byte per sample and
/// adds a precomputed table of branch-length sums indexed by (byte(i) XOR byte(j)), as Striped
/// UniFrac does. Cost: O(n_samples x n_nodes) for the embedding and
/// O(n_samples^2 x n_nodes / 2) for the pairs (divided by 8 for unweighted); memory for the
/// embedding is bounded by kEmbeddingBudgetBytes (nodes are processed in batches).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ecology/distance_matrix.hpp"
#include "io/newick.hpp"
#include "table/feature_table.hpp"

namespace orbiome::ecology {

/// Most bytes the weighted UniFrac kernels hold for one batch of node embeddings (2 x n_samples
/// doubles per node); larger trees are processed in several batches, each re-deriving its
/// slice of the embedding (a cost of n_samples x n_nodes per batch, small next to the pairs).
inline constexpr std::size_t kEmbeddingBudgetBytes = std::size_t{64} << 20;

/// The part of a tree that a table uses, in post-order (children before parents, root last).
/// Only nodes with at least one table feature below them are kept; their branch lengths and
/// parent links are those of the input tree.
struct MatchedTree {
    static constexpr std::uint32_t kNoParent = static_cast<std::uint32_t>(-1);
    std::vector<std::uint32_t> parent;        ///< kNoParent for the root
    std::vector<double> length;               ///< branch length above the node (root: its own)
    std::vector<std::uint32_t> feature_node;  ///< for each table feature, the node of its tip

    std::size_t size() const { return parent.size(); }
};

/// Matches the table's features to the tree's tips by exact label. Throws ParseError (65) at
/// `tree_origin` when a feature is not a tip of the tree (naming up to five such features and
/// how many there are), when a feature's label belongs only to an internal node, or when two
/// tips carry the label of a feature. O(tree size + n_features) expected time.
MatchedTree match_tree(io::Tree const& tree, std::vector<std::string> const& feature_ids,
                       std::string const& tree_origin);

/// Faith's phylogenetic diversity (Faith 1992, doi:10.1016/0006-3207(92)91201-3) of every
/// sample: the total length of the branches joining the sample's features to the root
/// (including the root's own length, as scikit-bio 0.5.8 does). 0 for an empty sample.
/// Parallel over samples; O(sum over samples of the nodes covered).
std::vector<double> faith_pd(table::FeatureTable const& table, MatchedTree const& tree, int n_threads = 1);

/// The UniFrac variants of this header.
enum class UnifracKind { unweighted, weighted, weighted_normalized, generalized };

struct UnifracOptions {
    UnifracKind kind = UnifracKind::unweighted;
    /// Generalized UniFrac's a (0 <= a <= 1 is the documented range; any finite value works).
    double alpha = 0.5;
    int n_threads = 1;
    /// Memory cap for one batch of node embeddings; tests lower it to force many batches.
    std::size_t embedding_budget_bytes = kEmbeddingBudgetBytes;
};

/// Number of distances stripe k holds for n samples: n, except k = n/2 of an even n (whose second
/// half repeats its first), which holds n/2.
std::size_t stripe_length(std::size_t n_samples, std::size_t k);
/// Total distances held by stripes [k_begin, k_end).
std::size_t stripe_values_size(std::size_t n_samples, std::size_t k_begin, std::size_t k_end);

/// UniFrac distances of stripes [k_begin, k_end) only (1 <= k_begin <= k_end <= n/2 + 1), stripe by
/// stripe, entry i of stripe k being the pair (i, (i + k) mod n): a partition of the matrix as
/// Striped UniFrac's `--mode partial --start --stop` computes it. Memory: the embedding batch plus
/// (k_end - k_begin) x n accumulators, so N partitions each need about 1/N of the matrix. The values
/// are bit-identical to those of the whole computation. Throws UsageError for a range outside the
/// stripes.
std::vector<double> unifrac_stripes(table::FeatureTable const& table, MatchedTree const& tree,
                                    UnifracOptions const& options, std::size_t k_begin, std::size_t k_end);

/// Writes stripe values (as `unifrac_stripes` returns them) into `dm`.
void place_stripes(std::span<double const> values, std::size_t k_begin, std::size_t k_end, DistanceMatrix& dm);

/// UniFrac distances between all samples of `table` (ids and order kept). Every sample must
/// have a positive total (callers check with `require_nonempty_samples`, alpha.hpp; an empty
/// sample here is treated as absent everywhere). Deterministic for any n_threads.
DistanceMatrix unifrac(table::FeatureTable const& table, MatchedTree const& tree, UnifracOptions const& options);

}  // namespace orbiome::ecology
