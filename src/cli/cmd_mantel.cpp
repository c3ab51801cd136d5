#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_mantel(Args const& a) { not_built(a, "#3"); }

}  // namespace orbiome::cli
