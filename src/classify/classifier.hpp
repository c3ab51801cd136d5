#pragma once
/// \file classifier.hpp
/// Read classification by minimizer lookup and LCA scoring (Kraken2's rule: Wood et al. 2019,
/// doi:10.1186/s13059-019-1891-0), on minimizers instead of all k-mers.
///
/// For one fragment (a read, or both mates together):
///  1. The minimizers of each mate are looked up; a hit maps to a taxon (the LCA of the
///     references holding that minimizer), a miss to 0.
///  2. `hit_groups` = number of minimizers that hit. Fewer than `min_hit_groups` -> unclassified
///     (Kraken2's `--minimum-hit-groups`, default 2 there and here).
///  3. Each hit taxon t scores the hits of t and of its ancestors (its root-to-leaf path). The
///     call is the taxon of highest score; tied taxa are replaced by their LCA.
///  4. Confidence: with n = all minimizers of the fragment (hits and misses), the call moves up
///     to its parent until (hits to taxa in its clade) / n >= `confidence`; past the root the
///     fragment is unclassified (Kraken2's `--confidence`).
///
/// For abundance estimation the classifier also gives the fragment's *candidate species*: the
/// species in the called clade whose clade received the most hits; when no species-level taxon
/// was hit, all indexed species under the call, provided the call is at genus level or below.
/// Calls above genus have no candidates (their reads stay unassigned at
/// species level, as Bracken also leaves reads above its redistribution level).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/index.hpp"

namespace orbiome::classify {

using index::TaxIndex;

/// Classification thresholds.
struct ClassifyOptions {
    double confidence = 0.0;   ///< in [0, 1]; fraction of a fragment's minimizers in the called clade
    int min_hit_groups = 2;    ///< minimizers that must hit for a fragment to be classified
};

/// Result for one fragment.
struct ReadCall {
    TaxIndex tax = 0;               ///< called taxon, 0 = unclassified
    std::uint32_t n_minimizers = 0; ///< minimizers of both mates
    std::uint32_t n_hits = 0;       ///< minimizers found in the index
};

/// Reusable per-thread buffers, so classification does not allocate per read.
struct ClassifyScratch {
    std::vector<index::Minimizer> mins;
    std::vector<TaxIndex> taxa;                              ///< per minimizer, 0 = miss
    std::vector<std::pair<TaxIndex, std::uint32_t>> counts;  ///< hit taxon -> hits
    std::vector<TaxIndex> species;                           ///< candidate species of the last call
    std::size_t mate1_minimizers = 0;                        ///< how many of `mins` are mate 1's
};

/// Classifies fragments against one index. Immutable; thread-safe (each thread passes its own
/// scratch). Construction is O(taxa x depth) (per-node species and descendant-species lists).
class Classifier {
public:
    /// Throws UsageError if confidence is outside [0, 1] or min_hit_groups < 0.
    Classifier(index::Index const& idx, ClassifyOptions opt);

    /// Classifies one fragment (`mate2` empty for single-end). Fills `s.taxa`, `s.mins` (for
    /// per-read output) and `s.species` (candidate species, sorted). O(read length).
    ReadCall classify(std::string_view mate1, std::string_view mate2, ClassifyScratch& s) const;

    index::Index const& index() const noexcept { return idx_; }
    /// The species node at or above `t` (0 if none).
    TaxIndex species_of(TaxIndex t) const noexcept { return species_of_[t]; }

private:
    void candidate_species(TaxIndex call, ClassifyScratch& s) const;

    index::Index const& idx_;
    ClassifyOptions opt_;
    std::vector<TaxIndex> species_of_;        // per node: species at or above, 0 if none
    std::vector<bool> at_or_below_genus_;     // per node: a genus or species is at or above it
    std::vector<std::uint32_t> desc_offsets_; // per node: its descendant species, CSR
    std::vector<TaxIndex> desc_species_;
};

/// Rank of a taxonomy rank name in the standard order (taxonomy::Rank), or -1 when it is not one
/// of the standard ranks ("no rank", "clade", "subspecies" ...).
int standard_rank(std::string_view rank) noexcept;

}  // namespace orbiome::classify
