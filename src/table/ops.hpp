#pragma once
/// \file ops.hpp
/// Operations on feature tables: filtering, rarefaction, collapsing to a rank, relative
/// abundance and merging. Each returns a new table; inputs are never modified.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "table/feature_table.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::table {

/// Feature filter rules; a feature is KEPT if ANY given rule holds (SPEC `table filter`).
/// The RR-5 authors' rule is {min_count 10, min_samples 2, min_total 100}.
struct FilterRules {
    /// Rule 1 (both needed together): value >= min_count in at least min_samples samples.
    std::optional<double> min_count;
    std::optional<std::size_t> min_samples;
    /// Rule 2: total over all samples >= min_total.
    std::optional<double> min_total;
    /// Rule 3: fraction of samples with a non-zero value >= min_prevalence (0..1].
    std::optional<double> min_prevalence;

    /// Throws UsageError when no rule is given, when only one of min_count/min_samples is
    /// given, or when a value is out of range.
    void validate() const;
};

/// Keeps the features that pass `rules`, in their original order. O(nnz).
FeatureTable filter_features(FeatureTable const& t, FilterRules const& rules);

/// What rarefaction did besides subsampling.
struct RarefyReport {
    std::vector<std::string> dropped_samples;  ///< total below the depth
    std::size_t n_features_dropped = 0;        ///< features with no count left in any kept sample
};

/// Subsamples every sample with total >= depth to exactly `depth` counts, drawn without
/// replacement (each unit count is one item, so per-feature counts are hypergeometric).
/// Samples with a smaller total are dropped and listed in `report`; features left with no
/// count anywhere are dropped. Sample s draws from Rng::stream(seed, s), so the result is the
/// same for any n_threads. Throws ParseError when a value is not an integer (rarefying
/// relative abundances is meaningless) and UsageError when depth is 0 or no sample reaches it.
/// Cost: O(total count of the sample) time and memory per sample being processed.
FeatureTable rarefy(FeatureTable const& t, std::uint64_t depth, std::uint64_t seed, int n_threads,
                    RarefyReport* report = nullptr);

/// Sums features that share a lineage down to `rank` (taxonomy::collapse_key: features whose
/// name at `rank` is unknown go to their nearest named ancestor plus ";unassigned"). The new
/// feature ids and lineages are the keys, in sorted order (as a pandas/R groupby). Throws
/// UsageError if the table has no lineages.
FeatureTable collapse(FeatureTable const& t, taxonomy::Rank rank);

/// Scales each sample to sum 1. Throws ParseError naming the sample when a sample is all zero
/// (its relative abundance is undefined).
FeatureTable relative_abundance(FeatureTable const& t);

/// The table with its axes swapped: the samples become the features and the features the
/// samples (a file that was read with samples as rows). Lineages belong to features, so a table
/// that has them is a UsageError (its rows are already features). O(nnz).
FeatureTable transpose(FeatureTable const& t);

/// Union of several tables: samples side by side (sample ids must be distinct across inputs),
/// features matched by id (a feature missing from an input is 0 there), lineages taken from
/// the first input that has one. `origins` (file names) label errors. Features are in order of
/// first appearance.
FeatureTable merge(std::vector<FeatureTable> const& tables, std::vector<std::string> const& origins);

}  // namespace orbiome::table
