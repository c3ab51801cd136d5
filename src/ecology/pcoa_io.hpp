#pragma once
/// \file pcoa_io.hpp
/// The two files of a PCoA: coordinates (`sample_id`, `PC1..PCk`) and, beside them, the
/// eigenvalues (`axis`, `eigenvalue`, `proportion_explained`; a `#` line states how many
/// negative eigenvalues were set to 0, as scikit-bio does).

#include <string>

#include "ecology/pcoa.hpp"

namespace orbiome::ecology {

/// "pcoa.tsv" -> "pcoa.eigenvalues.tsv"; a name without ".tsv" gains the suffix.
std::string pcoa_eigenvalues_path(std::string const& coordinates_path);

/// Writes both files atomically, each starting with `header_line`. Throws IoError (74).
void write_pcoa(PcoaResult const& res, std::string const& coordinates_path, std::string const& header_line);

}  // namespace orbiome::ecology
