// write -> read round trips through every writable format give the identical table
// (FeatureTable ==: ids, order, lineages and every value bit for bit).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::TempDir;
using orbiome::testing::test_data;

namespace {

struct Source {
    char const* name;
    char const* table;
    char const* taxonomy;
};

constexpr Source kSources[] = {
    {"rr5", "tables/rr5_fecal_otu_head20.txt", "tables/rr5_fecal_tax_head20.txt"},
    {"genelab", "tables/glds72_taxonomy_and_counts_head10.tsv", nullptr},
    {"metaphlan", "tables/glds286_metaphlan_taxonomy.tsv", nullptr},
    {"biom_rich", "tables/rich_sparse_otu_table_hdf5.biom", nullptr},
    {"biom_min", "tables/min_sparse_otu_table.biom", nullptr},
    {"qiime", "tables/qiime191tt_otu_table.tsv", nullptr},
};

constexpr io::TableFormat kWritable[] = {io::TableFormat::tsv, io::TableFormat::biom_json, io::TableFormat::biom_hdf5};

table::FeatureTable load(Source const& s) {
    io::TableReadOptions o;
    if (s.taxonomy) o.taxonomy_path = test_data(s.taxonomy);
    return io::read_table(test_data(s.table), o);
}

}  // namespace

TEST(TableRoundTrip, EveryFormatIsIdentical) {
    TempDir d;
    for (auto const& src : kSources) {
        auto const t = load(src);
        for (auto f : kWritable) {
            std::string const out = d.file(std::string(src.name) + "." + std::string(io::format_name(f)));
            io::write_table(t, out, f, {"#orbiome test"});
            EXPECT_EQ(io::sniff_table_format(out), f) << out;
            EXPECT_EQ(io::read_table(out), t) << src.name << " via " << io::format_name(f);
        }
    }
}

TEST(TableRoundTrip, ChainThroughAllFormats) {
    TempDir d;
    auto const t = load(kSources[0]);
    io::write_table(t, d.file("a.json"), io::TableFormat::biom_json);
    io::write_table(io::read_table(d.file("a.json")), d.file("b.biom"), io::TableFormat::biom_hdf5);
    io::write_table(io::read_table(d.file("b.biom")), d.file("c.tsv"), io::TableFormat::tsv);
    EXPECT_EQ(io::read_table(d.file("c.tsv")), t);
}

TEST(TableRoundTrip, EdgeCases) {
    // Unassigned lineages, an empty sample, an all-zero feature, non-integral values that need
    // 17 digits, a value of 2^53, and non-ASCII ids.
    table::FeatureTable const t(
        {"f1", "f2", "f3", "\xC3\xA9t\xC3\xA9"}, {"S1", "empty", "S3"},
        {{0, 0, 0.1}, {1, 0, 1.0 / 3.0}, {3, 2, 9007199254740992.0}, {0, 2, 1e-300}},
        {"k__Bacteria;p__Firmicutes;;g__X", "", "", "Bacteria"});
    TempDir d;
    for (auto f : kWritable) {
        std::string const out = d.file(std::string("e.") + std::string(io::format_name(f)));
        io::write_table(t, out, f);
        EXPECT_EQ(io::read_table(out), t) << io::format_name(f);
    }
    // Integral tables are written as integers.
    table::FeatureTable const c({"a", "b"}, {"S"}, {{0, 0, 1000000.0}, {1, 0, 3.0}});
    io::write_table(c, d.file("c.tsv"), io::TableFormat::tsv, {"#orbiome table convert test"});
    std::ifstream in(d.file("c.tsv"));
    std::string const text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "#orbiome table convert test\nfeature_id\tS\na\t1000000\nb\t3\n");
}

TEST(TableRoundTrip, NoLineagesStaysWithoutLineages) {
    TempDir d;
    auto const t = load(kSources[5]);
    ASSERT_FALSE(t.has_lineages());
    for (auto f : kWritable) {
        std::string const out = d.file(std::string("q.") + std::string(io::format_name(f)));
        io::write_table(t, out, f);
        EXPECT_FALSE(io::read_table(out).has_lineages());
    }
}

TEST(TableWrite, SpecialFilesAndFailures) {
    auto const t = load(kSources[4]);
    // libhdf5 cannot write a device: the file is built privately and copied.
    EXPECT_NO_THROW(io::write_table(t, "/dev/null", io::TableFormat::biom_hdf5));
    if (std::filesystem::exists("/dev/full")) {
        for (auto f : kWritable) {
            try {
                io::write_table(t, "/dev/full", f);
                ADD_FAILURE() << "no error writing /dev/full as " << io::format_name(f);
            } catch (IoError const& e) {
                EXPECT_EQ(e.code(), Errc::io);
                EXPECT_STREQ(e.what(), "/dev/full: write failed (disk full or I/O error)");
            }
        }
    }
    TempDir d;
    EXPECT_THROW(io::write_table(t, d.file("x.tsv"), io::TableFormat::genelab), UsageError);
    // No temporary is left behind after a failed write.
    table::FeatureTable const bad({"a\tb"}, {"S"}, {{0, 0, 1.0}});
    EXPECT_THROW(io::write_table(bad, d.file("bad.tsv"), io::TableFormat::tsv), ParseError);
    EXPECT_TRUE(std::filesystem::is_empty(d.path()));
}
