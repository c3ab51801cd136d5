#pragma once
/// \file minpath_ilp.hpp
/// MinPath's integer program on a GLPK problem object, built through GLPK's API exactly as
/// `glp_read_mps` leaves the MPS text that MinPath 1.2 writes (docs/function.md, "MinPath").
/// Split from pathways.hpp so that tests can compare the problem with GLPK's reading of that text.

#include <cstddef>
#include <vector>

struct glp_prob;

namespace orbiome::function {

struct MinPathMap;

/// Fills the empty problem `P`: one row (>= 1) per observed family in the given order (MinPath's
/// ROWS), one binary column (objective 1) per map pathway holding an observed family, in map
/// order (MinPath's COLUMNS), and the matrix in GLPK's sorted list order. `observed` holds
/// distinct map family indices, each in at least one pathway. Returns column (0-based) -> map
/// pathway index.
std::vector<std::size_t> pose_minpath_ilp(glp_prob* P, std::vector<std::size_t> const& observed, MinPathMap const& m);

/// Solves `P` with the steps of `glpsol FILE -o OUT` (scale GLP_SF_AUTO, advanced initial basis,
/// primal simplex, branch and bound with default controls); returns the 0-based columns at 1.
std::vector<std::size_t> solve_minpath_ilp(glp_prob* P);

}  // namespace orbiome::function
