// Readers of every text and BIOM format on small real excerpts (tests/data/tables/README.md).
// Expected numbers were computed independently with awk / Python on the same files.
#include <numeric>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::test_data;

namespace {

double grand_total(table::FeatureTable const& t) {
    double sum = 0;
    for (std::size_t s = 0; s < t.n_samples(); ++s) sum += t.sample_total(s);
    return sum;
}

double cell(table::FeatureTable const& t, std::string const& f, std::string const& s) {
    auto const fi = t.feature_index(f);
    auto const si = t.sample_index(s);
    EXPECT_NE(fi, table::FeatureTable::npos) << f;
    EXPECT_NE(si, table::FeatureTable::npos) << s;
    return t.get(fi, si);
}

std::string lineage_of(table::FeatureTable const& t, std::string const& f) {
    return t.lineages().at(t.feature_index(f));
}

}  // namespace

TEST(TableSniff, RecognisesEveryFormat) {
    EXPECT_EQ(io::sniff_table_format(test_data("tables/rr5_fecal_otu_head20.txt")), io::TableFormat::r_table);
    EXPECT_EQ(io::sniff_table_format(test_data("tables/qiime191tt_otu_table.tsv")), io::TableFormat::tsv);
    EXPECT_EQ(io::sniff_table_format(test_data("tables/glds72_taxonomy_and_counts_head10.tsv")),
              io::TableFormat::genelab);
    EXPECT_EQ(io::sniff_table_format(test_data("tables/glds286_metaphlan_taxonomy.tsv")), io::TableFormat::metaphlan);
    EXPECT_EQ(io::sniff_table_format(test_data("tables/metaphlan2_merged_head.txt")), io::TableFormat::metaphlan);
    EXPECT_EQ(io::sniff_table_format(test_data("tables/min_sparse_otu_table.biom")), io::TableFormat::biom_json);
    EXPECT_EQ(io::sniff_table_format(test_data("tables/rich_sparse_otu_table_hdf5.biom")), io::TableFormat::biom_hdf5);
}

TEST(TableFormatNames, ExtensionsAndFlags) {
    EXPECT_EQ(io::format_from_extension("out/x.tsv"), io::TableFormat::tsv);
    EXPECT_EQ(io::format_from_extension("x.TXT"), io::TableFormat::tsv);
    EXPECT_EQ(io::format_from_extension("x.biom"), io::TableFormat::biom_hdf5);
    EXPECT_EQ(io::format_from_extension("x.h5"), io::TableFormat::biom_hdf5);
    EXPECT_EQ(io::format_from_extension("x.json"), io::TableFormat::biom_json);
    EXPECT_THROW(io::format_from_extension("dir.v1/table"), UsageError);
    EXPECT_EQ(io::parse_format_name("biom-json"), io::TableFormat::biom_json);
    EXPECT_EQ(io::parse_format_name("biom-hdf5"), io::TableFormat::biom_hdf5);
    EXPECT_EQ(io::parse_format_name("tsv"), io::TableFormat::tsv);
    try {
        io::parse_format_name("csv");
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_STREQ(e.what(), "unknown table format 'csv'");
    }
}

TEST(TableRead, RTableWithTaxTable) {
    // awk on rr5_fecal_otu_head20.txt: 140 samples, 20 features, total 329417, first sample
    // column 1037, last 4649; seq97 = 13, 16, ..., 50; seq72 first 132, last 31.
    auto const t = io::read_table(test_data("tables/rr5_fecal_otu_head20.txt"),
                                  {test_data("tables/rr5_fecal_tax_head20.txt")});
    ASSERT_EQ(t.n_samples(), 140u);
    ASSERT_EQ(t.n_features(), 20u);
    EXPECT_EQ(t.sample_ids().front(), "X204.014D.final");
    EXPECT_EQ(t.sample_ids().back(), "X217.7D73.final");
    EXPECT_EQ(t.feature_ids().front(), "seq97");
    EXPECT_EQ(t.feature_ids().back(), "seq72");
    EXPECT_EQ(grand_total(t), 329417.0);
    EXPECT_EQ(t.sample_total(0), 1037.0);
    EXPECT_EQ(t.sample_total(139), 4649.0);
    EXPECT_EQ(cell(t, "seq97", "X204.014D.final"), 13.0);
    EXPECT_EQ(cell(t, "seq97", "X204.014D.pre"), 16.0);
    EXPECT_EQ(cell(t, "seq97", "X217.7D73.final"), 50.0);
    EXPECT_EQ(cell(t, "seq72", "X204.014D.final"), 132.0);
    ASSERT_TRUE(t.has_lineages());
    EXPECT_EQ(lineage_of(t, "seq97"),
              "Bacteria;Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Hungatella;Hungatella hathewayi VE202-11");
    EXPECT_EQ(lineage_of(t, "seq72"),
              "Bacteria;Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Lachnospiraceae NK4A136 group;"
              "Lachnospiraceae bacterium DW17");
}

TEST(TableRead, RTableWithoutTaxonomyHasNoLineages) {
    auto const t = io::read_table(test_data("tables/rr5_fecal_otu_head20.txt"));
    EXPECT_FALSE(t.has_lineages());
    EXPECT_EQ(grand_total(t), 329417.0);
}

TEST(TableRead, BiomClassicTsvWithCommentHeader) {
    // qiime191tt_otu_table.tsv: "# Constructed from biom file" then "#OTU ID" header, 8 samples.
    auto const t = io::read_table(test_data("tables/qiime191tt_otu_table.tsv"));
    ASSERT_EQ(t.n_samples(), 8u);
    ASSERT_EQ(t.n_features(), 10u);
    EXPECT_EQ(t.sample_ids(), (std::vector<std::string>{"f2", "f1", "f3", "f4", "p2", "p1", "t1", "t2"}));
    EXPECT_EQ(t.feature_ids()[0], "295053");
    EXPECT_EQ(cell(t, "295053", "f4"), 22.0);
    EXPECT_EQ(cell(t, "None9", "t1"), 19.0);
    EXPECT_EQ(cell(t, "879972", "p1"), 20.0);
    EXPECT_EQ(grand_total(t), 176.0);  // awk: sum of all count cells
    EXPECT_FALSE(t.has_lineages());
}

TEST(TableRead, DecimalCountsLikeDada2) {
    auto const t = io::read_table(test_data("tables/dada2_single_default_head4.tsv"));
    ASSERT_EQ(t.n_samples(), 16u);
    ASSERT_EQ(t.n_features(), 4u);
    EXPECT_EQ(cell(t, "b32621bcd86cb99e846d8f6fee7c9ab8", "L1S57"), 60.0);
    EXPECT_EQ(cell(t, "a16679d5a10caa9753f171977552d920", "L4S63"), 58.0);
    EXPECT_EQ(cell(t, "99647b51f775c8ddde8ed36a7d60dbcd", "L6S68"), 4.0);
    EXPECT_TRUE(t.all_integral());
}

TEST(TableRead, GeneLabTaxonomyAndCounts) {
    // Python on glds72_taxonomy_and_counts_head10.tsv: 50 samples, 10 OTUs, total 69939,
    // OTU_1 row sum 66747, OTU_10 row sum 3000; OTU_1006 has NA at every rank.
    auto const t = io::read_table(test_data("tables/glds72_taxonomy_and_counts_head10.tsv"));
    ASSERT_EQ(t.n_samples(), 50u);
    ASSERT_EQ(t.n_features(), 10u);
    EXPECT_EQ(t.sample_ids().front(), "SRR2016338");
    EXPECT_EQ(t.sample_ids().back(), "SRR2016387");
    EXPECT_EQ(grand_total(t), 69939.0);
    EXPECT_EQ(cell(t, "OTU_1", "SRR2016338"), 189.0);
    EXPECT_EQ(cell(t, "OTU_1", "SRR2016339"), 1097.0);
    EXPECT_EQ(cell(t, "OTU_10", "SRR2016339"), 790.0);
    double otu1 = 0;
    for (std::size_t s = 0; s < t.n_samples(); ++s) otu1 += t.get(t.feature_index("OTU_1"), s);
    EXPECT_EQ(otu1, 66747.0);
    EXPECT_EQ(lineage_of(t, "OTU_1"), "Bacteria;Bacteroidota;Bacteroidia;Bacteroidales;Tannerellaceae;Parabacteroides");
    EXPECT_EQ(lineage_of(t, "OTU_1006"), "");
}

TEST(TableRead, MetaphlanKeepsTerminalClades) {
    // Python: of 71 clade rows, 26 are terminal (no other row extends them); their sums are
    // 100.00000047830198 and 99.99999971301875 (the k__ rows plus UNKNOWN give the same).
    auto const t = io::read_table(test_data("tables/glds286_metaphlan_taxonomy.tsv"));
    ASSERT_EQ(t.n_samples(), 2u);
    ASSERT_EQ(t.n_features(), 26u);
    EXPECT_EQ(t.sample_ids(), (std::vector<std::string>{"5501_S5", "5492_S3"}));
    EXPECT_EQ(t.feature_ids()[0], "UNKNOWN");
    EXPECT_EQ(t.feature_ids()[1], "s__Cutibacterium_acnes");
    EXPECT_NEAR(t.sample_total(0), 100.00000047830198, 1e-12);
    EXPECT_NEAR(t.sample_total(1), 99.99999971301875, 1e-12);
    EXPECT_EQ(cell(t, "UNKNOWN", "5501_S5"), 90.8137);
    EXPECT_EQ(cell(t, "s__Cutibacterium_acnes", "5492_S3"), 0.012210122024673257);
    EXPECT_EQ(lineage_of(t, "UNKNOWN"), "");
    EXPECT_EQ(lineage_of(t, "s__Cutibacterium_acnes"),
              "k__Bacteria;p__Actinobacteria;c__Actinobacteria;o__Propionibacteriales;f__Propionibacteriaceae;"
              "g__Cutibacterium;s__Cutibacterium_acnes");
    // "...|c__Viruses_unclassified|o__Caudovirales|f__Myoviridae|g__P2virus" has no parent row
    // for o__Caudovirales in the file, but its species child exists, so only the species stays.
    EXPECT_EQ(t.feature_index("g__P2virus"), table::FeatureTable::npos);
    EXPECT_NE(t.feature_index("s__Pseudomonas_virus_phiCTX"), table::FeatureTable::npos);
    EXPECT_EQ(t.feature_index("k__Bacteria"), table::FeatureTable::npos);
}

TEST(TableRead, Metaphlan2WithSampleIdLine) {
    // Excerpt: header "ID", a "#SampleID" line, 10 clade rows along two paths; the terminal rows
    // are the t__ row of the Actinomyces path and g__Corynebacterium (the excerpt ends there).
    auto const t = io::read_table(test_data("tables/metaphlan2_merged_head.txt"));
    ASSERT_EQ(t.n_samples(), 3u);
    EXPECT_EQ(t.sample_ids()[0], "SRS014459-Stool_profile");
    ASSERT_EQ(t.n_features(), 2u);
    EXPECT_EQ(t.feature_ids()[0], "t__Actinomyces_graevenitzii_unclassified");
    EXPECT_EQ(t.feature_ids()[1], "g__Corynebacterium");
    EXPECT_EQ(cell(t, "t__Actinomyces_graevenitzii_unclassified", "SRS014470-Tongue_dorsum_profile"), 0.85102);
    EXPECT_EQ(cell(t, "g__Corynebacterium", "SRS014464-Anterior_nares_profile"), 14.07759);
}

TEST(TableRead, BiomJsonSparseAndDense) {
    // min_sparse_otu_table.biom: 5 x 6, 15 entries, e.g. [1,0,5] and [2,3,4]; all sum to 27.
    auto const sparse = io::read_table(test_data("tables/min_sparse_otu_table.biom"));
    auto const dense = io::read_table(test_data("tables/min_dense_otu_table.biom"));
    ASSERT_EQ(sparse.n_features(), 5u);
    ASSERT_EQ(sparse.n_samples(), 6u);
    EXPECT_EQ(sparse.n_nonzero(), 15u);
    EXPECT_EQ(cell(sparse, "GG_OTU_2", "Sample1"), 5.0);
    EXPECT_EQ(cell(sparse, "GG_OTU_3", "Sample4"), 4.0);
    EXPECT_EQ(cell(sparse, "GG_OTU_1", "Sample1"), 0.0);
    EXPECT_EQ(grand_total(sparse), 27.0);
    EXPECT_FALSE(sparse.has_lineages());
    // The two example files are not the same table: GG_OTU_3's "2" sits in Sample6 in the
    // sparse file and in Sample5 in the dense one; everything else agrees.
    EXPECT_EQ(cell(sparse, "GG_OTU_3", "Sample6"), 2.0);
    EXPECT_EQ(cell(dense, "GG_OTU_3", "Sample5"), 2.0);
    EXPECT_EQ(cell(dense, "GG_OTU_3", "Sample6"), 0.0);
    EXPECT_EQ(dense.n_nonzero(), 15u);
    EXPECT_EQ(grand_total(dense), 27.0);
    EXPECT_EQ(cell(dense, "GG_OTU_2", "Sample1"), 5.0);
}

TEST(TableRead, BiomJsonAndHdf5RichAgree) {
    auto const json = io::read_table(test_data("tables/rich_sparse_otu_table.biom"));
    auto const h5 = io::read_table(test_data("tables/rich_sparse_otu_table_hdf5.biom"));
    ASSERT_EQ(h5.n_features(), 5u);
    ASSERT_EQ(h5.n_samples(), 6u);
    EXPECT_EQ(h5.n_nonzero(), 15u);
    EXPECT_EQ(cell(h5, "GG_OTU_2", "Sample1"), 5.0);
    EXPECT_EQ(cell(h5, "GG_OTU_4", "Sample6"), 1.0);
    ASSERT_TRUE(h5.has_lineages());
    EXPECT_EQ(lineage_of(h5, "GG_OTU_4"),
              "k__Bacteria;p__Firmicutes;c__Clostridia;o__Halanaerobiales;f__Halanaerobiaceae;g__Halanaerobium;"
              "s__Halanaerobiumsaccharolyticum");
    EXPECT_EQ(lineage_of(h5, "GG_OTU_1"),
              "k__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Enterobacteriales;f__Enterobacteriaceae;"
              "g__Escherichia;s__");
    EXPECT_EQ(json, h5);
}

TEST(TaxonomyRead, QiimeTwoColumnsAndRankColumns) {
    auto const q2 = io::read_taxonomy(test_data("tables/q2_taxonomy_head10.tsv"));
    ASSERT_EQ(q2.size(), 10u);
    EXPECT_EQ(q2[0].feature_id, "229854");
    EXPECT_EQ(q2[0].line, 2u);
    EXPECT_EQ(q2[0].lineage,
              "k__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Legionellales;f__Legionellaceae;g__Legionella;s__");
    EXPECT_EQ(q2[3].lineage, "k__Bacteria;p__OP11;c__OP11-1;o__;f__;g__;s__");

    auto const gp = io::read_taxonomy(test_data("tables/globalpatterns_taxonomy_head5.tsv"));
    ASSERT_EQ(gp.size(), 5u);
    EXPECT_EQ(gp[0].feature_id, "549322");
    EXPECT_EQ(gp[0].lineage, "Archaea;Crenarchaeota;Thermoprotei");
    EXPECT_EQ(gp[2].lineage, "Archaea;Crenarchaeota;Thermoprotei;Sulfolobales;Sulfolobaceae;Sulfolobus;Sulfolobusacidocaldarius");

    auto const rr5 = io::read_taxonomy(test_data("tables/rr5_fecal_tax_head20.txt"));
    ASSERT_EQ(rr5.size(), 20u);
    EXPECT_EQ(rr5[1].feature_id, "seq20");
    EXPECT_EQ(rr5[1].lineage, "Bacteria;Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Hungatella;human gut metagenome");
}
