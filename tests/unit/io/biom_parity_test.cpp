// Files written by biom-format 2.1.12 (tests/parity/biom/PROVENANCE.md) read back exactly.
#include <gtest/gtest.h>

#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::test_data;

namespace {

std::string parity(std::string const& name) { return std::string(ORBIOME_TEST_DATA) + "/../parity/biom/" + name; }

void check_rr5_fecal(table::FeatureTable const& t) {
    ASSERT_EQ(t.n_features(), 286u);
    ASSERT_EQ(t.n_samples(), 140u);
    EXPECT_EQ(t.n_nonzero(), 25124u);
    double total = 0;
    for (std::size_t s = 0; s < t.n_samples(); ++s) total += t.sample_total(s);
    EXPECT_EQ(total, 13274042.0);
    EXPECT_EQ(t.sample_total(139), 95279.0);
    EXPECT_EQ(t.feature_ids().front(), "seq97");
    EXPECT_EQ(t.feature_ids().back(), "seq253");
    EXPECT_EQ(t.sample_ids().front(), "X204.014D.final");
    EXPECT_EQ(t.sample_ids().back(), "X217.7D73.final");
    EXPECT_TRUE(t.all_integral());
    auto const f181 = t.feature_index("seq181");
    ASSERT_NE(f181, table::FeatureTable::npos);
    double s181 = 0;
    for (std::size_t s = 0; s < t.n_samples(); ++s) s181 += t.get(f181, s);
    EXPECT_EQ(s181, 708.0);
    ASSERT_TRUE(t.has_lineages());
    EXPECT_EQ(t.lineages()[f181], "Bacteria;Tenericutes;Mollicutes;Mollicutes RF39;gut metagenome");

    // The first 20 features equal the independent excerpt read from the R table + tax_table.
    auto const excerpt = io::read_table(test_data("tables/rr5_fecal_otu_head20.txt"),
                                        {test_data("tables/rr5_fecal_tax_head20.txt")});
    std::vector<std::size_t> samples(t.n_samples()), features(20);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = i;
    for (std::size_t i = 0; i < features.size(); ++i) features[i] = i;
    EXPECT_EQ(t.subset(samples, features), excerpt);
}

}  // namespace

TEST(BiomParity, Hdf5WrittenByBiomFormat) {
    auto const t = io::read_table(parity("rr5_fecal_biomformat.biom"));
    check_rr5_fecal(t);
}

TEST(BiomParity, JsonWrittenByBiomFormat) {
    auto const t = io::read_table(parity("rr5_fecal_biomformat.json"));
    check_rr5_fecal(t);
    EXPECT_EQ(t, io::read_table(parity("rr5_fecal_biomformat.biom")));
}
