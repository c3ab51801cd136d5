#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_demo(Args const& a) { not_built(a, "#6"); }

}  // namespace orbiome::cli
