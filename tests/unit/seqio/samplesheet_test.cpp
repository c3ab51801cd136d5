// The shared samplesheet reader (seqio/samplesheet.hpp): columns by name in any order, optional
// reads2, comments and blank lines skipped, and each malformed sheet an error at its line.
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "seqio/samplesheet.hpp"
#include "support/paths.hpp"

namespace {

using orbiome::testing::TempDir;

TEST(Samplesheet, ColumnsByNameAnyOrder) {
    TempDir tmp;
    std::ofstream(tmp.file("s.tsv")) << "# run 7\nreads2\tsample\textra\treads\nb2.fq\tB\tx\tb1.fq\n\n\tA\ty\ta.fq\n";
    auto const s = orbiome::seqio::read_samplesheet(tmp.file("s.tsv"));
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].name, "B");
    EXPECT_EQ(s[0].reads, "b1.fq");
    EXPECT_EQ(s[0].reads2, "b2.fq");
    EXPECT_EQ(s[1].name, "A");
    EXPECT_EQ(s[1].reads2, "");
}

TEST(Samplesheet, ErrorsNameTheLine) {
    TempDir tmp;
    auto expect_error = [&](std::string const& text, std::string const& message) {
        std::ofstream(tmp.file("bad.tsv")) << text;
        try {
            orbiome::seqio::read_samplesheet(tmp.file("bad.tsv"));
            FAIL() << "no error for " << text;
        } catch (orbiome::ParseError const& e) {
            EXPECT_EQ(std::string(e.what()), tmp.file("bad.tsv") + message);
        }
    };
    expect_error("name\treads\nA\ta.fq\n", ":1: samplesheet header needs columns 'sample' and 'reads' (and optionally 'reads2')");
    expect_error("sample\treads\nA\ta.fq\nA\tb.fq\n", ":3: duplicate sample 'A'");
    expect_error("sample\treads\nA\t\n", ":2: empty 'sample' or 'reads' field");
    expect_error("sample\treads\n", ":1: samplesheet lists no samples");
    EXPECT_THROW(orbiome::seqio::read_samplesheet(tmp.file("absent.tsv")), orbiome::IoError);
}

}  // namespace
