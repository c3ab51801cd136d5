#include <sstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/text.hpp"

using namespace orbiome;

TEST(LineReader, StripsBomAndCrlfAndCountsLines) {
    std::istringstream in("\xEF\xBB\xBFid\tA\r\nx\t1\r\n");
    LineReader r(in, "t.tsv");
    std::string line;
    ASSERT_TRUE(r.next(line));
    EXPECT_EQ(line, "id\tA");
    ASSERT_TRUE(r.next(line));
    EXPECT_EQ(line, "x\t1");
    EXPECT_EQ(r.line_no(), 2u);
    EXPECT_FALSE(r.next(line));
}

TEST(LineReader, RejectsNulBytes) {
    std::istringstream in(std::string("ok\nbad\0x\n", 9));
    LineReader r(in, "g.bin");
    std::string line;
    ASSERT_TRUE(r.next(line));
    try {
        r.next(line);
        FAIL() << "expected ParseError";
    } catch (ParseError const& e) {
        EXPECT_STREQ(e.what(), "g.bin:2: binary data (NUL byte) in a text file");
        EXPECT_EQ(e.code(), Errc::data);
    }
}

TEST(ParseNumbers, StrictAndNamed) {
    EXPECT_EQ(parse_double("1e3", "f", 1, "x"), 1000.0);
    EXPECT_EQ(parse_double(" -0.5 ", "f", 1, "x"), -0.5);
    EXPECT_EQ(parse_count("12.0", "f", 1, "x"), 12.0);
    EXPECT_THROW(parse_double("NA", "f", 1, "x"), ParseError);
    EXPECT_THROW(parse_double("inf", "f", 1, "x"), ParseError);
    EXPECT_THROW(parse_double("1.5x", "f", 1, "x"), ParseError);
    try {
        parse_count("-3", "tab.tsv", 7, "sample 'S1'");
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_STREQ(e.what(), "tab.tsv:7: sample 'S1': negative count '-3'");
    }
    EXPECT_EQ(parse_uint("42", "f", 1, "x"), 42u);
    EXPECT_THROW(parse_uint("4.2", "f", 1, "x"), ParseError);
}

TEST(FormatDouble, ShortestRoundTrip) {
    EXPECT_EQ(format_double(12.0), "12");
    EXPECT_EQ(format_double(0.1), "0.1");
    double const third = 1.0 / 3.0;
    EXPECT_EQ(std::stod(format_double(third)), third);
}

TEST(SourceLoc, Formats) {
    EXPECT_EQ((SourceLoc{"r.fq", 4021, 1006, "SRR5.1006"}).to_string(), "r.fq:4021: record 1006 ('SRR5.1006')");
    EXPECT_EQ((SourceLoc{"a.tsv", 3}).to_string(), "a.tsv:3");
    EXPECT_EQ(SourceLoc{}.to_string(), "");
}
