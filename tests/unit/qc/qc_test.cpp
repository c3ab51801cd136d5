#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "index/index.hpp"
#include "qc/qc.hpp"
#include "qc/trim.hpp"
#include "seqio/fastx.hpp"
#include "seqio/fastx_writer.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::TempDir;

namespace {

std::string slurp(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string random_dna(std::mt19937& rng, std::size_t n) {
    std::string s(n, 'A');
    for (auto& c : s) c = "ACGT"[rng() % 4];
    return s;
}

// Pairs of every kind the steps act on: clean long inserts, read-through into the adapter, low
// quality tails, N-rich and low-complexity reads.
void write_pairs(std::string const& p1, std::string const& p2, int n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    auto const ads = qc::builtin_adapters();
    std::string t1, t2;
    for (int i = 0; i < n; ++i) {
        std::size_t const insert = i % 5 == 0 ? 40 + rng() % 100 : 300;
        std::string frag = random_dna(rng, insert);
        if (i % 17 == 0) frag = std::string(insert, 'A');
        std::string rc(frag.rbegin(), frag.rend());
        for (auto& c : rc) c = qc::complement(c);
        std::string r1 = (frag + ads[0] + random_dna(rng, 150)).substr(0, 150);
        std::string r2 = (rc + ads[1] + random_dna(rng, 150)).substr(0, 150);
        if (i % 13 == 0)
            for (int j = 0; j < 10; ++j) r1[static_cast<std::size_t>(j * 7)] = 'N';
        std::string q1(150, 'F'), q2(150, 'F');
        if (i % 3 == 0)
            for (std::size_t j = 100 + rng() % 40; j < 150; ++j) q1[j] = '#';
        std::string const name = "p" + std::to_string(i);
        seqio::append_fastq(t1, name + "/1", {}, r1, q1);
        seqio::append_fastq(t2, name + "/2", {}, r2, q2);
    }
    std::ofstream(p1, std::ios::binary) << t1;
    std::ofstream(p2, std::ios::binary) << t2;
}

std::size_t count_records(std::string const& path) {
    seqio::FastxReader in(path);
    seqio::FastxRecord r;
    std::size_t n = 0;
    while (in.next(r)) ++n;
    return n;
}

}  // namespace

TEST(Qc, OutputIsByteIdenticalForAnyThreadCountAndCountsChain) {
    TempDir dir;
    write_pairs(dir.file("a_1.fq"), dir.file("a_2.fq"), 3000, 11);
    qc::QcOptions opt;
    opt.batch_bases = 20000;  // many batches, so order across threads matters
    std::string first_tsv;
    for (int threads : {1, 3}) {
        opt.n_threads = threads;
        std::string const out = dir.file("t" + std::to_string(threads));
        auto const res = qc::run_qc({"S1", dir.file("a_1.fq"), dir.file("a_2.fq"), out}, opt, nullptr);
        ASSERT_EQ(res.steps.size(), 7u);
        EXPECT_EQ(res.steps.front().reads_in, 6000u);
        for (std::size_t i = 0; i + 2 < res.steps.size(); ++i) {
            EXPECT_EQ(res.steps[i].reads_out, res.steps[i + 1].reads_in) << res.steps[i].step;
            EXPECT_EQ(res.steps[i].bases_out, res.steps[i + 1].bases_in) << res.steps[i].step;
        }
        auto const& total = res.steps.back();
        EXPECT_EQ(total.step, "total");
        EXPECT_LT(total.reads_out, total.reads_in);
        EXPECT_GT(total.reads_out, 3000u);
        EXPECT_EQ(res.steps[0].reads_out, 6000u);
        EXPECT_LT(res.steps[0].bases_out, res.steps[0].bases_in) << "adapters were trimmed";
        EXPECT_LT(res.steps[2].reads_out, res.steps[2].reads_in) << "short reads were removed";
        EXPECT_LT(res.steps[3].reads_out, res.steps[3].reads_in) << "N-rich reads were removed";
        EXPECT_LT(res.steps[4].reads_out, res.steps[4].reads_in) << "poly-A reads were removed";
        EXPECT_EQ(count_records(out + "/S1_R1.fastq.gz") * 2, total.reads_out);
        EXPECT_EQ(count_records(out + "/S1_R2.fastq.gz") * 2, total.reads_out);
        EXPECT_EQ(res.outputs.back(), out + "/S1.qc.tsv");
        if (threads == 1) {
            first_tsv = slurp(out + "/S1.qc.tsv");
        } else {
            EXPECT_EQ(slurp(out + "/S1.qc.tsv"), first_tsv);
            for (char const* f : {"/S1_R1.fastq.gz", "/S1_R2.fastq.gz"})
                EXPECT_EQ(slurp(out + f), slurp(dir.file("t1") + f)) << f;
        }
    }
}

TEST(Qc, AdapterTrimmedReadsEndWhereTheInsertEnds) {
    TempDir dir;
    std::mt19937 rng(3);
    auto const ads = qc::builtin_adapters();
    std::string const frag = random_dna(rng, 90);
    std::string rc(frag.rbegin(), frag.rend());
    for (auto& c : rc) c = qc::complement(c);
    std::string t1, t2;
    seqio::append_fastq(t1, "x/1", {}, (frag + ads[0] + random_dna(rng, 60)).substr(0, 150), std::string(150, 'I'));
    seqio::append_fastq(t2, "x/2", {}, (rc + ads[1] + random_dna(rng, 60)).substr(0, 150), std::string(150, 'I'));
    std::ofstream(dir.file("1.fq")) << t1;
    std::ofstream(dir.file("2.fq")) << t2;
    qc::run_qc({"s", dir.file("1.fq"), dir.file("2.fq"), dir.file("o")}, {}, nullptr);
    seqio::FastxReader in(dir.file("o/s_R1.fastq.gz"));
    seqio::FastxRecord r;
    ASSERT_TRUE(in.next(r));
    EXPECT_EQ(r.seq, frag);
}

TEST(Qc, ATruncatedInputLeavesNoOutputAndKeepsAnOlderRun) {
    TempDir dir;
    write_pairs(dir.file("a_1.fq"), dir.file("a_2.fq"), 2000, 5);
    qc::QcOptions opt;
    opt.batch_bases = 20000;
    std::string const out = dir.file("out");
    qc::run_qc({"S", dir.file("a_1.fq"), dir.file("a_2.fq"), out}, opt, nullptr);
    std::string const old_tsv = slurp(out + "/S.qc.tsv");
    // Mate 2 loses its last records' lines half-way through a record.
    std::string t2 = slurp(dir.file("a_2.fq"));
    t2.resize(t2.size() - 200);
    std::ofstream(dir.file("a_2.fq"), std::ios::binary | std::ios::trunc) << t2;
    for (int threads : {1, 2}) {
        opt.n_threads = threads;
        try {
            qc::run_qc({"S", dir.file("a_1.fq"), dir.file("a_2.fq"), out}, opt, nullptr);
            FAIL() << "truncated mate 2 accepted";
        } catch (Error const& e) {
            EXPECT_EQ(e.code(), Errc::data) << e.what();
            EXPECT_NE(std::string(e.what()).find("a_2.fq"), std::string::npos) << e.what();
        }
        EXPECT_EQ(slurp(out + "/S.qc.tsv"), old_tsv);
        for (auto const& f : std::filesystem::directory_iterator(out))
            EXPECT_EQ(f.path().string().find(".tmp."), std::string::npos) << f.path();
    }
}

TEST(Qc, RejectsFastaAndPhred64) {
    TempDir dir;
    std::ofstream(dir.file("a.fa")) << ">r1\nACGTACGTACGT\n";
    EXPECT_THROW(qc::run_qc({"S", dir.file("a.fa"), "", dir.file("o")}, {}, nullptr), ParseError);
    std::string t;
    for (int i = 0; i < 50; ++i) seqio::append_fastq(t, "r" + std::to_string(i), {}, std::string(60, 'A'), std::string(60, 'h'));
    std::ofstream(dir.file("p64.fq")) << t;
    try {
        qc::run_qc({"S", dir.file("p64.fq"), "", dir.file("o")}, {}, nullptr);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("phred+64"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(dir.file("o/S.qc.tsv")));
    std::ofstream(dir.file("bad.fq")) << "@r1\nACGT\n+\nII I\n";
    EXPECT_THROW(qc::run_qc({"S", dir.file("bad.fq"), "", dir.file("o")}, {}, nullptr), ParseError);
}

TEST(Qc, SingleEndReadsAreTrimmedAndCountedOnce) {
    TempDir dir;
    write_pairs(dir.file("a_1.fq"), dir.file("a_2.fq"), 500, 2);
    auto const res = qc::run_qc({"S", dir.file("a_1.fq"), "", dir.file("o")}, {}, nullptr);
    EXPECT_EQ(res.steps.front().reads_in, 500u);
    EXPECT_EQ(count_records(dir.file("o/S_R1.fastq.gz")), res.steps.back().reads_out);
    EXPECT_FALSE(std::filesystem::exists(dir.file("o/S_R2.fastq.gz")));
}

// Host calls pool both mates' minimizers: a pair is host when most of the pair matches the host,
// so a non-host pair with one mate in a region it shares with the host is kept (bench/QC.md:
// per-mate calls lost such E. coli pairs to a Salmonella host), while host pairs whose mates
// both match are removed, and so are single host reads.
TEST(Qc, HostCallsPoolBothMatesMinimizers) {
    TempDir dir;
    std::mt19937 rng(11);
    std::string const host = random_dna(rng, 20000);
    std::ofstream(dir.file("host.fa")) << ">h1\n" << host << "\n";
    index::BuildInput input;
    input.genome_files = {dir.file("host.fa")};
    input.seqid2taxid = {{"h1", 100}};
    input.taxonomy = {{1, 1, "no rank", "root"}, {100, 1, "species", "Host"}};
    auto const idx = index::Index::build(input, 1);

    std::vector<index::Minimizer> mins;
    auto const from_host = [&](std::size_t at, std::size_t n) { return host.substr(at, n); };
    qc::HostHits const shared = qc::host_hits(idx, from_host(1000, 100), mins);
    EXPECT_GT(shared.minimizers, 10u);
    EXPECT_EQ(shared.hits, shared.minimizers);
    qc::HostHits const other = qc::host_hits(idx, random_dna(rng, 150), mins);
    EXPECT_EQ(other.hits, 0u);
    EXPECT_TRUE(shared.host(0.5, 2));  // alone (a single read), it is host
    qc::HostHits pair = shared;
    pair += other;
    EXPECT_FALSE(pair.host(0.5, 2));   // with a non-host mate of 150 bases, the pair is not
    EXPECT_FALSE(qc::HostHits{}.host(0.0, 0));

    // The same through run_qc: pairs 0-9 host (both mates), 10-19 one 100-base mate shared with
    // the host and a 150-base non-host mate, 20-29 non-host; filters off.
    std::string t1, t2;
    for (std::size_t i = 0; i < 30; ++i) {
        std::string r1 = i < 20 ? from_host(500 * i, i < 10 ? 150 : 100) : random_dna(rng, 150);
        std::string r2 = i < 10 ? from_host(500 * i + 200, 150) : random_dna(rng, 150);
        std::string const name = "p" + std::to_string(i);
        seqio::append_fastq(t1, name + "/1", {}, r1, std::string(r1.size(), 'F'));
        seqio::append_fastq(t2, name + "/2", {}, r2, std::string(r2.size(), 'F'));
    }
    std::ofstream(dir.file("m_1.fq"), std::ios::binary) << t1;
    std::ofstream(dir.file("m_2.fq"), std::ios::binary) << t2;
    qc::QcOptions opt;
    opt.builtin_adapters = false;
    opt.pair_overlap = false;
    opt.min_quality = 0;
    opt.min_length = 1;
    opt.min_complexity = 0;
    opt.write_host = true;
    qc::run_qc({"M", dir.file("m_1.fq"), dir.file("m_2.fq"), dir.file("o")}, opt, &idx);
    EXPECT_EQ(count_records(dir.file("o/M_host_R1.fastq.gz")), 10u);
    EXPECT_EQ(count_records(dir.file("o/M_R2.fastq.gz")), 20u);
    seqio::FastxReader host_out(dir.file("o/M_host_R1.fastq.gz"));
    seqio::FastxRecord r;
    while (host_out.next(r)) EXPECT_LT(std::stoi(r.name.substr(1)), 10) << r.name;
}
