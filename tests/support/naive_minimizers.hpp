#pragma once
// O(n·w) reference for index::MinimizerSketcher, written straight from the definition in
// src/index/minimizer.hpp: split at non-ACGT bases, hash every canonical k-mer, take the
// leftmost smallest key of every window of w k-mers (one window of all k-mers when a run has
// fewer than w), and list each selected k-mer once in position order.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/minimizer.hpp"

namespace orbiome::testing {

inline std::vector<index::Minimizer> naive_minimizers(std::string_view seq, int k, int w, std::uint64_t seed) {
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
            std::uint64_t fwd = 0, rev = 0;
            for (int j = 0; j < k; ++j) {
                std::uint64_t const c = index::base_code(seq[s + static_cast<std::size_t>(j)]);
                fwd = fwd << 2 | c;
                rev |= (3 - c) << (2 * j);
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
