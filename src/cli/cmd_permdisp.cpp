#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_permdisp(Args const& a) { not_built(a, "#3"); }

}  // namespace orbiome::cli
