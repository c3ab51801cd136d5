// The distance-matrix TSV reader: every value is the double std::from_chars gives for its text
// (the reader's in-place fast path must agree bit for bit with the general parser), and every
// malformed file stops with the file, the line and the same message as the line-by-line reader.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ecology/distance_matrix.hpp"
#include "support/paths.hpp"

namespace orbiome::ecology {
namespace {

std::string write(orbiome::testing::TempDir const& dir, std::string const& name, std::string const& text) {
    std::string const path = dir.file(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// The text of distance i in one of the spellings tools write: shortest round trip (Python
// repr, orbiome), %.17g, fixed and scientific notation, integers, long digit strings beyond
// 19 digits or 2^53, tiny values beyond 10^-22.
std::string spelling(double v, std::size_t i) {
    char buf[96];
    switch (i % 9) {
        case 0: {
            auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
            return std::string(buf, p);
        }
        case 1: std::snprintf(buf, sizeof buf, "%.17g", v); return buf;
        case 2: std::snprintf(buf, sizeof buf, "%.6f", v); return buf;
        case 3: std::snprintf(buf, sizeof buf, "%.3e", v); return buf;
        case 4: std::snprintf(buf, sizeof buf, "%.0f", v * 1e6); return buf;
        case 5: std::snprintf(buf, sizeof buf, "%.25f", v); return buf;
        case 6: std::snprintf(buf, sizeof buf, "%.30f", v * 1e-9); return buf;
        case 7: std::snprintf(buf, sizeof buf, "%.0f.", v * 1.8e16); return buf;  // "123." is a number; around 2^53
        default: std::snprintf(buf, sizeof buf, "%.19f", v * 9007.199254740993); return buf;  // around 2^53 digits
    }
}

TEST(DistanceMatrixReader, EveryValueIsTheDoubleFromCharsGives) {
    orbiome::testing::TempDir dir;
    std::size_t const n = 60;
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<std::string> text(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) text[i * n + j] = text[j * n + i] = spelling(u(rng), i * n + j);
    std::string file;
    for (std::size_t j = 0; j < n; ++j) file += "\tS" + std::to_string(j);
    file += "\n";
    for (std::size_t i = 0; i < n; ++i) {
        file += "S" + std::to_string(i);
        for (std::size_t j = 0; j < n; ++j) file += "\t" + (i == j ? std::string("0") : text[i * n + j]);
        file += "\n";
    }
    auto const dm = read_distance_matrix(write(dir, "dm.tsv", file));
    ASSERT_EQ(dm.size(), n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            auto const& t = text[i * n + j];
            double want = 0;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), want);
            ASSERT_TRUE(ec == std::errc() && p == t.data() + t.size()) << t;
            double const got = dm(i, j);
            EXPECT_EQ(std::memcmp(&got, &want, sizeof got), 0) << t << ": " << got << " vs " << want;
        }
}

TEST(DistanceMatrixReader, AcceptsWhatTheLineReaderAccepts) {
    orbiome::testing::TempDir dir;
    // BOM, CRLF, comment and blank lines, spaces around a value, '+', "1." and ".25", -0, no
    // final newline, a final lone CR.
    auto const dm = read_distance_matrix(
        write(dir, "a.tsv", "\xEF\xBB\xBF\tA\tB\tC\r\n# note\r\n\r\nA\t-0\t 1.\t+.25\r\nB\t1\t0\t0.75 \nC\t0.25\t7.5e-1\t0\r"));
    EXPECT_EQ(dm.ids(), (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(dm(0, 1), 1.0);
    EXPECT_EQ(dm(0, 2), 0.25);
    EXPECT_EQ(dm(1, 2), 0.75);
    auto const one = read_distance_matrix(write(dir, "one.tsv", "\tA\nA\t0"));
    EXPECT_EQ(one.size(), 1u);
}

TEST(DistanceMatrixReader, MalformedFilesNameFileLineAndProblem) {
    orbiome::testing::TempDir dir;
    std::string const h = "\tA\tB\tC\n";
    std::string const a = "A\t0\t0.5\t0.25\n", b = "B\t0.5\t0\t0.75\n", c = "C\t0.25\t0.75\t0\n";
    struct Case {
        std::string name, text, message;
    };
    std::vector<Case> const cases = {
        {"ragged", h + "A\t0\t0.5\n" + b + c, ":2: row has 3 fields, expected 4"},
        {"extra_tab", h + a + "B\t0.5\t0\t0.75\t\n" + c, ":3: row has 5 fields, expected 4"},
        {"cr_inside", h + a + "B\t0.5\t0\t0.75\r" + c, ":3: row has 7 fields, expected 4"},
        {"more_rows", h + a + b + c + "D\t0\t0\t0\n", ":5: more rows than the header has samples"},
        {"fewer_rows", h + a + b, ":3: matrix has 2 rows but 3 columns"},
        {"row_id", h + a + "X\t0.5\t0\t0.75\n" + c, ":3: row id 'X' differs from column id 'B'"},
        {"comment_row", h + "#A\t0\t0.5\t0.25\n" + b + c, ":3: row id 'B' differs from column id 'A'"},
        {"nan", h + a + "B\t0.5\t0\tNaN\n" + c, ":3: distance to 'C': not a finite number: 'NaN'"},
        {"overflow", h + a + "B\t0.5\t0\t1e999\n" + c, ":3: distance to 'C': not a finite number: '1e999'"},
        {"hex", h + "A\t0\t0.5\t0x1\n" + b + c, ":2: distance to 'C': not a finite number: '0x1'"},
        {"negative", h + a + "B\t-0.5\t0\t0.75\n" + c, ":3: negative distance to 'A'"},
        {"diagonal", h + a + "B\t0.5\t0.1\t0.75\n" + c, ":3: non-zero diagonal for 'B'"},
        {"asymmetric", h + a + b + "C\t0.3\t0.7\t0\n", ":4: matrix is not symmetric: d('A','C') = 0.25 but d('C','A') = 0.3"},
        {"nul", h + a + std::string("B\t0.5\t0\t0.75\0\n", 15) + c, ":3: binary data (NUL byte) in a text file"},
        {"repeated_id", "\tA\tA\nA\t0\t0\nA\t0\t0\n", ":1: sample id 'A' repeated in the header"},
        {"empty", "\n# only\n", ":2: empty distance matrix"},
        // A ragged row is reported before an asymmetric pair above it.
        {"ragged_after_asymmetry", h + "A\t0\t0.5\t0.9\n" + b + "C\t0.25\t0.75\n", ":4: row has 3 fields, expected 4"},
    };
    for (auto const& k : cases) {
        std::string const path = write(dir, k.name + ".tsv", k.text);
        try {
            read_distance_matrix(path);
            ADD_FAILURE() << k.name << ": no error";
        } catch (ParseError const& e) {
            EXPECT_EQ(std::string(e.what()), path + k.message) << k.name;
        }
    }
}

}  // namespace
}  // namespace orbiome::ecology
