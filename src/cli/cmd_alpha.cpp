#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_alpha(Args const& a) { not_built(a, "#3"); }

}  // namespace orbiome::cli
