// Parsers (Newick, metadata, NCBI taxonomy) on the real files in ../shared/data.
#include <cstddef>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "io/metadata.hpp"
#include "io/newick.hpp"
#include "support/paths.hpp"
#include "taxonomy/taxdump.hpp"

using namespace orbiome;

namespace {

struct TreeSummary {
    std::size_t nodes = 0, tips = 0;
    double total_length = 0;
};

TreeSummary summarize(io::Tree const& t) {
    TreeSummary s;
    s.nodes = t.size();
    for (std::size_t i = 0; i < t.size(); ++i) {
        s.tips += t.is_tip(i) ? 1 : 0;
        s.total_length += t.length[i];
    }
    return s;
}

}  // namespace

// References below were computed independently with /usr/bin/python3 and scikit-bio 0.5.8:
// tests/data/newick/skbio_tree_summary.py (TreeNode.read, then count of postorder nodes, tips, and
// the sum of every non-None node length), run on the same files.

TEST(SharedNewick, GlobalPatternsTree) {
    ORBIOME_SHARED_OR_SKIP("tables/phyloseq/GlobalPatterns_tree.nwk");
    auto const t = io::read_newick(orbiome::testing::shared_data("tables/phyloseq/GlobalPatterns_tree.nwk"));
    auto const s = summarize(t);
    EXPECT_EQ(s.nodes, 38431u);
    EXPECT_EQ(s.tips, 19216u);
    EXPECT_NEAR(s.total_length, 577.69398999999919, 1e-9);
    EXPECT_EQ(t.name[0], "549322");
}

TEST(SharedNewick, Gp500Tree) {
    ORBIOME_SHARED_OR_SKIP("tables/phyloseq/gp500_tree.nwk");
    auto const s = summarize(io::read_newick(orbiome::testing::shared_data("tables/phyloseq/gp500_tree.nwk")));
    EXPECT_EQ(s.nodes, 999u);
    EXPECT_EQ(s.tips, 500u);
    EXPECT_NEAR(s.total_length, 51.122820000000033, 1e-9);
}

TEST(SharedNewick, QiimeTinyTestTrees) {
    for (char const* rel : {"tables/skbio/qiime191tt_tree_alpha.nwk", "tables/skbio/qiime191tt_tree_beta.nwk"}) {
        ORBIOME_SHARED_OR_SKIP(rel);
        auto const t = io::read_newick(orbiome::testing::shared_data(rel));
        auto const s = summarize(t);
        EXPECT_EQ(s.nodes, 19u) << rel;
        EXPECT_EQ(s.tips, 10u) << rel;
        EXPECT_NEAR(s.total_length, 1.5199599999999998, 1e-12) << rel;
        EXPECT_EQ(t.name[t.root()], "root") << rel;
    }
}

TEST(SharedNewick, Greengenes97OtusGzipped) {
    ORBIOME_SHARED_OR_SKIP("amplicon/greengenes_13_8/97_otus.tree.gz");
    auto const t = io::read_newick(orbiome::testing::shared_data("amplicon/greengenes_13_8/97_otus.tree.gz"));
    auto const s = summarize(t);
    EXPECT_EQ(s.nodes, 198643u);
    EXPECT_EQ(s.tips, 99322u);
    EXPECT_NEAR(s.total_length, 2820.4803900004481, 1e-8);
    EXPECT_EQ(t.name[0], "4479984");
}

// Reference: pandas 1.5 read_csv(sep='\t', index_col=0) on the same file: shape (140, 8), Cage
// int64, Treatment value counts baseline 40, LAR 40, LAR_G 40, ISS 10, ISS_G 10.
TEST(SharedMetadata, Rr5FecalMetaTable) {
    ORBIOME_SHARED_OR_SKIP("rr5/16S_fecal/meta_table.txt");
    auto const md = io::read_metadata(orbiome::testing::shared_data("rr5/16S_fecal/meta_table.txt"));
    ASSERT_EQ(md.sample_ids.size(), 140u);
    ASSERT_EQ(md.columns.size(), 8u);
    EXPECT_EQ(md.sample_ids.front(), "X204.014D.final");
    EXPECT_EQ(md.types[md.require_column("Cage")], io::ColumnType::numeric);
    std::map<std::string, int> counts;
    for (auto const& v : md.values[md.require_column("Treatment")]) ++counts[v];
    EXPECT_EQ(counts, (std::map<std::string, int>{{"ISS", 10}, {"ISS_G", 10}, {"LAR", 40}, {"LAR_G", 40}, {"baseline", 40}}));
}

// Reference: pandas read_csv(sep='\t', index_col=0, skiprows=[1]): shape (10, 8), first id
// BAQ2420.2, sum of 'non-chimeric' 243.
TEST(SharedMetadata, Q2TypesFilesFromQ2Dada2) {
    ORBIOME_SHARED_OR_SKIP("amplicon/q2_dada2_tests/expected/paired-default-stats.tsv");
    auto const md = io::read_metadata(
        orbiome::testing::shared_data("amplicon/q2_dada2_tests/expected/paired-default-stats.tsv"));
    ASSERT_EQ(md.sample_ids.size(), 10u);
    ASSERT_EQ(md.columns.size(), 8u);
    EXPECT_EQ(md.sample_ids.front(), "BAQ2420.2");
    for (auto t : md.types) EXPECT_EQ(t, io::ColumnType::numeric);
    double sum = 0;
    for (auto const& v : md.numeric(md.require_column("non-chimeric"))) sum += v.value();
    EXPECT_EQ(sum, 243.0);
}

// Reference: tests/data/taxonomy/taxonomy_reference.py's load()/lineage() (plain Python) on the
// same files: all 224 accessions' taxids are in the dump, and 218 of the 224 ranked lineages equal
// woltka's taxonomy_nucl_nucl2lineage.txt (the other 6 have an empty level there).
TEST(SharedTaxonomy, WoltkaAccessionsResolveAndLineagesMatch) {
    std::string const dir = "taxonomy/woltka_107genomes/";
    ORBIOME_SHARED_OR_SKIP(dir + "taxonomy_nodes.dmp");
    auto const tax = taxonomy::Taxonomy::from_ncbi_dump(orbiome::testing::shared_data(dir + "taxonomy_nodes.dmp"),
                                                        orbiome::testing::shared_data(dir + "taxonomy_names.dmp"));
    std::ifstream tid_in(orbiome::testing::shared_data(dir + "taxonomy_nucl_nucl2tid.txt"));
    std::ifstream lin_in(orbiome::testing::shared_data(dir + "taxonomy_nucl_nucl2lineage.txt"));
    std::string a, b;
    std::size_t n = 0, equal = 0;
    while (std::getline(tid_in, a) && std::getline(lin_in, b)) {
        auto const fa = split(a, '\t');
        auto const fb = split(b, '\t');
        ASSERT_EQ(fa[0], fb[0]);
        auto const id = taxonomy::TaxId{parse_uint(fa[1], "nucl2tid", n + 1, "taxid")};
        ASSERT_TRUE(tax.find(id).has_value()) << a;
        equal += tax.lineage(id) == fb[1] ? 1 : 0;
        ++n;
    }
    EXPECT_EQ(n, 224u);
    EXPECT_EQ(equal, 218u);
}
