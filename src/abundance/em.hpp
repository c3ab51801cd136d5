#pragma once
/// \file em.hpp
/// Species abundance by expectation-maximisation over reads that are compatible with several
/// species (the mixture model of e.g. Bracken's successors and of Salmon/kallisto's read
/// equivalence classes: Dempster, Laird & Rubin 1977, doi:10.1111/j.2517-6161.1977.tb01600.x;
/// Bray et al. 2016, doi:10.1038/nbt.3519).
///
/// Likelihood model. Each classified read r comes from one species drawn with probability
/// pi_s (the read fraction of species s); given its species, the read is compatible with the
/// candidate set C_r (from the classifier) with the same probability for every s in C_r. So
///
///     L(pi) = prod_r sum_{s in C_r} pi_s ,      sum_s pi_s = 1.
///
/// Reads with the same candidate set form one equivalence class with a count, so memory grows
/// with the number of distinct sets, never with the number of reads. The EM update is
///
///     reads_s <- sum_classes n_c * pi_s / sum_{t in c} pi_t ,   pi_s <- reads_s / N ,
///
/// from uniform pi over the species seen, until max_s |delta pi_s| < tolerance. Species whose
/// expected reads end below `min_reads` are then removed from every class (Bracken's `-t`
/// threshold, default 10 there too) and the EM is run again, until no species is removed; reads
/// whose candidates were all removed become unassigned at species level.
///
/// Genome-copy abundance (optional, see `genome_copies`): pi_s / L_s renormalised, with L_s the
/// mean genome length of species s in the index.

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace orbiome::abundance {

/// Species are dense indices (classify::TaxIndex values).
using SpeciesId = std::uint32_t;

/// Read counts per candidate-species set. Adding is O(1) for single-species reads and
/// O(|set| log classes) otherwise; no per-read allocation once a set has been seen.
class SpeciesClasses {
public:
    /// Adds `count` reads whose candidate set is `species` (sorted, unique; empty = ignored).
    void add(std::span<SpeciesId const> species, std::uint64_t count = 1);
    /// Adds all counts of `other`.
    void merge(SpeciesClasses const& other);

    std::map<SpeciesId, std::uint64_t> const& single() const noexcept { return single_; }
    std::map<std::vector<SpeciesId>, std::uint64_t> const& multi() const noexcept { return multi_; }
    /// Total reads with a non-empty candidate set.
    std::uint64_t total() const noexcept { return total_; }

private:
    std::map<SpeciesId, std::uint64_t> single_;
    std::map<std::vector<SpeciesId>, std::uint64_t> multi_;
    std::vector<SpeciesId> key_;  // reused lookup key
    std::uint64_t total_ = 0;
};

/// EM controls.
struct EmOptions {
    int max_iterations = 10000;
    double tolerance = 1e-12;    ///< on max |delta pi|
    double min_reads = 10;       ///< species below this many expected reads are dropped
};

/// EM result: expected reads per species (sorted by species id); `assigned` = their sum.
struct EmResult {
    std::vector<std::pair<SpeciesId, double>> reads;
    double assigned = 0;
    int iterations = 0;  ///< total over all pruning rounds
};

/// Runs the EM described in the file comment. Deterministic (ordered containers, fixed
/// summation order). O(iterations x sum over classes of |set|).
EmResult estimate_species(SpeciesClasses const& classes, EmOptions const& opt);

}  // namespace orbiome::abundance
