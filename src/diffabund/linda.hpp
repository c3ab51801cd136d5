#pragma once
/// \file linda.hpp
/// LinDA: linear models for differential abundance analysis of microbiome compositional data
/// (Zhou, He, Chen & Zhang, Genome Biology 23:95, 2022, doi:10.1186/s13059-022-02655-5).

#include "diffabund/diff.hpp"

namespace orbiome::diffabund {

/// Runs LinDA on the design (group + covariates). See diff.hpp.
DiffResult run_linda(table::FeatureTable const& t, Design const& d, LindaOptions const& o, int n_threads);

}  // namespace orbiome::diffabund
