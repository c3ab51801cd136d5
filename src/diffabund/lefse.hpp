#pragma once
/// \file lefse.hpp
/// LEfSe (Segata et al., Genome Biology 12:R60, 2011, doi:10.1186/gb-2011-12-6-r60) as
/// implemented by lefse 1.1.2 (`lefse_run.py`).

#include "diffabund/diff.hpp"

namespace orbiome::diffabund {

/// Runs LEfSe on the design's groups (classes) and optional subclasses. See diff.hpp.
DiffResult run_lefse(table::FeatureTable const& t, Design const& d, LefseOptions const& o, int n_threads);

}  // namespace orbiome::diffabund
