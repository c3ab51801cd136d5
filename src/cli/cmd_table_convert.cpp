#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_table_convert(Args const& a) { not_built(a, "#2"); }

}  // namespace orbiome::cli
