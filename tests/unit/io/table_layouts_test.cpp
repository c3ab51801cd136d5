// The layouts users' tables come in (issue #17, #19): HUMAnN stratified tables, samples as rows,
// lineage-shaped feature ids, and the metadata id column. Inputs are real excerpts
// (tests/data/tables/README.md, tests/data/metadata/README.md); expected sums were computed with
// awk on the same files (the commands are in the comments).
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/inputs.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"
#include "table/ops.hpp"

using namespace orbiome;
using orbiome::testing::test_data;

namespace {

std::string write(orbiome::testing::TempDir const& dir, std::string const& name, std::string const& text) {
    std::string const path = dir.file(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

template <class E, class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (E const& e) {
        return e.what();
    }
    return "no error of the expected type";
}

double total(table::FeatureTable const& t, std::size_t s) { return t.sample_total(s); }

std::string const kHumann = "tables/humann_multi_sample_genefamilies.tsv";

}  // namespace

TEST(HumannTable, SniffedAndReadAsCommunityRowsNotDoubled) {
    auto const path = test_data(kHumann);
    EXPECT_EQ(io::sniff_table_format(path), io::TableFormat::humann);
    auto const t = io::read_table(path);
    // awk: 25 rows without '|', summing 94.6578427425 (sample1) and 95.2152532216 (sample2);
    // plain TSV reading gave 50 features and twice these totals.
    EXPECT_EQ(t.n_features(), 25u);
    EXPECT_EQ(t.sample_ids(), (std::vector<std::string>{"sample1", "sample2"}));
    EXPECT_NEAR(total(t, 0), 94.6578427425, 1e-9);
    EXPECT_NEAR(total(t, 1), 95.2152532216, 1e-9);
    EXPECT_FALSE(t.has_lineages());
    EXPECT_NE(t.feature_index("UniRef50_A3DKL1"), table::FeatureTable::npos);
}

TEST(HumannTable, StratifiedRowsCarryTheirTaxonAsLineage) {
    io::TableReadOptions o;
    o.humann_rows = io::HumannRows::stratified;
    auto const t = io::read_table(test_data(kHumann), o);
    EXPECT_EQ(t.n_features(), 25u);
    EXPECT_NEAR(total(t, 0), 94.6578427425, 1e-9);
    auto const f = t.feature_index("UniRef50_A3DKL1|g__Dialister.s__Dialister_invisus");
    ASSERT_NE(f, table::FeatureTable::npos);
    EXPECT_EQ(t.lineages()[f], "g__Dialister;s__Dialister_invisus");
    EXPECT_EQ(t.lineages()[t.feature_index("UniRef50_I0Q078|unclassified")], "");
    // awk -F'\t' '$1~/\|/{split($1,a,"|");split(a[2],b,".s__");g[b[1]]+=$2}': per-genus sums.
    auto const genus = table::collapse(t, taxonomy::Rank::genus);
    EXPECT_NEAR(genus.get(genus.feature_index("g__Bacteroides"), 0), 44.6418528685, 1e-9);
    EXPECT_NEAR(genus.get(genus.feature_index("g__Parabacteroides"), 0), 22.9346978298, 1e-9);
    EXPECT_NEAR(genus.get(genus.feature_index("unassigned"), 0), 10.7528844495, 1e-9);
}

TEST(HumannTable, SpeciesNamesWithDotsAndPathwayTotals) {
    orbiome::testing::TempDir dir;
    auto const p = write(dir, "path.tsv",
                         "# Pathway\tS1\n"
                         "UNMAPPED\t10\n"
                         "UNINTEGRATED\t5\n"
                         "UNINTEGRATED|g__Bacteroides.s__Bacteroides_sp._D2\t3\n"
                         "UNINTEGRATED|unclassified\t2\n"
                         "PWY-1: x\t4\n"
                         "PWY-1: x|g__Bacteroides.s__Bacteroides_sp._D2\t4\n");
    auto const t = io::read_table(p);
    EXPECT_EQ(t.feature_ids(), (std::vector<std::string>{"UNMAPPED", "UNINTEGRATED", "PWY-1: x"}));
    EXPECT_EQ(total(t, 0), 19.0);
    io::TableReadOptions o;
    o.humann_rows = io::HumannRows::stratified;
    auto const s = io::read_table(p, o);
    EXPECT_EQ(s.n_features(), 3u);
    EXPECT_EQ(s.lineages()[0], "g__Bacteroides;s__Bacteroides_sp._D2");
}

TEST(HumannTable, MalformedStratumAndMissingCommunityRowNameTheLine) {
    orbiome::testing::TempDir dir;
    auto const bad = write(dir, "bad.tsv", "# Gene Family\tS1\nUniRef90_A\t2\nUniRef90_A|\t2\n");
    EXPECT_EQ(error_of<ParseError>([&] { io::read_table(bad); }),
              bad + ":3: malformed HUMAnN stratified row 'UniRef90_A|'");
    auto const two = write(dir, "two.tsv", "# Gene Family\tS1\nUniRef90_A\t2\nUniRef90_A|g__X|s__Y\t2\n");
    EXPECT_EQ(error_of<ParseError>([&] { io::read_table(two); }),
              two + ":3: malformed HUMAnN stratified row 'UniRef90_A|g__X|s__Y'");
    auto const orphan = write(dir, "orphan.tsv", "# Gene Family\tS1\nUniRef90_A|g__X.s__X_y\t2\n");
    EXPECT_EQ(error_of<ParseError>([&] { io::read_table(orphan); }),
              orphan + ":2: stratified row 'UniRef90_A|g__X.s__X_y' has no community row 'UniRef90_A'");
    io::TableReadOptions o;
    o.humann_rows = io::HumannRows::stratified;
    EXPECT_EQ(io::read_table(orphan, o).n_features(), 1u);  // humann_split_stratified_table's _stratified file
}

TEST(SamplesAsRows, LineageColumnNamesAreSniffedAndTakenAsLineages) {
    auto const path = test_data("tables/kang_genera_counts_head6.tsv");
    io::TableReadReport report;
    auto const t = io::read_table(path, {}, report);
    EXPECT_TRUE(report.transposed);
    EXPECT_NE(report.orientation_note.find("its column names are lineages (8 of 9)"), std::string::npos)
        << report.orientation_note;
    EXPECT_EQ(t.sample_ids(), (std::vector<std::string>{"N01", "N02", "N03", "N04", "N05", "N06"}));
    EXPECT_EQ(t.n_features(), 9u);
    ASSERT_TRUE(t.has_lineages());
    EXPECT_TRUE(report.lineages_from_ids);
    EXPECT_EQ(t.lineages()[t.feature_index("Unclassified")], "");
    // awk 'NR==3{s=0;for(i=2;i<=NF;i++)s+=$i;print s}': N02's row sums to 435.
    EXPECT_EQ(t.sample_total(1), 435.0);
    auto const genus = table::collapse(t, taxonomy::Rank::genus);
    EXPECT_EQ(genus.get(genus.feature_index("d__Bacteria;p__Actinobacteriota;c__Actinomycetia;o__Actinomycetales;"
                                            "f__Bifidobacteriaceae;g__Bifidobacterium"),
                        1),
              379.0);
    // Said explicitly, the file's own layout is kept.
    io::TableReadOptions asis;
    asis.orientation = io::Orientation::features_as_rows;
    EXPECT_EQ(io::read_table(path, asis).n_samples(), 9u);
}

TEST(SamplesAsRows, ExplicitOptionAndMetadataIds) {
    orbiome::testing::TempDir dir;
    auto const p = write(dir, "t.tsv", "id\tOTU1\tOTU2\nS1\t1\t0\nS2\t3\t4\n");
    auto const plain = io::read_table(p);
    EXPECT_EQ(plain.sample_ids(), (std::vector<std::string>{"OTU1", "OTU2"}));  // nothing says otherwise
    io::TableReadOptions o;
    o.orientation = io::Orientation::samples_as_rows;
    auto const t = io::read_table(p, o);
    EXPECT_EQ(t.sample_ids(), (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(t.get(t.feature_index("OTU2"), 1), 4.0);
    io::TableReadOptions by_md;
    by_md.sample_ids = {"S2", "S1", "S3"};
    EXPECT_EQ(io::read_table(p, by_md), t);
    // A lineage column means rows are features.
    auto const lin = write(dir, "l.tsv", "id\tS1\ttaxonomy\nOTU1\t1\tk__B;p__F\n");
    EXPECT_NE(error_of<UsageError>([&] { io::read_table(lin, o); }).find("lineage column"), std::string::npos);
}

TEST(LineageIds, GtdbAndMetaphlanShapedIdsBecomeLineages) {
    EXPECT_TRUE(io::is_lineage_shaped("d__Bacteria;p__Firmicutes;g__"));
    EXPECT_TRUE(io::is_lineage_shaped("k__Bacteria|p__Firmicutes"));
    EXPECT_TRUE(io::is_lineage_shaped("D_0__Bacteria;D_1__Firmicutes"));
    EXPECT_FALSE(io::is_lineage_shaped("g__Dorea"));
    EXPECT_FALSE(io::is_lineage_shaped("Bacteria;Firmicutes"));
    EXPECT_FALSE(io::is_lineage_shaped("UniRef90_A|g__X.s__Y"));
    orbiome::testing::TempDir dir;
    auto const p = write(dir, "t.tsv", "#OTU ID\tS1\tS2\nk__B; p__F; g__X\t1\t2\nk__B; p__F; g__Y\t3\t4\n");
    auto const t = io::read_table(p);
    EXPECT_EQ(t.lineages(), (std::vector<std::string>{"k__B;p__F;g__X", "k__B;p__F;g__Y"}));
    auto const phylum = table::collapse(t, taxonomy::Rank::phylum);
    EXPECT_EQ(phylum.n_features(), 1u);
    EXPECT_EQ(phylum.sample_total(1), 6.0);
}

TEST(MetadataIdColumn, QiimeNamesAnywhereMatchingValuesOrExplicit) {
    orbiome::testing::TempDir dir;
    auto const named = write(dir, "n.tsv", "group\tSample-ID\nA\tS1\nB\tS2\n");
    auto const md = io::read_metadata(named);
    EXPECT_EQ(md.sample_ids, (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(md.columns, (std::vector<std::string>{"group"}));
    EXPECT_EQ(md.id_column, "Sample-ID");

    // KANG: `Dataset` first, `Sample` and `Subject` identical: the matching column, Sample.
    auto const kang = test_data("metadata/kang_metadata_head6.tsv");
    auto const k = io::read_metadata(kang, {"", {"N01", "N02", "N03"}});
    EXPECT_EQ(k.id_column, "Sample");
    EXPECT_EQ(k.sample_ids.front(), "N01");
    EXPECT_NE(k.column_index("Subject"), io::Metadata::npos);
    EXPECT_NE(k.column_index("Dataset"), io::Metadata::npos);
    EXPECT_EQ(io::read_metadata(kang, {"subject", {}}).id_column, "Subject");
    EXPECT_EQ(error_of<UsageError>([&] { io::read_metadata(kang, {"SampleName", {}}); }),
              kang + ": no metadata column 'SampleName' to take sample ids from");

    auto const two = write(dir, "two.tsv", "a\tb\tc\nS1\tS2\tx\nS2\tS1\ty\n");
    EXPECT_EQ(error_of<ParseError>([&] { io::read_metadata(two, {"", {"S1", "S2"}}); }),
              two + ": cannot tell the sample-id column: 'a' and 'b' each hold 2 of the table's ids");
    EXPECT_EQ(io::read_metadata(two, {"b", {"S1", "S2"}}).sample_ids, (std::vector<std::string>{"S2", "S1"}));

    // R write.table with row.names = TRUE on a data frame without ids: row names 1..n, the ids
    // in a named column.
    auto const r = write(dir, "r.txt", "\"sample\"\t\"age\"\n\"1\"\t\"S1\"\t30\n\"2\"\t\"S2\"\t40\n");
    auto const rm = io::read_metadata(r, {"", {"S2", "S1"}});
    EXPECT_EQ(rm.id_column, "sample");
    EXPECT_EQ(rm.columns, (std::vector<std::string>{"row.names", "age"}));
}

TEST(TableAndMetadata, MetadataIdsTellTheAxisAndColumn) {
    orbiome::testing::TempDir dir;
    auto const t = write(dir, "t.tsv", "Sample\tOTU1\tOTU2\nN01\t1\t0\nN02\t3\t4\n");
    auto const both = io::read_table_and_metadata(t, {}, test_data("metadata/kang_metadata_head6.tsv"), {});
    EXPECT_TRUE(both.report.transposed);
    EXPECT_EQ(both.table.sample_ids(), (std::vector<std::string>{"N01", "N02"}));
    EXPECT_EQ(both.metadata.id_column, "Sample");
    EXPECT_EQ(io::join_metadata(both.table.sample_ids(), t, both.metadata).row_of_sample,
              (std::vector<std::size_t>{0, 1}));
}
