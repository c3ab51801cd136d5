#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_diff(Args const& a) { not_built(a, "#5"); }

}  // namespace orbiome::cli
