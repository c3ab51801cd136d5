#pragma once
/// \file merge.hpp
/// Pair merging, chimera calling and the sequence table, as DADA2 1.26 `mergePairs`,
/// `isBimeraDenovoTable` (removeBimeraDenovo(method = "consensus")) and `makeSequenceTable`.

#include <cstdint>
#include <string>
#include <vector>

#include "amplicon/dada.hpp"
#include "amplicon/derep.hpp"

namespace orbiome::amplicon {

/// One merged (forward ASV, reverse ASV) pairing.
struct MergedPair {
    std::string sequence;
    std::uint32_t abundance = 0;
    std::uint32_t forward = 0, reverse = 0;  ///< ASV indices (0-based)
    int nmatch = 0, nmismatch = 0, nindel = 0;
    bool accept = false;
};

/// DADA2 `mergePairs(minOverlap, maxMismatch, trimOverhang = FALSE)`: reads whose two mates were
/// both corrected to ASVs are grouped by (forward ASV, reverse ASV); each pairing aligns the
/// forward ASV with the reverse complement of the reverse ASV (ends-free NW, match 1, mismatch
/// and gap -64, or -8 when maxMismatch > 0) and is accepted with >= minOverlap matches and at most
/// maxMismatch mismatches + indels in the overlap. Returns the accepted pairings, by abundance
/// (descending, ties in order of first read).
std::vector<MergedPair> merge_pairs(DadaResult const& fwd, Derep const& dfwd, DadaResult const& rev,
                                    Derep const& drev, int min_overlap = 12, int max_mismatch = 0);

/// Reverse complement (IUPAC-aware for ACGTN).
std::string reverse_complement(std::string_view s);

/// A sample x sequence count table: rows = samples, columns = sequences.
struct SeqTable {
    std::vector<std::string> seqs;
    std::vector<std::vector<std::uint64_t>> counts;  ///< [sample][sequence]
};

/// DADA2 `makeSequenceTable`: the union of sequences in first-appearance order (sample by
/// sample), then stably ordered by total count, descending. Each sample's input is a list of
/// (sequence, count); duplicates are summed.
SeqTable make_sequence_table(std::vector<std::vector<std::pair<std::string, std::uint64_t>>> const& samples);

struct BimeraOptions {
    double min_sample_fraction = 0.9;
    int ignore_n_negatives = 1;
    double min_fold_parent_over_abundance = 1.5;
    std::uint64_t min_parent_abundance = 2;
    int max_shift = 16;
    int match = 5, mismatch = -4, gap = -8;
};

/// DADA2 `isBimeraDenovoTable`: true for each column flagged as a bimera.
std::vector<bool> is_bimera_table(SeqTable const& t, BimeraOptions const& opt, int threads);

}  // namespace orbiome::amplicon
