#include "cli/cli.hpp"

namespace orbiome::cli {

namespace {
constexpr Command kTableCommands[] = {
    {"convert", "Convert between TSV, BIOM 1.0 JSON and BIOM 2.1 HDF5", &cmd_table_convert},
    {"merge", "Merge per-sample profiles into one table", &cmd_table_merge},
    {"filter", "Keep features by count, prevalence or total", &cmd_table_filter},
    {"rarefy", "Subsample every sample to the same depth (seeded)", &cmd_table_rarefy},
    {"collapse", "Sum features to a taxonomic rank", &cmd_table_collapse},
    {"relabund", "Scale each sample to relative abundance", &cmd_table_relabund},
};
}  // namespace

int cmd_table(Args const& a) { return dispatch(a, kTableCommands); }

}  // namespace orbiome::cli
