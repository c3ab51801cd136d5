#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_table_relabund(Args const& a) { not_built(a, "#2"); }

}  // namespace orbiome::cli
