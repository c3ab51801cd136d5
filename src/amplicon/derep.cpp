#include "amplicon/derep.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace orbiome::amplicon {

std::uint64_t Derep::n_reads() const noexcept {
    return std::accumulate(abund.begin(), abund.end(), std::uint64_t{0});
}

Derep dereplicate(std::vector<Read> const& reads) {
    std::unordered_map<std::string_view, std::uint32_t> index;
    std::vector<std::string_view> seqs;
    std::vector<std::uint32_t> count;
    std::vector<std::vector<double>> qsum;
    std::vector<std::uint32_t> first_map(reads.size());
    for (std::size_t i = 0; i < reads.size(); ++i) {
        auto [it, fresh] = index.try_emplace(reads[i].seq, static_cast<std::uint32_t>(seqs.size()));
        if (fresh) {
            seqs.push_back(reads[i].seq);
            count.push_back(0);
            qsum.emplace_back(reads[i].seq.size(), 0.0);
        }
        std::uint32_t const u = it->second;
        ++count[u];
        // Integer sums are exact in double; DADA2 sums then divides once, as here.
        for (std::size_t p = 0; p < reads[i].qual.size(); ++p) qsum[u][p] += reads[i].qual[p];
        first_map[i] = u;
    }
    std::vector<std::uint32_t> order(seqs.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (count[a] != count[b]) return count[a] > count[b];
        return seqs[a] < seqs[b];
    });
    std::vector<std::uint32_t> rank(seqs.size());
    Derep d;
    d.seqs.reserve(seqs.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        std::uint32_t const u = order[k];
        rank[u] = static_cast<std::uint32_t>(k);
        d.seqs.emplace_back(seqs[u]);
        d.abund.push_back(count[u]);
        std::vector<double> q = std::move(qsum[u]);
        for (double& v : q) v /= count[u];
        d.quals.push_back(std::move(q));
    }
    d.map.resize(reads.size());
    for (std::size_t i = 0; i < reads.size(); ++i) d.map[i] = rank[first_map[i]];
    return d;
}

}  // namespace orbiome::amplicon
