#include "diffabund/linda.hpp"

#include "core/error.hpp"

namespace orbiome::diffabund {

DiffResult run_linda(table::FeatureTable const&, Design const&, LindaOptions const&, int) {
    throw Error(Errc::unavailable, {}, "--method linda is not built yet (issue #5)");
}

}  // namespace orbiome::diffabund
