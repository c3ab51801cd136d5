#pragma once
/// \file dada.hpp
/// The DADA2 1.26 divisive partitioning of one sample's unique sequences (dada_uniques in
/// DADA2's src/Rmain.cpp, cluster.cpp, pval.cpp), reimplemented: same constants, same order of
/// comparisons, same tie rules, so the same ASVs, abundances and read maps come out.

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "amplicon/derep.hpp"

namespace orbiome::amplicon {

/// A 16 x ncol error matrix: row = 4 * from + to (A,C,G,T), column = rounded Phred score.
struct ErrorMatrix {
    std::size_t ncol = 0;
    std::vector<double> v;  ///< row-major, 16 * ncol
    double operator()(std::size_t row, std::size_t q) const noexcept { return v[row * ncol + q]; }
    double& operator()(std::size_t row, std::size_t q) noexcept { return v[row * ncol + q]; }
    static ErrorMatrix ones(std::size_t ncol) { return {ncol, std::vector<double>(16 * ncol, 1.0)}; }
    bool operator==(ErrorMatrix const&) const = default;
};

/// Transition counts (16 x ncol), the input of the error model.
struct TransitionCounts {
    std::size_t ncol = 0;
    std::vector<std::uint64_t> v;
};

/// DADA2's dada options (setDadaOpt defaults).
struct DadaOptions {
    double omega_a = 1e-40;
    double omega_p = 1e-4;
    double omega_c = 1e-40;
    double kdist_cutoff = 0.42;
    int band = 16;
    int match = 5, mismatch = -4, gap = -8;
    int max_clust = 0;  ///< 0 = no limit
    bool detect_singletons = false;
};

struct DadaResult {
    std::vector<std::string> asv;           ///< ASV sequences in birth order
    std::vector<std::uint32_t> abundance;   ///< reads of corrected uniques in each ASV
    std::vector<std::uint32_t> n0;          ///< reads identical to the ASV
    std::vector<std::int32_t> map;          ///< unique -> ASV index, -1 if left uncorrected
    std::vector<double> birth_pval;
    TransitionCounts trans;                 ///< centre -> read transitions by read quality
};

/// Alignments of one sample's uniques already made, per centre unique. They depend only on the
/// sequences, so learnErrors' rounds, which re-partition the same uniques with new error rates,
/// and the final dada on the same sample reuse them. `compared[centre][unique]` is the offset in
/// `pool` of a comparison (k-mer screen, gapless shortcut or banded alignment), `aligned` that
/// of the full banded alignment of a unique to its ASV's centre that the transition counts come
/// from; kUnknown / kScreened otherwise. Dense per centre (a centre meets every unique), so a
/// lookup is an index, not a hash. Not thread-safe: one per sample.
struct AlignCache {
    static constexpr std::uint32_t kUnknown = 0xffffffffu, kScreened = 0xfffffffeu;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> compared, aligned;
    std::vector<std::uint32_t> pool;
};

/// Partitions the uniques of `d` with error model `err` (columns must cover the highest
/// rounded quality). `prior[i]` marks uniques that are priors (pseudo-pooling).
DadaResult dada_uniques(Derep const& d, ErrorMatrix const& err, DadaOptions const& opt,
                        std::vector<bool> const& prior = {}, AlignCache* cache = nullptr);

/// R's ppois(reads - 1, E, lower.tail = FALSE) [/ (1 - exp(-E)) when not `prior`]: the DADA2
/// abundance p-value.
double abundance_pvalue(std::uint32_t reads, double expected, bool prior);

}  // namespace orbiome::amplicon
