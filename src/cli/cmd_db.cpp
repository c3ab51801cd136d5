#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_db(Args const& a) { not_built(a, "#4"); }

}  // namespace orbiome::cli
