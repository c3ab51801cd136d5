#pragma once
// O(n·w) reference for index::MinimizerSketcher, written straight from the definition in
// src/index/minimizer.hpp: split at non-ACGT bases, hash every canonical k-mer (with a spaced
// seed: the k-mer and its reverse complement each with the wildcard positions read as A), take the
// leftmost smallest key of every window of w k-mers (one window of all k-mers when a run has
// fewer than w), and list each selected k-mer once in position order.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/minimizer.hpp"

namespace orbiome::testing {

inline std::vector<index::Minimizer> naive_minimizers(std::string_view seq, int k, int w, std::uint64_t seed,
                                                      std::uint32_t wildcards = 0) {
    auto const wild = [&](int pos) { return (wildcards >> pos & 1u) != 0; };
    auto const complement = [](char c) {
        switch (index::base_code(c)) {
            case 0: return 'T';
            case 1: return 'G';
            case 2: return 'C';
            default: return 'A';
        }
    };
    std::vector<index::Minimizer> out;
    std::size_t i = 0;
    while (i < seq.size()) {
        while (i < seq.size() && index::base_code(seq[i]) > 3) ++i;
        std::size_t const run_start = i;
        while (i < seq.size() && index::base_code(seq[i]) <= 3) ++i;
        std::size_t const run_len = i - run_start;
        if (run_len < static_cast<std::size_t>(k)) continue;
        std::vector<index::Minimizer> kmers;
        for (std::size_t s = run_start; s + static_cast<std::size_t>(k) <= i; ++s) {
            std::string const kmer(seq.substr(s, static_cast<std::size_t>(k)));
            std::string rc;
            for (auto it = kmer.rbegin(); it != kmer.rend(); ++it) rc.push_back(complement(*it));
            std::uint64_t fwd = 0, rev = 0;
            for (int j = 0; j < k; ++j) {
                auto const at = static_cast<std::size_t>(j);
                fwd = fwd << 2 | (wild(j) ? 0u : index::base_code(kmer[at]));
                rev = rev << 2 | (wild(j) ? 0u : index::base_code(rc[at]));
            }
            bool const strand = rev < fwd;
            kmers.push_back({index::hash_kmer(strand ? rev : fwd, seed),
                             static_cast<std::uint32_t>(s << 1 | (strand ? 1u : 0u))});
        }
        std::size_t const m = kmers.size();
        std::size_t const win = std::min<std::size_t>(static_cast<std::size_t>(w), m);
        for (std::size_t first = 0; first + win <= m; ++first) {
            std::size_t best = first;
            for (std::size_t j = first + 1; j < first + win; ++j)
                if (kmers[j].key < kmers[best].key) best = j;
            if (out.empty() || out.back().pos != kmers[best].pos) out.push_back(kmers[best]);
        }
    }
    return out;
}

}  // namespace orbiome::testing
