// Parity with q2-dada2's own expected outputs (tests/data/expected of q2-dada2 2022.11, made by
// DADA2): same ASVs (MD5 ids), same per-sample counts, same denoising stats. The q2 plugin's
// run_dada.R options are used: single trunc_len 100, paired 150/150, maxEE 2, truncQ 2,
// minFoldParentOverAbundance 1.0, learnErrors(nreads = 1e6). Skips without ../shared/data.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "amplicon/denoise.hpp"
#include "amplicon/md5.hpp"

namespace orbiome::amplicon {
namespace {

namespace fs = std::filesystem;

std::string q2_dir() { return std::string(ORBIOME_TEST_DATA) + "/../../../shared/data/amplicon/q2_dada2_tests/"; }

std::vector<SampleInput> q2_samples(std::string const& sub, bool paired) {
    std::vector<std::string> files;
    for (auto const& e : fs::directory_iterator(q2_dir() + sub)) {
        std::string const name = e.path().filename().string();
        if (name.find("_R1_001.fastq.gz") != std::string::npos) files.push_back(name);
    }
    std::sort(files.begin(), files.end());  // R's list.files order
    std::vector<SampleInput> out;
    for (auto const& f : files) {
        SampleInput s{f.substr(0, f.find('_')), q2_dir() + sub + "/" + f, ""};
        if (paired) {
            std::string r = f;
            r.replace(r.find("_R1_001"), 7, "_R2_001");
            s.reads2 = q2_dir() + sub + "/" + r;
        }
        out.push_back(s);
    }
    return out;
}

DenoiseOptions q2_options(std::size_t trunc_f, std::size_t trunc_r) {
    DenoiseOptions o;
    o.filter.fwd.trunc_len = trunc_f;
    o.filter.rev.trunc_len = trunc_r;
    o.filter.fwd.max_ee = o.filter.rev.max_ee = 2;
    o.bimera.min_fold_parent_over_abundance = 1.0;
    o.learn_reads = 1e6;
    o.threads = 2;
    return o;
}

// feature id -> sample -> count, from q2's "Constructed from biom file" TSV.
std::map<std::string, std::map<std::string, long>> read_q2_table(std::string const& path) {
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> samples;
    std::map<std::string, std::map<std::string, long>> out;
    while (std::getline(in, line)) {
        if (line.rfind("# Constructed", 0) == 0) continue;
        std::stringstream ss(line);
        std::string cell;
        std::vector<std::string> cells;
        while (std::getline(ss, cell, '\t')) cells.push_back(cell);
        if (line.rfind("#OTU ID", 0) == 0) {
            samples.assign(cells.begin() + 1, cells.end());
            continue;
        }
        for (std::size_t k = 1; k < cells.size(); ++k) {
            long const v = std::lround(std::stod(cells[k]));
            if (v != 0) out[cells[0]][samples[k - 1]] = v;
        }
    }
    return out;
}

std::map<std::string, std::map<std::string, long>> our_table(DenoiseResult const& r) {
    std::map<std::string, std::map<std::string, long>> out;
    for (std::size_t j = 0; j < r.table.seqs.size(); ++j)
        for (std::size_t i = 0; i < r.sample_ids.size(); ++i)
            if (r.table.counts[i][j] != 0)
                out[md5_hex(r.table.seqs[j])][r.sample_ids[i]] = static_cast<long>(r.table.counts[i][j]);
    return out;
}

// sample -> stats columns named as q2 (input, filtered, denoised, [merged], non-chimeric).
std::map<std::string, std::map<std::string, long>> read_q2_stats(std::string const& path) {
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> head;
    std::map<std::string, std::map<std::string, long>> out;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string cell;
        std::vector<std::string> cells;
        while (std::getline(ss, cell, '\t')) cells.push_back(cell);
        if (head.empty()) {
            head = cells;
            continue;
        }
        if (cells[0] == "#q2:types") continue;
        for (std::size_t k = 1; k < cells.size(); ++k)
            if (head[k].find("percentage") == std::string::npos) out[cells[0]][head[k]] = std::stol(cells[k]);
    }
    return out;
}

void expect_stats(DenoiseResult const& r, std::string const& path, bool paired) {
    auto const want = read_q2_stats(path);
    ASSERT_EQ(want.size(), r.stats.size());
    for (auto const& s : r.stats) {
        auto const& w = want.at(s.id);
        EXPECT_EQ(static_cast<long>(s.input), w.at("input")) << s.id;
        EXPECT_EQ(static_cast<long>(s.filtered), w.at("filtered")) << s.id;
        EXPECT_EQ(static_cast<long>(s.denoised), w.at("denoised")) << s.id;
        if (paired) {
            EXPECT_EQ(static_cast<long>(s.merged), w.at("merged")) << s.id;
        }
        EXPECT_EQ(static_cast<long>(s.non_chimeric), w.at("non-chimeric")) << s.id;
    }
}

TEST(Q2Dada2Parity, SingleDefault) {
    if (!fs::exists(q2_dir() + "expected")) GTEST_SKIP() << "../shared/data/amplicon/q2_dada2_tests absent";
    DenoiseResult const r = denoise(q2_samples("sample_seqs_single", false), q2_options(100, 0));
    EXPECT_EQ(our_table(r), read_q2_table(q2_dir() + "expected/single-default.tsv"));
    expect_stats(r, q2_dir() + "expected/single-default-stats.tsv", false);
}

TEST(Q2Dada2Parity, SinglePseudo) {
    if (!fs::exists(q2_dir() + "expected")) GTEST_SKIP() << "../shared/data/amplicon/q2_dada2_tests absent";
    DenoiseOptions o = q2_options(100, 0);
    o.pool = Pool::pseudo;
    DenoiseResult const r = denoise(q2_samples("sample_seqs_single", false), o);
    EXPECT_EQ(our_table(r), read_q2_table(q2_dir() + "expected/single-pseudo.tsv"));
    expect_stats(r, q2_dir() + "expected/single-pseudo-stats.tsv", false);
}

TEST(Q2Dada2Parity, PairedDefault) {
    if (!fs::exists(q2_dir() + "expected")) GTEST_SKIP() << "../shared/data/amplicon/q2_dada2_tests absent";
    DenoiseResult const r = denoise(q2_samples("sample_seqs_paired", true), q2_options(150, 150));
    EXPECT_EQ(our_table(r), read_q2_table(q2_dir() + "expected/paired-default.tsv"));
    expect_stats(r, q2_dir() + "expected/paired-default-stats.tsv", true);
}

TEST(Q2Dada2Parity, ThreadCountDoesNotChangeTheResult) {
    if (!fs::exists(q2_dir() + "expected")) GTEST_SKIP() << "../shared/data/amplicon/q2_dada2_tests absent";
    DenoiseOptions o = q2_options(100, 0);
    o.threads = 1;
    DenoiseResult const a = denoise(q2_samples("sample_seqs_single", false), o);
    o.threads = 3;
    DenoiseResult const b = denoise(q2_samples("sample_seqs_single", false), o);
    EXPECT_EQ(a.table.seqs, b.table.seqs);
    EXPECT_EQ(a.table.counts, b.table.counts);
    EXPECT_EQ(a.err_fwd.err, b.err_fwd.err);
}

}  // namespace
}  // namespace orbiome::amplicon
