// Feature-table formats on the real tables of ../shared/data: every BIOM example reads, the
// large tables round-trip through TSV, BIOM JSON and BIOM HDF5 with identical values, and their
// totals equal independent sums. Totals were computed once with awk and pandas, which agree:
//   awk -F'\t' 'NR>1{for(i=2;i<=NF;i++){t+=$i; if($i!=0) nz++}} END{print t, nz}' FILE
//   (GeneLab: i from 9, after the id and 7 rank columns);
//   pandas: pd.read_csv(FILE, sep='\t', index_col=0).values.sum() and (values != 0).sum().
#include <filesystem>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::shared_data;
using orbiome::testing::TempDir;

namespace {

double grand_total(table::FeatureTable const& t) {
    double sum = 0;
    for (std::size_t s = 0; s < t.n_samples(); ++s) sum += t.sample_total(s);
    return sum;
}

void expect_round_trips(table::FeatureTable const& t, std::string const& label) {
    TempDir d;
    for (auto f : {io::TableFormat::tsv, io::TableFormat::biom_json, io::TableFormat::biom_hdf5}) {
        std::string const out = d.file(label + "." + std::string(io::format_name(f)));
        io::write_table(t, out, f, {"#orbiome shared test"});
        EXPECT_EQ(io::read_table(out), t) << label << " via " << io::format_name(f);
    }
}

struct Known {
    std::size_t n_features, n_samples, nnz;
    double total;
};

void expect_known(table::FeatureTable const& t, Known const& k) {
    EXPECT_EQ(t.n_features(), k.n_features);
    EXPECT_EQ(t.n_samples(), k.n_samples);
    EXPECT_EQ(t.n_nonzero(), k.nnz);
    EXPECT_EQ(grand_total(t), k.total);
}

}  // namespace

TEST(SharedTableFormats, EveryPhyloseqBiomReads) {
    ORBIOME_SHARED_OR_SKIP("tables/phyloseq");
    std::size_t n = 0;
    for (auto const& e : std::filesystem::directory_iterator(shared_data("tables/phyloseq"))) {
        if (e.path().extension() != ".biom") continue;
        auto const t = io::read_table(e.path().string());
        // All six are the biom-format example table: 5 OTUs x 6 samples, 15 non-zeros, sum 27.
        EXPECT_EQ(t.n_features(), 5u) << e.path();
        EXPECT_EQ(t.n_samples(), 6u) << e.path();
        EXPECT_EQ(t.n_nonzero(), 15u) << e.path();
        EXPECT_EQ(grand_total(t), 27.0) << e.path();
        EXPECT_EQ(t.has_lineages(), e.path().filename().string().starts_with("rich")) << e.path();
        expect_round_trips(t, e.path().stem().string());
        ++n;
    }
    EXPECT_EQ(n, 6u);
}

TEST(SharedTableFormats, CharacterBiomExamplesAreRejected) {
    ORBIOME_SHARED_OR_SKIP("tables/biom_examples");
    for (char const* name : {"rich_dense_char.biom", "rich_sparse_char.biom"}) {
        std::string const p = shared_data(std::string("tables/biom_examples/") + name);
        try {
            io::read_table(p);
            ADD_FAILURE() << p;
        } catch (ParseError const& e) {
            EXPECT_EQ(std::string(e.what()), p + ": BIOM matrix_element_type 'unicode': the matrix holds text, not counts");
        }
    }
}

TEST(SharedTableFormats, Rr5FecalWithTaxTable) {
    ORBIOME_SHARED_OR_SKIP("rr5/16S_fecal/otu_table.txt");
    auto const t = io::read_table(shared_data("rr5/16S_fecal/otu_table.txt"),
                                  {shared_data("rr5/16S_fecal/tax_table.txt")});
    expect_known(t, {286, 140, 25124, 13274042.0});
    EXPECT_EQ(t.sample_total(139), 95279.0);
    EXPECT_EQ(t.lineages()[t.feature_index("seq181")], "Bacteria;Tenericutes;Mollicutes;Mollicutes RF39;gut metagenome");
    expect_round_trips(t, "rr5_fecal");
}

TEST(SharedTableFormats, Rr5OralWithTaxTable) {
    ORBIOME_SHARED_OR_SKIP("rr5/16S_oral/otu_table.txt");
    auto const t = io::read_table(shared_data("rr5/16S_oral/otu_table.txt"),
                                  {shared_data("rr5/16S_oral/tax_table.txt")});
    expect_known(t, {480, 80, 2174, 3916301.0});
    EXPECT_EQ(t.lineages()[t.feature_index("SPPN1")],
              "Bacteria;Firmicutes;Bacilli;Bacillales;Staphylococcaceae;Gemella;multispecies_sppn1_2_nov_94.3%");
    expect_round_trips(t, "rr5_oral");
}

TEST(SharedTableFormats, GlobalPatternsWithTaxonomy) {
    ORBIOME_SHARED_OR_SKIP("tables/phyloseq/GlobalPatterns_otu_table.tsv");
    // Plain TSV (header "OTU", 26 samples) + a rank-column taxonomy with a header cell "OTU".
    auto const t = io::read_table(shared_data("tables/phyloseq/GlobalPatterns_otu_table.tsv"),
                                  {shared_data("tables/phyloseq/GlobalPatterns_taxonomy.tsv")});
    expect_known(t, {19216, 26, 104578, 28216678.0});
    EXPECT_EQ(t.sample_ids().front(), "CL3");
    EXPECT_EQ(t.sample_total(0), 864077.0);
    EXPECT_EQ(t.sample_total(25), 1078241.0);
    EXPECT_EQ(t.lineages()[t.feature_index("951")],
              "Archaea;Crenarchaeota;Thermoprotei;Sulfolobales;Sulfolobaceae;Sulfolobus;Sulfolobusacidocaldarius");
    EXPECT_EQ(t.lineages()[t.feature_index("549322")], "Archaea;Crenarchaeota;Thermoprotei");
    expect_round_trips(t, "globalpatterns");
}

TEST(SharedTableFormats, GeneLabAmplicon) {
    ORBIOME_SHARED_OR_SKIP("formats/genelab/GLDS-72_amplicon/taxonomy-and-counts.tsv");
    auto const t = io::read_table(shared_data("formats/genelab/GLDS-72_amplicon/taxonomy-and-counts.tsv"));
    expect_known(t, {1843, 50, 9542, 226547.0});
    expect_round_trips(t, "glds72");
}

TEST(SharedTableFormats, GeneLabMetaphlan) {
    ORBIOME_SHARED_OR_SKIP("formats/genelab/GLDS-286_metagenomics_example/GLDS-286-metaphlan-taxonomy.tsv");
    auto const t = io::read_table(
        shared_data("formats/genelab/GLDS-286_metagenomics_example/GLDS-286-metaphlan-taxonomy.tsv"));
    EXPECT_EQ(t.n_features(), 26u);
    EXPECT_NEAR(t.sample_total(0), 100.00000047830198, 1e-12);  // Python sum of the terminal rows
    expect_round_trips(t, "glds286");
}
