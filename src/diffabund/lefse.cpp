#include "diffabund/lefse.hpp"

#include "core/error.hpp"

namespace orbiome::diffabund {

DiffResult run_lefse(table::FeatureTable const&, Design const&, LefseOptions const&, int) {
    throw Error(Errc::unavailable, {}, "--method lefse is not built yet (issue #5)");
}

}  // namespace orbiome::diffabund
