#include <fstream>
#include <map>
#include <numeric>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/metadata.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using io::ColumnType;
using io::Metadata;
using io::read_metadata;

namespace {

std::string write(orbiome::testing::TempDir const& dir, std::string const& name, std::string const& text) {
    std::string const path = dir.file(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

template <class F>
std::string parse_error_of(F&& f) {
    try {
        f();
    } catch (ParseError const& e) {
        EXPECT_EQ(e.code(), Errc::data);
        return e.what();
    }
    return "no ParseError";
}

}  // namespace

// Expected values below were read off the same files with pandas 1.5 read_csv(sep='\t',
// index_col=0) (shape, dtypes, sums, value counts), an independent parser.

TEST(Metadata, RWriteTableVariantRr5Excerpt) {
    // Header "\tCage\tSamID..." (first cell empty), 20 rows of the RR-5 fecal meta table.
    Metadata md = read_metadata(orbiome::testing::test_data("metadata/rr5_fecal_meta_excerpt.txt"));
    ASSERT_EQ(md.sample_ids.size(), 20u);
    EXPECT_EQ(md.columns, (std::vector<std::string>{"Cage", "SamID", "Time", "Treatment", "TT", "TTC", "Compare",
                                                    "Compare1"}));
    EXPECT_EQ(md.sample_ids.front(), "X204.014D.final");
    EXPECT_EQ(md.sample_ids.back(), "X217.4C21.final");
    EXPECT_EQ(md.sample_lines.front(), 2u);
    EXPECT_EQ(md.sample_lines.back(), 21u);
    EXPECT_EQ(md.types[md.column_index("Cage")], ColumnType::numeric);
    EXPECT_EQ(md.types[md.column_index("SamID")], ColumnType::categorical);  // "014D", "4C21"
    auto const cage = md.numeric(md.column_index("Cage"));
    double sum = 0;
    for (auto const& v : cage) sum += v.value();
    EXPECT_EQ(sum, 4267.0);
    std::map<std::string, int> counts;
    for (auto const& v : md.values[md.require_column("Treatment")]) ++counts[v];
    EXPECT_EQ(counts, (std::map<std::string, int>{{"ISS", 1}, {"ISS_G", 2}, {"LAR", 6}, {"LAR_G", 5}, {"baseline", 6}}));
    EXPECT_EQ(md.values[md.column_index("TTC")].back(), "ISS_final_217");
}

TEST(Metadata, HeaderLackingFirstCell) {
    orbiome::testing::TempDir dir;
    // R write.table(quote=TRUE) without col.names=NA: the header has one cell fewer than the rows.
    auto const p = write(dir, "r.txt", "\"Cage\"\t\"Time\"\n\"S1\"\t204\t\"pre\"\n\"S2\"\t217\t\"final\"\n");
    Metadata md = read_metadata(p);
    EXPECT_EQ(md.columns, (std::vector<std::string>{"Cage", "Time"}));
    EXPECT_EQ(md.sample_ids, (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(md.values[1], (std::vector<std::string>{"pre", "final"}));
    EXPECT_EQ(md.types[0], ColumnType::numeric);
}

TEST(Metadata, Qiime1MappingFileMovingPictures) {
    Metadata md = read_metadata(orbiome::testing::test_data("metadata/moving_pictures_mf.tsv"));
    EXPECT_EQ(md.sample_ids.size(), 34u);
    EXPECT_EQ(md.columns.size(), 10u);
    EXPECT_EQ(md.columns.front(), "BarcodeSequence");
    for (char const* c : {"Year", "Month", "Day", "DaysSinceExperimentStart"})
        EXPECT_EQ(md.types[md.column_index(c)], ColumnType::numeric) << c;
    for (char const* c : {"BarcodeSequence", "BodySite", "Subject", "ReportedAntibioticUsage", "Description"})
        EXPECT_EQ(md.types[md.column_index(c)], ColumnType::categorical) << c;
    double days = 0;
    for (auto const& v : md.numeric(md.column_index("DaysSinceExperimentStart"))) days += v.value();
    EXPECT_EQ(days, 3416.0);
    std::size_t const last = md.sample_index("L6S93");
    ASSERT_EQ(last, 33u);
    EXPECT_EQ(md.values[md.column_index("BodySite")][last], "tongue");
    EXPECT_EQ(md.sample_index("nope"), Metadata::npos);
}

TEST(Metadata, PlainTsvVeganDuneEnv) {
    Metadata md = read_metadata(orbiome::testing::test_data("metadata/dune_env.tsv"));
    ASSERT_EQ(md.sample_ids.size(), 20u);
    EXPECT_EQ(md.sample_ids[0], "1");
    EXPECT_EQ(md.columns, (std::vector<std::string>{"A1", "Moisture", "Management", "Use", "Manure"}));
    double a1 = 0;
    for (auto const& v : md.numeric(0)) a1 += v.value();
    EXPECT_NEAR(a1, 97.00000000000001, 1e-12);
    std::size_t const s20 = md.sample_index("20");
    EXPECT_EQ(md.values[md.column_index("Management")][s20], "NM");
    EXPECT_EQ(md.values[md.column_index("Use")][s20], "Hayfield");
    EXPECT_EQ(md.types[md.column_index("Management")], ColumnType::categorical);
}

TEST(Metadata, Q2TypesRowFromQ2Dada2) {
    Metadata md = read_metadata(orbiome::testing::test_data("metadata/q2_dada2_stats.tsv"));
    EXPECT_EQ(md.sample_ids, (std::vector<std::string>{"L1S208", "L1S257"}));
    EXPECT_EQ(md.types, std::vector<ColumnType>(4, ColumnType::numeric));
    EXPECT_EQ(md.sample_lines[0], 3u);
    EXPECT_EQ(md.numeric(md.column_index("non-chimeric"))[1], 98.0);
}

TEST(Metadata, Q2TypesOverrideInferenceAndCommentsAndMissing) {
    orbiome::testing::TempDir dir;
    auto const p = write(dir, "q2.tsv",
                         "# a comment before the header\n"
                         "sample-id\tsubject\tbmd\tnote\n"
                         "#q2:types\tcategorical\tnumeric\t\n"
                         "# a comment between rows\n"
                         "A\t1\t0.25\tx\n"
                         "\n"
                         "B\t2\tNA\t\n"
                         "C\t3\t1e-1\t2\n");
    Metadata md = read_metadata(p);
    EXPECT_EQ(md.sample_ids, (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(md.sample_lines, (std::vector<std::size_t>{5, 7, 8}));
    EXPECT_EQ(md.types[0], ColumnType::categorical);  // declared, though every value is a number
    EXPECT_EQ(md.types[1], ColumnType::numeric);
    EXPECT_EQ(md.types[2], ColumnType::categorical);  // inferred: "x" is not a number
    auto const bmd = md.numeric(1);
    EXPECT_EQ(bmd[0], 0.25);
    EXPECT_FALSE(bmd[1].has_value());
    EXPECT_EQ(bmd[2], 0.1);
    EXPECT_EQ(parse_error_of([&] { md.numeric(2); }), p + ":5: column 'note', sample 'A': not a finite number: 'x'");
}

TEST(Metadata, ErrorsNameFileAndLine) {
    orbiome::testing::TempDir dir;
    auto const dup_id = write(dir, "dup.tsv", "id\ta\nS1\t1\nS2\t2\nS1\t3\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(dup_id); }), dup_id + ":4: duplicate sample id 'S1' (first on line 2)");
    auto const dup_col = write(dir, "dupc.tsv", "id\ta\tb\ta\nS1\t1\t2\t3\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(dup_col); }), dup_col + ":1: duplicate column 'a'");
    auto const ragged = write(dir, "rag.tsv", "id\ta\tb\nS1\t1\t2\nS2\t1\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(ragged); }), ragged + ":3: ragged row: 2 fields, header has 3");
    auto const bad_type = write(dir, "bt.tsv", "id\ta\n#q2:types\tnumber\nS1\t1\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(bad_type); }),
              bad_type + ":2: column 'a': '#q2:types' value 'number' is not 'categorical' or 'numeric'");
    auto const bad_num = write(dir, "bn.tsv", "id\ta\n#q2:types\tnumeric\nS1\t1\nS2\tlow\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(bad_num); }),
              bad_num + ":4: column 'a', sample 'S2': not a finite number: 'low'");
    auto const late_types = write(dir, "lt.tsv", "id\ta\nS1\t1\n#q2:types\tnumeric\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(late_types); }),
              late_types + ":3: '#q2:types' must directly follow the header line");
    auto const empty = write(dir, "e.tsv", "# only a comment\n\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(empty); }), empty + ":2: no header line in metadata file");
    auto const no_rows = write(dir, "nr.tsv", "id\ta\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(no_rows); }), no_rows + ":1: metadata has a header but no sample rows");
    auto const empty_id = write(dir, "ei.tsv", "id\ta\n\t1\n");
    EXPECT_EQ(parse_error_of([&] { read_metadata(empty_id); }), empty_id + ":2: empty sample id");
    try {
        read_metadata(dir.file("absent.tsv"));
        FAIL();
    } catch (IoError const& e) {
        EXPECT_EQ(e.code(), Errc::no_input);
    }
}

TEST(Metadata, RequireColumnIsUsageError) {
    Metadata md = read_metadata(orbiome::testing::test_data("metadata/dune_env.tsv"));
    try {
        md.require_column("Moist");
        FAIL();
    } catch (UsageError const& e) {
        EXPECT_EQ(e.code(), Errc::usage);
        EXPECT_EQ(e.message(), md.source + ": no metadata column 'Moist'");
        EXPECT_EQ(e.hint(), "columns are: A1, Moisture, Management, Use, Manure");
    }
}

TEST(Metadata, JoinInTableOrderCountsMetadataOnly) {
    Metadata md = read_metadata(orbiome::testing::test_data("metadata/dune_env.tsv"));
    auto const j = io::join_metadata({"3", "1", "20"}, "dune.tsv", md);
    EXPECT_EQ(j.row_of_sample, (std::vector<std::size_t>{2, 0, 19}));
    EXPECT_EQ(j.n_metadata_only, 17u);
    std::vector<std::string> ids;
    for (int i = 0; i < 8; ++i) ids.push_back("X" + std::to_string(i));
    ids.push_back("5");
    EXPECT_EQ(parse_error_of([&] { io::join_metadata(ids, "table.biom", md); }),
              "table.biom: 8 of 9 samples are not in metadata " + md.source +
                  ": 'X0', 'X1', 'X2', 'X3', 'X4' and 3 more");
}
