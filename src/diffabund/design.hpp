#pragma once
/// \file design.hpp
/// The sample design shared by `diff` methods: which table samples take part, their group, the
/// covariate matrix, and the relative-abundance matrix of the kept features.
///
/// Built from a feature table and QIIME 2-style metadata following SPEC `diff`:
///  1. every table sample must be in the metadata (io::join_metadata reports missing ids);
///  2. `--where COL=VALUE` filters keep samples whose value equals VALUE (all filters must hold);
///  3. the group column and every covariate must have no missing value among the kept samples
///     (ParseError naming the metadata file, the column and the first samples);
///  4. `--compare TEST,REF` keeps the samples of those two levels; otherwise all levels are kept
///     (a 2-level comparison is then level 2 vs level 1 in sorted order);
///  5. every group must have at least `kMinGroupSize` samples (ParseError naming the group);
///  6. relative abundance = value / sample total over all table features (a kept sample with
///     total 0 is a ParseError); features absent from every kept sample are dropped, then the
///     prevalence filter (fraction of kept samples with a non-zero value) is applied.
/// Covariates: numeric columns enter as they are; categorical columns are dummy-coded against
/// their first level in sorted order.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "io/metadata.hpp"
#include "table/feature_table.hpp"

namespace orbiome::diffabund {

/// Smallest group a comparison accepts: one sample has no within-group variation.
inline constexpr std::size_t kMinGroupSize = 2;

/// What selects and groups the samples.
struct DesignSpec {
    std::string group;                                       ///< metadata column of the groups
    std::vector<std::string> covariates;                     ///< further formula terms
    std::optional<std::pair<std::string, std::string>> compare;  ///< (test, reference) levels
    std::vector<std::pair<std::string, std::string>> where;  ///< (column, value) filters
    double min_prevalence = 0;                               ///< in [0, 1]
    std::string subclass;  ///< optional metadata column of subclasses (lefse); no missing values allowed
    /// optional metadata column of subjects (lefse: orders samples within a subclass, as
    /// lefse_format_input's -u); no missing values allowed
    std::string subject;
};

/// Parses "GROUP + cov1 + cov2" with ecology::parse_formula (R syntax, optional leading `~`) into
/// `group` (the first term) and `covariates`. Throws UsageError for what that parser rejects
/// (empty formula or term, a response, unknown characters) and for interaction terms (A:B, A*B).
void parse_formula(std::string const& formula, DesignSpec& spec);

/// A resolved design (see file comment). `rel` is features x samples, row-major, over the
/// kept features and samples.
struct Design {
    std::vector<std::string> levels;          ///< group names, sorted
    std::size_t test = 1, reference = 0;      ///< level indices for 2-level effects (test vs reference)
    std::vector<std::size_t> samples;         ///< table sample indices kept, in table order
    std::vector<std::size_t> group;           ///< level index per kept sample
    std::vector<std::string> subclass;        ///< per kept sample when DesignSpec::subclass is set, else empty
    std::vector<std::string> subject;         ///< per kept sample when DesignSpec::subject is set, else empty
    std::vector<std::string> covariate_names; ///< one per covariate column (dummy columns named COL=LEVEL)
    std::vector<double> covariates;           ///< column-major, samples x covariate_names.size()
    std::vector<std::size_t> features;        ///< table feature indices kept
    std::vector<double> rel;                  ///< relative abundance, features.size() x samples.size()
    std::vector<double> counts;               ///< raw values, same layout (LinDA needs counts)
    std::size_t n_absent = 0;                 ///< features dropped as absent from every kept sample
    std::size_t n_below_prevalence = 0;       ///< features dropped by the prevalence filter
    std::size_t n_metadata_only = 0;          ///< metadata rows not in the table (ignored)

    std::size_t n_samples() const { return samples.size(); }
    std::size_t n_features() const { return features.size(); }
    /// Relative abundances of kept feature `f` (index into `features`).
    std::span<double const> row(std::size_t f) const {
        return {rel.data() + f * samples.size(), samples.size()};
    }
};

/// Builds the design. `table_origin` and the metadata's `source` name files in errors.
/// Throws ParseError (bad data, see file comment), UsageError (unknown column or level).
/// O(nnz + features x samples).
Design make_design(table::FeatureTable const& t, std::string const& table_origin, io::Metadata const& md,
                   DesignSpec const& spec);

}  // namespace orbiome::diffabund
