// Bad input: every case asserts the exception type and the whole one-line message (file and
// line or record), as the CLI prints it after "orbiome <cmd>: error: ".
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <hdf5.h>

#include "core/error.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::TempDir;
using orbiome::testing::test_data;

namespace {

std::string write_file(TempDir const& dir, std::string const& name, std::string const& content) {
    std::string const path = dir.file(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

/// The message of the ParseError that reading `path` throws ("" and a failure if none).
std::string parse_error(std::string const& path, io::TableReadOptions const& options = {}) {
    try {
        io::read_table(path, options);
    } catch (ParseError const& e) {
        EXPECT_EQ(e.code(), Errc::data);
        return e.what();
    } catch (std::exception const& e) {
        ADD_FAILURE() << "unexpected exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "no ParseError for " << path;
    return {};
}

}  // namespace

TEST(TableErrors, RaggedRow) {
    TempDir d;
    auto const p = write_file(d, "r.tsv", "#orbiome x\nfeature_id\tA\tB\nf1\t1\t2\nf2\t1\n");
    EXPECT_EQ(parse_error(p), p + ":4: row has 2 tab-separated fields, expected 3 like the header");
}

TEST(TableErrors, RaggedRowInRTable) {
    TempDir d;
    auto const p = write_file(d, "r.txt", "A\tB\nf1\t1\t2\nf2\t1\t2\t3\n");
    EXPECT_EQ(parse_error(p), p + ":3: row has 4 tab-separated fields, expected 3 (row name + 2 header columns)");
}

TEST(TableErrors, NonNumericCount) {
    TempDir d;
    auto const p = write_file(d, "n.tsv", "#OTU ID\tA\tB\nf1\t1\t2\nf2\t3\tmany\n");
    EXPECT_EQ(parse_error(p), p + ":3: sample 'B': not a finite number: 'many'");
}

TEST(TableErrors, NegativeCount) {
    TempDir d;
    auto const p = write_file(d, "neg.tsv", "feature_id\tA\tB\nf1\t-4\t2\n");
    EXPECT_EQ(parse_error(p), p + ":2: sample 'A': negative count '-4'");
}

TEST(TableErrors, DuplicateSampleId) {
    TempDir d;
    auto const p = write_file(d, "ds.tsv", "# comment\nfeature_id\tA\tB\tA\nf1\t1\t2\t3\n");
    EXPECT_EQ(parse_error(p), p + ":2: duplicate sample id 'A' (sample columns 1 and 3)");
}

TEST(TableErrors, DuplicateFeatureId) {
    TempDir d;
    auto const p = write_file(d, "df.tsv", "feature_id\tA\nf1\t1\nf2\t2\nf1\t3\n");
    EXPECT_EQ(parse_error(p), p + ":4: duplicate feature id 'f1' (first on line 2)");
}

TEST(TableErrors, EmptyFile) {
    TempDir d;
    auto const p = write_file(d, "empty.tsv", "");
    EXPECT_EQ(parse_error(p), p + ": empty file");
    auto const q = write_file(d, "blank.tsv", "\n  \n");
    EXPECT_EQ(parse_error(q), q + ": empty file");
}

TEST(TableErrors, BinaryGarbage) {
    TempDir d;
    static constexpr char kZipLike[] = "PK\x03\x04\x14\x00\x08\x00\x08\x00\xfe\xff junk\n";
    auto const p = write_file(d, "garbage.bin", std::string(kZipLike, sizeof kZipLike - 1));  // NULs included
    EXPECT_EQ(parse_error(p), p + ":1: binary data (NUL byte) in a text file");
}

TEST(TableErrors, MissingFileIsNoInput) {
    try {
        io::read_table("/nonexistent/t.tsv");
        FAIL();
    } catch (IoError const& e) {
        EXPECT_EQ(e.code(), Errc::no_input);
        EXPECT_STREQ(e.what(), "/nonexistent/t.tsv: no such file");
    }
}

TEST(TableErrors, TruncatedHdf5) {
    TempDir d;
    std::ifstream in(test_data("tables/rich_sparse_otu_table_hdf5.biom"), std::ios::binary);
    std::string const bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_EQ(bytes.size(), 46952u);
    auto const p = write_file(d, "half.biom", bytes.substr(0, bytes.size() / 2));
    std::string const msg = parse_error(p);
    EXPECT_EQ(msg.rfind(p + ": not a readable HDF5 file (truncated file: eof = 23476", 0), 0u) << msg;
}

TEST(TableErrors, Hdf5WithoutBiomDatasets) {
    TempDir d;
    std::string const p = d.file("plain.h5");
    hid_t const f = H5Fcreate(p.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    hid_t const g = H5Gcreate2(f, "observation", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(g);
    H5Fclose(f);
    EXPECT_EQ(parse_error(p), p + ": dataset 'observation/ids': missing");
}

TEST(TableErrors, TextValuedBiomIsRejected) {
    for (char const* name : {"tables/rich_sparse_char.biom", "tables/rich_dense_char.biom"}) {
        std::string const p = test_data(name);
        EXPECT_EQ(parse_error(p), p + ": BIOM matrix_element_type 'unicode': the matrix holds text, not counts");
    }
}

TEST(TableErrors, BiomJsonBadValueNamesRecord) {
    TempDir d;
    auto const p = write_file(d, "v.json",
                              R"({"rows":[{"id":"o1"}],"columns":[{"id":"s1"},{"id":"s2"}],"matrix_type":"sparse",)"
                              R"("shape":[1,2],"data":[[0,0,1],[0,1,"sky"]]})");
    EXPECT_EQ(parse_error(p), p + ": record 2 ('data'): entry [0,1,\"sky\"]: value \"sky\" is not a number");
}

TEST(TableErrors, TruncatedBiomJsonNamesLine) {
    TempDir d;
    std::ifstream in(test_data("tables/min_sparse_otu_table.biom"), std::ios::binary);
    std::string const bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto const p = write_file(d, "cut.biom", bytes.substr(0, 700));  // ends inside "columns" (line 18)
    std::string const msg = parse_error(p);
    EXPECT_EQ(msg.rfind(p + ":18: invalid JSON: syntax error while parsing", 0), 0u) << msg;
}

// Found by fuzzing (tests/fuzz-regressions/table/): nlohmann reports a number beyond double's
// range as out_of_range, not parse_error; it must still be one ParseError with the line.
TEST(TableErrors, BiomJsonNumberOutOfRangeNamesLine) {
    TempDir d;
    auto const p = write_file(d, "big.biom", "{\n  \"id\": \"t\",\n  \"shape\": [1, 1E999]\n}\n");
    EXPECT_EQ(parse_error(p), p + ":3: invalid JSON: number out of range: '1E999'");
}

TEST(TableErrors, TaxonomyMissingIdsAreListed) {
    TempDir d;
    auto const tax = write_file(d, "tax.tsv", "Feature ID\tTaxon\nseq97\tk__Bacteria; p__Firmicutes\n");
    std::string const p = test_data("tables/rr5_fecal_otu_head20.txt");
    EXPECT_EQ(parse_error(p, {tax}), tax + ": 19 of 20 table features are missing from the taxonomy file: 'seq20', "
                                           "'seq74', 'seq34', 'seq130', 'seq87', ...");
}

TEST(TableErrors, TaxonomyUnknownColumn) {
    TempDir d;
    auto const tax = write_file(d, "tax.tsv", "id\tKingdom\tColour\nseq97\tBacteria\tblue\n");
    try {
        io::read_taxonomy(tax);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), tax + ":1: taxonomy column 'Colour' is neither a rank name nor a lineage column");
    }
}

TEST(TableAccepts, BomAndCrlf) {
    TempDir d;
    auto const p = write_file(d, "w.tsv", "\xEF\xBB\xBF#OTU ID\tS1\tS2\ttaxonomy\r\nf1\t12\t0.5\tk__A; p__B\r\nf2\t3\t1e3\t\r\n");
    auto const t = io::read_table(p);
    ASSERT_EQ(t.n_features(), 2u);
    EXPECT_EQ(t.sample_ids(), (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(t.get(0, 0), 12.0);
    EXPECT_EQ(t.get(0, 1), 0.5);
    EXPECT_EQ(t.get(1, 0), 3.0);
    EXPECT_EQ(t.get(1, 1), 1000.0);
    EXPECT_EQ(t.lineages(), (std::vector<std::string>{"k__A;p__B", ""}));
    // An R table from a Windows spreadsheet: BOM, CRLF, quoted names.
    auto const r = write_file(d, "r.txt", "\xEF\xBB\xBF\"S1\"\t\"S2\"\r\n\"f1\"\t7\t0\r\n");
    auto const rt = io::read_table(r);
    EXPECT_EQ(rt.sample_ids(), (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(rt.feature_ids(), (std::vector<std::string>{"f1"}));
    EXPECT_EQ(rt.get(0, 0), 7.0);
}
