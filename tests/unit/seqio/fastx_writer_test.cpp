#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "seqio/fastx.hpp"
#include "seqio/fastx_writer.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::TempDir;

namespace {

std::vector<seqio::FastxRecord> sample_records(int n, bool fastq) {
    std::vector<seqio::FastxRecord> v;
    char const* bases = "ACGTN";
    for (int i = 0; i < n; ++i) {
        seqio::FastxRecord r;
        r.name = "read" + std::to_string(i);
        r.comment = i % 3 == 0 ? "" : "1:N:0:" + std::to_string(i);
        int const len = 1 + (i * 37) % 151;
        for (int j = 0; j < len; ++j) r.seq += bases[(i * 7 + j * 13) % 5];
        if (fastq)
            for (int j = 0; j < len; ++j) r.qual += static_cast<char>('!' + (i + j) % 42);
        v.push_back(r);
    }
    return v;
}

std::vector<seqio::FastxRecord> read_all(std::string const& path) {
    seqio::FastxReader in(path);
    std::vector<seqio::FastxRecord> out;
    seqio::FastxRecord r;
    while (in.next(r)) out.push_back(r);
    return out;
}

void expect_same(std::vector<seqio::FastxRecord> const& a, std::vector<seqio::FastxRecord> const& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].name, b[i].name) << i;
        EXPECT_EQ(a[i].comment, b[i].comment) << i;
        EXPECT_EQ(a[i].seq, b[i].seq) << i;
        EXPECT_EQ(a[i].qual, b[i].qual) << i;
    }
}

std::string slurp(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST(FastxWriter, CompressionFollowsTheFileName) {
    EXPECT_EQ(seqio::compression_for("a.fastq.gz"), seqio::Compression::gzip);
    EXPECT_EQ(seqio::compression_for("a.fastq"), seqio::Compression::plain);
    EXPECT_EQ(seqio::compression_for("gz"), seqio::Compression::plain);
}

TEST(FastxWriter, RoundTripsPlainAndGzipFastqAndFasta) {
    TempDir dir;
    // 30000 records span several 1 MiB blocks, so multi-member gzip is read back too.
    for (bool fastq : {true, false})
        for (char const* ext : {".fq", ".fq.gz"}) {
            auto const recs = sample_records(fastq ? 30000 : 50, fastq);
            std::string const path = dir.file(std::string("out") + (fastq ? "q" : "a") + ext);
            {
                seqio::FastxWriter w(path);
                for (auto const& r : recs) w.write(r);
                EXPECT_FALSE(std::filesystem::exists(path)) << "visible before commit";
                w.commit();
            }
            expect_same(read_all(path), recs);
            bool const is_gz = slurp(path).rfind("\x1f\x8b", 0) == 0;
            EXPECT_EQ(is_gz, std::string(ext) == ".fq.gz") << path;
        }
}

TEST(FastxWriter, EncodedMembersAndTextKeepTheirOrder) {
    TempDir dir;
    auto const recs = sample_records(10, true);
    std::string const path = dir.file("mixed.fq.gz");
    {
        seqio::FastxWriter w(path);
        w.write(recs[0]);
        std::string text, member;
        for (int i = 1; i < 5; ++i) seqio::append_fastq(text, recs[i].name, recs[i].comment, recs[i].seq, recs[i].qual);
        seqio::gzip_member(text, member);
        w.write_encoded(member);
        for (int i = 5; i < 10; ++i) w.write(recs[i]);
        w.commit();
    }
    expect_same(read_all(path), recs);
}

TEST(FastxWriter, GzipMemberIsDeterministic) {
    std::string text(100000, 'A');
    for (std::size_t i = 0; i < text.size(); i += 7) text[i] = 'C';
    std::string a, b;
    seqio::gzip_member(text, a, 1);
    seqio::gzip_member(text, b, 1);
    EXPECT_EQ(a, b);
    EXPECT_LT(a.size(), text.size() / 4);
}

TEST(FastxWriter, NothingAppearsWithoutCommitAndAnOldFileSurvives) {
    TempDir dir;
    std::string const path = dir.file("keep.fq.gz");
    std::ofstream(path) << "old contents\n";
    try {
        seqio::FastxWriter w(path);
        for (auto const& r : sample_records(20000, true)) w.write(r);  // several blocks reach the temporary
        throw std::runtime_error("a later step fails");
    } catch (std::runtime_error const&) {
    }
    EXPECT_EQ(slurp(path), "old contents\n");
    for (auto const& e : std::filesystem::directory_iterator(dir.path()))
        EXPECT_EQ(e.path().filename().string(), "keep.fq.gz") << "temporary left behind";
}

TEST(FastxWriter, AFailedWriteIsAnIoErrorAtOnce) {
    if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    seqio::FastxWriter w("/dev/full", seqio::Compression::plain);
    auto const recs = sample_records(20000, true);
    try {
        for (auto const& r : recs) w.write(r);
        w.commit();
        FAIL() << "writing to /dev/full succeeded";
    } catch (Error const& e) {
        EXPECT_EQ(e.code(), Errc::io);
        EXPECT_NE(std::string(e.what()).find("/dev/full"), std::string::npos) << e.what();
    }
}

TEST(FastxWriter, AMissingDirectoryIsAnIoError) {
    TempDir dir;
    try {
        seqio::FastxWriter w(dir.file("no/such/dir/x.fq"));
        FAIL();
    } catch (Error const& e) {
        EXPECT_EQ(e.code(), Errc::io);
    }
}
