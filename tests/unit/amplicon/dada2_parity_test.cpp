// Parity with DADA2 1.26 on its own extdata reads (sam1/sam2, truncLen 240,160, maxEE 2): the
// outputs frozen in tests/parity/dada2/extdata by extdata.R (see PROVENANCE.md). The reads live
// in ../shared/data; these tests skip without it.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "amplicon/dada.hpp"
#include "amplicon/derep.hpp"
#include "amplicon/errors.hpp"
#include "amplicon/filter.hpp"
#include "amplicon/reads.hpp"

namespace orbiome::amplicon {
namespace {

std::string parity(std::string const& f) { return std::string(ORBIOME_TEST_DATA) + "/../parity/dada2/extdata/" + f; }
std::string reads_dir() { return std::string(ORBIOME_TEST_DATA) + "/../../../shared/data/amplicon/dada2_extdata/"; }

#define SKIP_WITHOUT_READS()                                                             \
    do {                                                                                 \
        if (!std::filesystem::exists(reads_dir() + "sam1F.fastq.gz"))                    \
            GTEST_SKIP() << "../shared/data/amplicon/dada2_extdata absent";              \
    } while (0)

std::vector<std::vector<std::string>> read_tsv(std::string const& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << path;
    std::vector<std::vector<std::string>> rows;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> row;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, '\t')) row.push_back(cell);
        rows.push_back(row);
    }
    return rows;
}

ErrorMatrix read_err(std::string const& path) {
    auto rows = read_tsv(path);
    ErrorMatrix e{rows.at(0).size() - 1, {}};
    for (auto const& r : rows)
        for (std::size_t q = 1; q < r.size(); ++q) e.v.push_back(std::stod(r[q]));
    return e;
}

FilterOptions golden_filter() {
    FilterOptions o;
    o.fwd.trunc_len = 240;
    o.rev.trunc_len = 160;
    o.fwd.max_ee = o.rev.max_ee = 2;
    return o;
}

SampleReads filtered(int s) {
    auto reads = read_sample(reads_dir() + "sam" + std::to_string(s) + "F.fastq.gz",
                             reads_dir() + "sam" + std::to_string(s) + "R.fastq.gz");
    filter_and_trim(reads, golden_filter());
    return reads;
}

TEST(Dada2Parity, FilterKeepsTheSameReads) {
    SKIP_WITHOUT_READS();
    for (int s : {1, 2}) {
        SampleReads r = filtered(s);
        std::ifstream in(parity("kept_ids.sam" + std::to_string(s) + ".txt"));
        std::vector<std::string> want;
        for (std::string line; std::getline(in, line);) want.push_back(line.substr(0, line.find(' ')));
        ASSERT_EQ(r.fwd.size(), want.size()) << "sam" << s;
        for (std::size_t i = 0; i < want.size(); ++i) ASSERT_EQ(r.fwd[i].name, want[i]) << i;
        for (auto const& rd : r.fwd) EXPECT_EQ(rd.seq.size(), 240u);
        for (auto const& rd : r.rev) EXPECT_EQ(rd.seq.size(), 160u);
    }
}

TEST(Dada2Parity, LoessErrfunMatchesOnDada2sTransitions) {
    for (std::string dir : {"fwd", "rev"}) {
        auto rows = read_tsv(parity("trans." + dir + ".tsv"));
        TransitionCounts t{rows.at(0).size() - 1, {}};
        for (auto const& r : rows)
            for (std::size_t q = 1; q < r.size(); ++q) t.v.push_back(std::stoull(r[q]));
        ErrorMatrix const got = loess_errfun(t);
        ErrorMatrix const want = read_err(parity("errors." + dir + ".tsv"));
        ASSERT_EQ(got.ncol, want.ncol);
        double worst = 0;
        for (std::size_t k = 0; k < got.v.size(); ++k)
            worst = std::max(worst, std::abs(got.v[k] - want.v[k]) / want.v[k]);
        EXPECT_LT(worst, 1e-9) << dir;
    }
}

TEST(Dada2Parity, DadaWithDada2sErrorsGivesTheSameAsvs) {
    SKIP_WITHOUT_READS();
    for (int s : {1, 2}) {
        SampleReads r = filtered(s);
        for (std::string dir : {"F", "R"}) {
            Derep const d = dereplicate(dir == "F" ? r.fwd : r.rev);
            ErrorMatrix const err = read_err(parity(std::string("errors.") + (dir == "F" ? "fwd" : "rev") + ".tsv"));
            DadaResult const res = dada_uniques(d, extend_columns(err, max_quality(d) + 1), DadaOptions{});
            auto want = read_tsv(parity("dada.sam" + std::to_string(s) + dir + ".tsv"));
            ASSERT_EQ(res.asv.size(), want.size()) << "sam" << s << dir;
            for (std::size_t i = 0; i < want.size(); ++i) {
                EXPECT_EQ(res.asv[i], want[i][0]) << "sam" << s << dir << " ASV " << i;
                EXPECT_EQ(res.abundance[i], std::stoul(want[i][1])) << "sam" << s << dir << " ASV " << i;
                EXPECT_EQ(res.n0[i], std::stoul(want[i][2])) << "sam" << s << dir << " ASV " << i;
            }
        }
    }
}

TEST(Dada2Parity, LearnErrorsWithin1e6) {
    SKIP_WITHOUT_READS();
    SampleReads r1 = filtered(1), r2 = filtered(2);
    for (std::string dir : {"fwd", "rev"}) {
        Derep const d1 = dereplicate(dir == "fwd" ? r1.fwd : r1.rev);
        Derep const d2 = dereplicate(dir == "fwd" ? r2.fwd : r2.rev);
        LearnResult const lr = learn_errors({&d1, &d2}, DadaOptions{}, 1);
        ErrorMatrix const want = read_err(parity("errors." + dir + ".tsv"));
        ASSERT_EQ(lr.err.ncol, want.ncol);
        double worst = 0;
        for (std::size_t k = 0; k < want.v.size(); ++k) worst = std::max(worst, std::abs(lr.err.v[k] - want.v[k]));
        EXPECT_LT(worst, 1e-6) << dir;
        EXPECT_EQ(lr.n_reads, 2030u);
        EXPECT_TRUE(lr.converged);
        if (dir == "fwd") {
            EXPECT_EQ(lr.rounds, 3);
        }
    }
}

}  // namespace
}  // namespace orbiome::amplicon
