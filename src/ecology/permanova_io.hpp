#pragma once
/// \file permanova_io.hpp
/// The one writer of PERMANOVA tables, for `orbiome permanova` and the study runner alike, so
/// the two cannot disagree (they did: `NA` against an empty cell). Columns: any leading columns
/// the caller names (the runner's `comparison`, `metric`), then term, df, sum_sq, r2, F,
/// p_value (SPEC). A value that does not exist (F and p of the Residual and Total rows, p with
/// 0 permutations) is written `NA`, as R's adonis2 prints it; numbers in shortest round-trip form.

#include <ostream>
#include <string>
#include <vector>

#include "ecology/permanova.hpp"

namespace orbiome::ecology {

/// Header line: `leading` columns, then term, df, sum_sq, r2, F, p_value.
void write_permanova_header(std::ostream& out, std::vector<std::string> const& leading = {});
/// One line per row of `r`, each starting with the `leading` values.
void write_permanova_rows(std::ostream& out, PermanovaResult const& r, std::vector<std::string> const& leading = {});

}  // namespace orbiome::ecology
