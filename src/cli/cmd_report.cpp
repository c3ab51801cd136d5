#include "cli/cli.hpp"

namespace orbiome::cli {

int cmd_report(Args const& a) { not_built(a, "#6"); }

}  // namespace orbiome::cli
