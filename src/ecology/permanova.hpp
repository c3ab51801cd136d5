#pragma once
/// \file permanova.hpp
/// PERMANOVA with several terms (Anderson 2001, doi:10.1111/j.1442-9993.2001.01070.pp.x) in the
/// linear-model form of McArdle & Anderson (2001, doi:10.1890/0012-9658(2001)082[0290:FMMTCD]2.0.CO;2),
/// with the table and permutation scheme of vegan 2.6-4's `adonis2`:
///  * G is Gower's centred matrix of the squared distances (design.hpp); the design is the
///    column-centred model matrix (formula.hpp); SS(model) = trace(H G) with H its hat matrix.
///  * `by = terms` (vegan's default): sequential SS, each term after the ones before it;
///    `by = margin`: each term after all others, for the terms vegan's `drop.scope` allows (not
///    contained in a higher-order term, so `A*B` reports only `A:B`); `by = none`: one row
///    `Model` for the whole model. Residual and Total rows close the table as in adonis2.
///  * F = (SS_term/df_term) / (SS_residual/df_residual), R2 = SS/SS_total.
///  * Permutations permute the observations, i.e. rows and columns of G together (vegan's
///    "reduced" model, which without conditioning terms is the raw data), freely or within
///    strata blocks; permutation i draws from Rng::stream(seed, i), so results are identical
///    for any thread count. p = (#{F* >= F - kTieTolerance} + 1) / (permutations + 1).
///
/// Speed: with H = Q Q' (Q the n x p orthonormal basis of the centred design, see
/// orthonormal_basis), SS under permutation pi is trace(Q' G[pi,pi] Q) = sum_c q_c^pi' G q_c^pi,
/// where q^pi is q with its rows scattered by pi. So G is never permuted or copied: each
/// permutation costs p quadratic forms of G (n^2 p / 2 multiply-adds), evaluated for a batch of
/// permutations at once by the float32 SIMD kernel of quadratic_forms.hpp. Its error bound
/// tells when a permuted F might lie on the other side of F - kTieTolerance; only those
/// permutations (exact ties, such as within-group swaps, and near-ties) are recomputed in
/// double, so every p-value is exactly what double precision gives. Sequential SS come from the
/// same p columns (the basis is built term by term); margins add one reduced basis per term.
/// For n = 1000, 3 groups (p = 2), 999 permutations: ~20 ms on one core (bench/COMMUNITY.md).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "ecology/distance_matrix.hpp"
#include "ecology/formula.hpp"
#include "io/metadata.hpp"

namespace orbiome::ecology {

enum class PermanovaBy { terms, margin, none };

/// Parses "terms" | "margin" | "none"; UsageError otherwise.
PermanovaBy parse_permanova_by(std::string const& s);

struct PermanovaOptions {
    PermanovaBy by = PermanovaBy::terms;
    std::size_t permutations = 999;
    std::uint64_t seed = 0;
    int threads = 1;
    std::vector<std::size_t> strata;  ///< block per sample; empty = free permutation
};

/// One row of the table. `f` and `p_value` are NaN on Residual and Total rows (and `p_value`
/// when permutations = 0).
struct PermanovaRow {
    std::string term;
    std::size_t df = 0;
    double sum_sq = 0, r2 = 0, f = 0, p_value = 0;
};

struct PermanovaResult {
    std::vector<PermanovaRow> rows;  ///< terms (or Model), Residual, Total
    std::size_t n_samples = 0;
    std::size_t permutations = 0;
};

/// PERMANOVA of Gower matrix `g` on `design`. Terms entirely aliased with earlier ones are left
/// out of the table (as vegan does). Throws ParseError if the model leaves no residual degrees
/// of freedom or has rank 0, UsageError if `strata` has the wrong length.
/// O(n^2 p) for the fit plus O(n^2 p) per permutation, spread over `threads`.
PermanovaResult permanova(Eigen::MatrixXd const& g, ModelMatrix const& design, PermanovaOptions const& options);

/// The whole command: joins the matrix's samples (read from `dm_origin`) to `md` (error if one
/// is missing), builds the model of `formula`, takes strata from column `strata_column` when not
/// empty (missing values are an error), and runs PERMANOVA. Errors as in build_model_matrix.
PermanovaResult permanova(DistanceMatrix const& dm, std::string const& dm_origin, io::Metadata const& md,
                          std::string const& formula, std::string const& strata_column, PermanovaOptions options);

}  // namespace orbiome::ecology
