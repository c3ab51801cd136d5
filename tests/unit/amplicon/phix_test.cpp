// is_phix (DADA2's isPhiX: >= 2 non-overlapping 16-mer hits to phiX174 on one strand, the next
// window starting 17 after a hit) against a direct window-by-window count, on reads cut from
// either strand of the genome with substitutions and Ns, and on random reads.
#include <array>
#include <random>
#include <string>
#include <unordered_set>

#include <gtest/gtest.h>

#include "amplicon/filter.hpp"

namespace orbiome::amplicon {
namespace {

std::string revcomp(std::string s) {
    std::string r(s.rbegin(), s.rend());
    for (char& c : r) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : c == 'T' ? 'A' : c;
    return r;
}

// The oracle: every 16-base window compared as a string with the circular genome's 16-mers.
bool naive_is_phix(std::string const& read) {
    static auto const words = [] {
        std::unordered_set<std::string> w[2];
        for (int s = 0; s < 2; ++s) {
            std::string g(phix_genome());
            if (s) g = revcomp(g);
            std::size_t const n = g.size();
            g += g.substr(0, 16);
            for (std::size_t i = 0; i < n; ++i) w[s].insert(g.substr(i, 16));
        }
        return std::array<std::unordered_set<std::string>, 2>{w[0], w[1]};
    }();
    for (auto const& set : words) {
        int hits = 0;
        for (std::size_t j = 0; j + 16 <= read.size(); ++j)
            if (set.count(read.substr(j, 16))) {
                ++hits;
                j += 16;
            }
        if (hits >= 2) return true;
    }
    return false;
}

TEST(Phix, SameCallsAsWindowByWindowCount) {
    std::mt19937 rng(17);
    std::string const g(phix_genome());
    std::uniform_int_distribution<std::size_t> start(0, g.size() - 300);
    std::uniform_real_distribution<double> u(0, 1);
    int positives = 0, negatives = 0;
    for (int rep = 0; rep < 3000; ++rep) {
        std::string read;
        if (rep % 3 == 2) {
            for (int k = 0; k < 150; ++k) read += "ACGT"[rng() % 4];
        } else {
            read = g.substr(start(rng), 20 + rep % 250);
            if (rep % 2) read = revcomp(read);
            double const rate = (rep % 7) * 0.02;  // up to 12% changes: hits become rare
            for (char& c : read)
                if (u(rng) < rate) c = "ACGTN"[rng() % 5];
        }
        bool const want = naive_is_phix(read);
        ASSERT_EQ(is_phix(read), want) << read;
        (want ? positives : negatives)++;
    }
    EXPECT_GT(positives, 500);
    EXPECT_GT(negatives, 500);
}

}  // namespace
}  // namespace orbiome::amplicon
