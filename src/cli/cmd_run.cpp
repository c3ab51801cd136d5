#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_run(Args const& a) { not_built(a, "#6"); }

}  // namespace orbiome::cli
