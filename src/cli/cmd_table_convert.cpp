#include "cli/cli.hpp"
#include "core/atomic_output.hpp"
#include "cli/options.hpp"
#include "io/inputs.hpp"
#include "io/table_io.hpp"

namespace orbiome::cli {

int cmd_table_convert(Args const& a) {
    auto app = make_app(a,
                        "Convert a feature table between formats. IN is sniffed from its content (TSV, R "
                        "write.table, GeneLab, MetaPhlAn merged, HUMAnN, BIOM 1.0 JSON, BIOM 2.1 HDF5); OUT's "
                        "format comes from its extension (.tsv/.txt, .biom/.h5, .json) unless --to is given. A table "
                        "with samples as rows is transposed only when said (--samples-as-rows, --transpose) or "
                        "unambiguous (lineages as column names; --metadata ids on the rows), and a note says so.");
    std::string in, out, taxonomy, to, metadata, id_column;
    bool transpose = false;
    TableReadFlags flags;
    app->add_option("IN", in, "Input table")->required();
    app->add_option("OUT", out, "Output table")->required();
    app->add_option("--taxonomy", taxonomy, "Taxonomy TSV joined by feature id (rank columns or a lineage column)");
    app->add_option("--to", to, "Output format: tsv, biom-json or biom-hdf5");
    flags.add(*app);
    app->add_flag("--transpose", transpose, "IN's rows are samples: swap its axes (same as --samples-as-rows)")
        ->excludes("--features-as-rows");
    app->add_option("--metadata", metadata, "Sample metadata whose ids tell which axis of IN holds the samples");
    app->add_option("--id-column", id_column, "Metadata column holding the sample ids (default: found)")
        ->needs("--metadata");
    if (!parse(*app, a)) return 0;

    io::TableFormat const format = to.empty() ? io::format_from_extension(out) : io::parse_format_name(to);
    require_readable(in);
    if (!taxonomy.empty()) require_readable(taxonomy);
    auto options = flags.options(taxonomy);
    if (transpose) options.orientation = io::Orientation::samples_as_rows;
    table::FeatureTable table;
    if (metadata.empty()) {
        table = read_table_noting(in, options);
    } else {
        require_readable(metadata);
        auto both = io::read_table_and_metadata(in, options, metadata, io::MetadataOptions{id_column, {}});
        if (!both.report.orientation_note.empty()) std::cerr << "note: " << both.report.orientation_note << '\n';
        io::join_metadata(both.table.sample_ids(), in, both.metadata);  // every sample named there
        table = std::move(both.table);
    }
    io::write_table(table, out, format, io::TableWriteOptions{output_header(a)});
    return 0;
}

}  // namespace orbiome::cli
