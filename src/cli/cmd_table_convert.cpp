#include "cli/cli.hpp"
#include "core/atomic_output.hpp"
#include "io/table_io.hpp"

namespace orbiome::cli {

int cmd_table_convert(Args const& a) {
    auto app = make_app(a,
                        "Convert a feature table between formats. IN is sniffed from its content (TSV, R "
                        "write.table, GeneLab, MetaPhlAn merged, BIOM 1.0 JSON, BIOM 2.1 HDF5); OUT's format comes "
                        "from its extension (.tsv/.txt, .biom/.h5, .json) unless --to is given.");
    std::string in, out, taxonomy, to;
    app->add_option("IN", in, "Input table")->required();
    app->add_option("OUT", out, "Output table")->required();
    app->add_option("--taxonomy", taxonomy, "Taxonomy TSV joined by feature id (rank columns or a lineage column)");
    app->add_option("--to", to, "Output format: tsv, biom-json or biom-hdf5");
    if (!parse(*app, a)) return 0;

    io::TableFormat const format = to.empty() ? io::format_from_extension(out) : io::parse_format_name(to);
    require_readable(in);
    if (!taxonomy.empty()) require_readable(taxonomy);
    auto const table = io::read_table(in, io::TableReadOptions{taxonomy});
    io::write_table(table, out, format, io::TableWriteOptions{output_header(a)});
    return 0;
}

}  // namespace orbiome::cli
