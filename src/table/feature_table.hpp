#pragma once
/// \file feature_table.hpp
/// The feature table: counts (or relative abundances) of features (OTUs, ASVs, taxa) in samples.
///
/// Storage is CSR by sample (STYLE.md §8.2): for sample s, `sample_features(s)` lists the indices
/// of its non-zero features in increasing order and `sample_values(s)` their values. Zeros are
/// never stored. Each feature may carry a lineage string (see taxonomy/lineage.hpp); a table
/// either has lineages for all features (some may be "") or none. Values are doubles so that
/// relative abundances and non-integer BIOM values are exact; counts are integral doubles.
/// Immutable after construction; safe to read from many threads.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace orbiome::table {

/// One non-zero cell, used to build tables.
struct Entry {
    std::uint32_t feature;
    std::uint32_t sample;
    double value;
};

class FeatureTable {
public:
    FeatureTable() = default;

    /// Builds a table from non-zero entries (any order; zeros are dropped; duplicates of the
    /// same cell are an error). `lineages` is empty or has one string per feature. Sample and
    /// feature ids must be unique and non-empty; `origin` (a file name) prefixes the error
    /// message. Throws ParseError (65) on duplicate ids, a negative or non-finite value, or an
    /// index out of range.
    FeatureTable(std::vector<std::string> feature_ids, std::vector<std::string> sample_ids,
                 std::vector<Entry> entries, std::vector<std::string> lineages = {},
                 std::string const& origin = {});

    /// Builds from a dense features x samples matrix, row-major (`values[f * n_samples + s]`).
    static FeatureTable from_dense(std::vector<std::string> feature_ids, std::vector<std::string> sample_ids,
                                   std::vector<double> const& values, std::vector<std::string> lineages = {},
                                   std::string const& origin = {});

    std::size_t n_samples() const { return sample_ids_.size(); }
    std::size_t n_features() const { return feature_ids_.size(); }
    std::size_t n_nonzero() const { return values_.size(); }

    std::vector<std::string> const& sample_ids() const { return sample_ids_; }
    std::vector<std::string> const& feature_ids() const { return feature_ids_; }
    bool has_lineages() const { return !lineages_.empty(); }
    /// One per feature when has_lineages(), else empty.
    std::vector<std::string> const& lineages() const { return lineages_; }

    std::span<std::uint32_t const> sample_features(std::size_t s) const {
        return {features_.data() + offsets_[s], features_.data() + offsets_[s + 1]};
    }
    std::span<double const> sample_values(std::size_t s) const {
        return {values_.data() + offsets_[s], values_.data() + offsets_[s + 1]};
    }
    /// Sum of sample s.
    double sample_total(std::size_t s) const;
    /// Dense counts of sample s over all features.
    std::vector<double> sample_dense(std::size_t s) const;
    /// Value at (feature, sample); O(log nnz(sample)).
    double get(std::size_t feature, std::size_t sample) const;
    /// Dense features x samples matrix, row-major.
    std::vector<double> to_dense() const;
    /// All entries in (sample, feature) order.
    std::vector<Entry> entries() const;
    /// True if every stored value is a whole number (then tables are written as integers).
    bool all_integral() const;

    /// Index of a sample / feature id, or npos.
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::size_t sample_index(std::string const& id) const;
    std::size_t feature_index(std::string const& id) const;

    /// Same table restricted to `samples` (indices, in that order) and `features` (indices, in
    /// that order). Features or samples left empty are kept; callers drop them if they want.
    FeatureTable subset(std::vector<std::size_t> const& samples, std::vector<std::size_t> const& features) const;

    friend bool operator==(FeatureTable const&, FeatureTable const&) = default;

private:
    std::vector<std::string> feature_ids_;
    std::vector<std::string> sample_ids_;
    std::vector<std::string> lineages_;
    std::vector<std::size_t> offsets_{0};  ///< n_samples + 1
    std::vector<std::uint32_t> features_;
    std::vector<double> values_;
};

}  // namespace orbiome::table
