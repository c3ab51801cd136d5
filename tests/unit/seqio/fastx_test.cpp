#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <zlib.h>

#include "core/error.hpp"
#include "seqio/fastx.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::TempDir;

namespace {

void write_text(std::string const& path, std::string const& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string gzip_bytes(std::string const& text) {
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, static_cast<uLong>(text.size())) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

std::string fastq(int n, char const* suffix = "") {
    std::string s;
    for (int i = 1; i <= n; ++i)
        s += "@r" + std::to_string(i) + suffix + " comment\nACGTACGTNN\n+\nIIIIIIIIII\n";
    return s;
}

template <class F>
std::string parse_error_of(F&& f) {
    try {
        f();
    } catch (ParseError const& e) {
        return e.what();
    }
    return "no ParseError";
}

std::size_t count_records(std::string const& path) {
    seqio::FastxReader r(path);
    seqio::FastxRecord rec;
    std::size_t n = 0;
    while (r.next(rec)) ++n;
    return n;
}

}  // namespace

TEST(FastxReader, ReadsFastqRecordsAndSplitsTheHeader) {
    TempDir d;
    write_text(d.file("a.fq"), "@SRR1.1/1 len=10\r\nACGTN\r\n+SRR1.1\r\nIIII#\r\n\n");
    seqio::FastxReader r(d.file("a.fq"));
    seqio::FastxRecord rec;
    ASSERT_TRUE(r.next(rec));
    EXPECT_EQ(rec.name, "SRR1.1/1");
    EXPECT_EQ(rec.comment, "len=10");
    EXPECT_EQ(rec.seq, "ACGTN");
    EXPECT_EQ(rec.qual, "IIII#");
    EXPECT_TRUE(r.is_fastq());
    EXPECT_FALSE(r.next(rec));
    EXPECT_EQ(r.records(), 1u);
}

TEST(FastxReader, JoinsMultiLineFastaAndAllowsMissingFinalNewline) {
    TempDir d;
    write_text(d.file("g.fa"), ">chr1 E. coli\nACGT\nacgt\n\n>chr2\n>chr3\nTT");
    seqio::FastxReader r(d.file("g.fa"));
    seqio::FastxRecord rec;
    ASSERT_TRUE(r.next(rec));
    EXPECT_EQ(rec.name, "chr1");
    EXPECT_EQ(rec.seq, "ACGTacgt");
    EXPECT_TRUE(rec.qual.empty());
    ASSERT_TRUE(r.next(rec));
    EXPECT_EQ(rec.name, "chr2");
    EXPECT_EQ(rec.seq, "");
    ASSERT_TRUE(r.next(rec));
    EXPECT_EQ(rec.seq, "TT");
    EXPECT_FALSE(r.next(rec));
}

TEST(FastxReader, GzipAndPlainGiveTheSameRecords) {
    TempDir d;
    std::string const text = fastq(5000);
    write_text(d.file("a.fq"), text);
    write_text(d.file("a.fq.gz"), gzip_bytes(text));
    EXPECT_EQ(count_records(d.file("a.fq")), 5000u);
    EXPECT_EQ(count_records(d.file("a.fq.gz")), 5000u);
    // Two gzip members concatenated (as `cat a.gz b.gz`) are one stream of records.
    write_text(d.file("two.fq.gz"), gzip_bytes(fastq(3)) + gzip_bytes(fastq(4)));
    EXPECT_EQ(count_records(d.file("two.fq.gz")), 7u);
}

TEST(FastxReader, TruncatedGzipIsAnErrorNotAShorterRun) {
    TempDir d;
    std::string gz = gzip_bytes(fastq(20000));
    gz.resize(gz.size() / 2);
    write_text(d.file("cut.fq.gz"), gz);
    seqio::FastxReader r(d.file("cut.fq.gz"));
    seqio::FastxRecord rec;
    std::size_t n = 0;
    try {
        while (r.next(rec)) ++n;
        FAIL() << "truncated gzip read as " << n << " records without error";
    } catch (ParseError const& e) {
        std::string const msg = e.what();
        EXPECT_NE(msg.find("cut.fq.gz:"), std::string::npos) << msg;
        EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
        EXPECT_NE(e.hint().find("gzip -t"), std::string::npos);
        EXPECT_EQ(e.where().record, n + 1);
        EXPECT_LT(n, 20000u);
    }
}

TEST(FastxReader, QualityLengthMismatchNamesFileLineAndRecord) {
    TempDir d;
    write_text(d.file("q.fq"), fastq(2) + "@bad1 x\nACGTA\n+\nIIII\n");
    std::string const msg = parse_error_of([&] { count_records(d.file("q.fq")); });
    EXPECT_EQ(msg, d.file("q.fq") + ":12: record 3 ('bad1'): quality length 4 != sequence length 5");
}

TEST(FastxReader, MissingPlusLineIsAnError) {
    TempDir d;
    write_text(d.file("p.fq"), "@a\nACGT\nIIII\n@b\nACGT\n+\nIIII\n");
    std::string const msg = parse_error_of([&] { count_records(d.file("p.fq")); });
    EXPECT_EQ(msg, d.file("p.fq") +
                       ":3: record 1 ('a'): missing '+' line after the sequence (multi-line FASTQ is not supported)");
}

TEST(FastxReader, RecordCutShortInPlainFileIsAnError) {
    TempDir d;
    write_text(d.file("c.fq"), fastq(1) + "@r2\nACGT\n");
    std::string const msg = parse_error_of([&] { count_records(d.file("c.fq")); });
    EXPECT_EQ(msg, d.file("c.fq") + ":6: record 2 ('r2'): record cut short: end of file after the sequence "
                                    "(truncated file?)");
}

TEST(FastxReader, RejectsNonSequenceFilesAndMissingFiles) {
    TempDir d;
    write_text(d.file("x.txt"), "taxid\tname\n");
    EXPECT_EQ(parse_error_of([&] { count_records(d.file("x.txt")); }),
              d.file("x.txt") + ":1: record 1: not FASTA or FASTQ: a record must start with '>' or '@', found 't'");
    try {
        seqio::FastxReader r(d.file("absent.fq"));
        FAIL();
    } catch (IoError const& e) {
        EXPECT_EQ(e.code(), Errc::no_input);
    }
}

TEST(PairedReader, ReadsMatesInLockstep) {
    TempDir d;
    write_text(d.file("r1.fq"), fastq(3, "/1"));
    write_text(d.file("r2.fq.gz"), gzip_bytes(fastq(3, "/2")));
    seqio::PairedReader p(d.file("r1.fq"), d.file("r2.fq.gz"));
    seqio::ReadBatch b1, b2;
    ASSERT_EQ(p.next_batch(b1, b2, 1000), 3u);
    EXPECT_EQ(b1.size(), 3u);
    EXPECT_EQ(b2.size(), 3u);
    EXPECT_EQ(b1.name(2), "r3/1");
    EXPECT_EQ(b2.name(2), "r3/2");
    EXPECT_EQ(b2.seq(0), "ACGTACGTNN");
    EXPECT_EQ(b1.bases[b1.offsets[1] - 1], '\0');
    EXPECT_EQ(p.next_batch(b1, b2, 1000), 0u);
}

TEST(PairedReader, BatchesAreSizedInBasesAndNumberedGlobally) {
    TempDir d;
    write_text(d.file("r1.fq"), fastq(10));
    seqio::PairedReader p(d.file("r1.fq"), "");
    seqio::ReadBatch b1, b2;
    ASSERT_EQ(p.next_batch(b1, b2, 30), 3u);  // 11 bases per read counted with its separator
    ASSERT_EQ(p.next_batch(b1, b2, 30), 3u);
    EXPECT_EQ(b1.first_index, 3u);
    EXPECT_EQ(b1.name(0), "r4");
}

TEST(PairedReader, MateNameMismatchNamesTheSecondFile) {
    TempDir d;
    write_text(d.file("r1.fq"), fastq(3, "/1"));
    write_text(d.file("r2.fq"), "@r1/2\nA\n+\nI\n@r3/2\nA\n+\nI\n");
    seqio::PairedReader p(d.file("r1.fq"), d.file("r2.fq"));
    seqio::FastxRecord a, b;
    ASSERT_TRUE(p.next(a, b));
    std::string const msg = parse_error_of([&] { p.next(a, b); });
    EXPECT_EQ(msg, d.file("r2.fq") + ":8: record 2 ('r3/2'): mates out of step: name does not match 'r2/1' in " +
                       d.file("r1.fq"));
}

TEST(PairedReader, OneFileEndingEarlyIsAnError) {
    TempDir d;
    write_text(d.file("r1.fq"), fastq(3));
    write_text(d.file("r2.fq"), fastq(2));
    seqio::PairedReader p(d.file("r1.fq"), d.file("r2.fq"));
    seqio::FastxRecord a, b;
    ASSERT_TRUE(p.next(a, b));
    ASSERT_TRUE(p.next(a, b));
    std::string const msg = parse_error_of([&] { p.next(a, b); });
    EXPECT_EQ(msg, d.file("r2.fq") + ":8: record 3: mates out of step: file ends after 2 records but " +
                       d.file("r1.fq") + " has more");
}

TEST(PairedReader, SkipPolicyDropsAFragmentWithAMalformedMateAndNamesTheFirst) {
    TempDir d;
    // Fragment 2's mate 2 and fragment 4's mate 1 have a quality line one base short.
    write_text(d.file("r1.fq"), fastq(3, "/1") + "@r4/1\nACGT\n+\nIII\n" + "@r5/1\nACGT\n+\nIIII\n");
    write_text(d.file("r2.fq"), "@r1/2\nAC\n+\nII\n@r2/2\nACG\n+\nII\n@r3/2\nA\n+\nI\n@r4/2\nA\n+\nI\n@r5/2\nA\n+\nI\n");
    seqio::PairedReader p(d.file("r1.fq"), d.file("r2.fq"), seqio::OnInvalid::skip);
    seqio::FastxRecord a, b;
    std::vector<std::string> kept;
    while (p.next(a, b)) kept.push_back(a.name + "," + b.name);
    EXPECT_EQ(kept, (std::vector<std::string>{"r1/1,r1/2", "r3/1,r3/2", "r5/1,r5/2"}));
    EXPECT_EQ(p.n_fragments(), 3u);
    EXPECT_EQ(p.n_skipped(), 2u);
    EXPECT_EQ(p.first_skipped(), d.file("r2.fq") + ":8: record 2 ('r2/2')");
    // The default policy stops at the first one.
    seqio::PairedReader strict(d.file("r1.fq"), d.file("r2.fq"));
    ASSERT_TRUE(strict.next(a, b));
    EXPECT_EQ(parse_error_of([&] { strict.next(a, b); }),
              d.file("r2.fq") + ":8: record 2 ('r2/2'): quality length 2 != sequence length 3");
}

TEST(PairedReader, SkipPolicyStillStopsAtMatesOutOfStepAndTruncation) {
    TempDir d;
    write_text(d.file("r1.fq"), fastq(2, "/1"));
    write_text(d.file("r2.fq"), "@r1/2\nAC\n+\nI\n@rX/2\nA\n+\nI\n");
    seqio::PairedReader p(d.file("r1.fq"), d.file("r2.fq"), seqio::OnInvalid::skip);
    seqio::FastxRecord a, b;
    // Fragment 1 is skipped (mate 2 malformed); fragment 2's names differ, which still stops.
    EXPECT_EQ(parse_error_of([&] { p.next(a, b); }),
              d.file("r2.fq") + ":8: record 2 ('rX/2'): mates out of step: name does not match 'r2/1' in " +
                  d.file("r1.fq"));
    EXPECT_EQ(p.n_skipped(), 1u);
    write_text(d.file("cut.fq"), fastq(2) + "@r3\nACGT\n+\n");
    seqio::PairedReader cut(d.file("cut.fq"), "", seqio::OnInvalid::skip);
    ASSERT_TRUE(cut.next(a, b));
    ASSERT_TRUE(cut.next(a, b));
    EXPECT_NE(parse_error_of([&] { cut.next(a, b); }).find("record cut short"), std::string::npos);
}

TEST(MateBaseName, StripsOnlyMateSuffixes) {
    EXPECT_EQ(seqio::mate_base_name("SRR1.5/1"), "SRR1.5");
    EXPECT_EQ(seqio::mate_base_name("SRR1.5/2"), "SRR1.5");
    EXPECT_EQ(seqio::mate_base_name("SRR1.5/3"), "SRR1.5/3");
    EXPECT_EQ(seqio::mate_base_name("r"), "r");
}

// Read-ahead (a thread inflating the next chunks) changes when bytes are read, never what is
// read: the same records from a multi-MiB gzip file, the same error at the same record from a
// truncated one and from a corrupt one, also when reading goes on after the error, and a reader
// dropped half-way stops its thread.
TEST(FastxReader, ReadAheadGivesTheSameRecordsAndErrors) {
    TempDir d;
    std::string const text = fastq(120000);  // about 5 MB: more than the read-ahead holds
    write_text(d.file("a.fq.gz"), gzip_bytes(text));
    std::string cut = gzip_bytes(text);
    cut.resize(cut.size() / 2);
    write_text(d.file("cut.fq.gz"), cut);
    std::string bad = gzip_bytes(text);
    for (std::size_t i = bad.size() / 3; i < bad.size() / 3 + 64; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    write_text(d.file("bad.fq.gz"), bad);

    auto const read_all = [&](std::string const& path, bool ahead) {
        seqio::FastxReader r(path, seqio::OnInvalid::fail, ahead);
        seqio::FastxRecord rec;
        std::string names;
        try {
            while (r.next(rec)) names += rec.name + ',';
        } catch (ParseError const& e) {
            names += std::string("error: ") + e.what();
            // Asked again after the error, it fails again rather than waiting or ending cleanly.
            try {
                r.next(rec);
                names += " then a record";
            } catch (Error const&) {
                names += " then an error";
            }
        }
        return names;
    };
    for (char const* f : {"a.fq.gz", "cut.fq.gz", "bad.fq.gz"}) {
        std::string const plain = read_all(d.file(f), false);
        EXPECT_EQ(read_all(d.file(f), true), plain) << f;
        EXPECT_EQ(plain.find("error: ") == std::string::npos, std::string(f) == "a.fq.gz") << f;
    }
    {
        seqio::FastxReader r(d.file("a.fq.gz"), seqio::OnInvalid::fail, true);
        seqio::FastxRecord rec;
        ASSERT_TRUE(r.next(rec));
    }  // destroyed with the read-ahead thread blocked on full buffers: must join, not hang
}
