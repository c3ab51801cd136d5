// The layouts of real tables in ../shared/data (issue #17, #19): HUMAnN stratified tables and
// the metabolome studies' genus tables (samples as rows, GTDB lineages as column names) with
// their metadata (sample id in the second column). Totals computed with awk:
//   awk -F'\t' 'NR>1 && $1 !~ /\|/ {c+=$2; n++} NR>1 && $1 ~ /\|/ {s+=$2; m++} END{...}' (HUMAnN)
//   awk -F'\t' 'NR>1{for(i=2;i<=NF;i++) t+=$i} END{print t, NR-1}' genera.counts.tsv
#include <filesystem>

#include <gtest/gtest.h>

#include "io/inputs.hpp"
#include "support/paths.hpp"
#include "table/ops.hpp"

using namespace orbiome;
using orbiome::testing::shared_data;

namespace {

double grand_total(table::FeatureTable const& t) {
    double sum = 0;
    for (std::size_t s = 0; s < t.n_samples(); ++s) sum += t.sample_total(s);
    return sum;
}

}  // namespace

TEST(SharedHumann, DemoGeneFamiliesCommunityOrStrataNeverBoth) {
    ORBIOME_SHARED_OR_SKIP("functional/humann_demo/demo_genefamilies.tsv");
    auto const path = shared_data("functional/humann_demo/demo_genefamilies.tsv");
    EXPECT_EQ(io::sniff_table_format(path), io::TableFormat::humann);
    auto const community = io::read_table(path);
    EXPECT_EQ(community.n_features(), 1413u);
    EXPECT_NEAR(grand_total(community), 2412.9266504679, 1e-7);
    io::TableReadOptions o;
    o.humann_rows = io::HumannRows::stratified;
    auto const strata = io::read_table(path, o);
    EXPECT_EQ(strata.n_features(), 1513u);
    EXPECT_NEAR(grand_total(strata), 2312.9266504685, 1e-7);  // the community minus UNMAPPED (100)
}

TEST(SharedHumann, GeneLabPathwayTable) {
    ORBIOME_SHARED_OR_SKIP("formats/genelab/GLDS-286_metagenomics_example/GLDS-286-pathway-abundances-cpm.tsv");
    auto const t =
        io::read_table(shared_data("formats/genelab/GLDS-286_metagenomics_example/GLDS-286-pathway-abundances-cpm.tsv"));
    EXPECT_EQ(t.n_features(), 345u);
    EXPECT_EQ(t.n_samples(), 2u);
    EXPECT_NEAR(grand_total(t), 2000000.163878, 1e-5);
}

TEST(SharedMetabolome, GenusTablesWithSamplesAsRowsAndSecondColumnIds) {
    struct Case {
        char const* dir;
        std::size_t samples;
        double total;
    };
    for (Case const c : {Case{"tables/metabolome_KANG_AUTISM_2017", 44, 825105},
                         Case{"tables/metabolome_POYET_BIO_ML_2019", 164, 5299002}}) {
        ORBIOME_SHARED_OR_SKIP(std::string(c.dir) + "/genera.counts.tsv");
        std::string const dir = shared_data(c.dir);
        auto const both = io::read_table_and_metadata(dir + "/genera.counts.tsv", {}, dir + "/metadata.tsv", {});
        EXPECT_TRUE(both.report.transposed) << c.dir;
        EXPECT_EQ(both.table.n_samples(), c.samples) << c.dir;
        EXPECT_EQ(grand_total(both.table), c.total) << c.dir;
        EXPECT_EQ(both.metadata.id_column, "Sample") << c.dir;
        EXPECT_EQ(io::join_metadata(both.table.sample_ids(), dir, both.metadata).row_of_sample.size(), c.samples);
        ASSERT_TRUE(both.table.has_lineages()) << c.dir;
        auto const phyla = table::collapse(both.table, taxonomy::Rank::phylum);
        EXPECT_LT(phyla.n_features(), both.table.n_features()) << c.dir;
        EXPECT_EQ(grand_total(phyla), c.total) << c.dir;
    }
}
