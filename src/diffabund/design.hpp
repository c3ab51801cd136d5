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
/// The model (for linda and lm) is ecology's formula layer (ecology/formula.hpp): categorical
/// terms of any number of levels with treatment contrasts (reference = `--reference` for the
/// group, else the first level in sorted order, as R's `factor()`), numeric columns as
/// continuous terms (a group restricted by --compare is coded as a factor), interactions, and a
/// random intercept `(1|subject)` (or --subject). The matrix holds no abundance data: `Model`
/// can be reused for any table over the same samples.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ecology/formula.hpp"
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
    /// A numeric first term is a continuous predictor (linda, lm) rather than a set of levels.
    bool continuous_group = false;
    /// A sample with a missing value in a formula column (or the subject) is left out and
    /// counted (Design::n_dropped_missing) instead of being an error.
    bool drop_missing = false;
    std::string reference;  ///< reference level of the group ("" = first in sorted order); linda/lm
    /// The whole formula when it has more than additive main effects (interactions, random
    /// intercept); otherwise group + covariates are used.
    std::optional<ecology::Formula> formula;
};

/// Parses "GROUP + cov1 + cov2 [+ A:B] [+ (1|subject)]" with ecology::parse_formula (R syntax,
/// optional leading `~`) into `group` (the first term, which must be a main effect),
/// `covariates` (the other main effects), `formula` and `subject` (from a random intercept).
/// Throws UsageError for what that parser rejects and for a first term that is an interaction.
void parse_formula(std::string const& formula, DesignSpec& spec);

/// The fixed-effect model over the kept samples, without the abundance data.
struct Model {
    ecology::ModelMatrix fixed;  ///< samples x columns, no intercept; column labels as R's (e.g. "TreatmentISS")
    bool group_continuous = false;            ///< the first term is a numeric column
    std::vector<std::size_t> subject;         ///< random-intercept group per sample (empty: none)
    std::size_t n_subjects = 0;
    std::string subject_column;
    std::string metadata_source;  ///< file the subjects were read from (error messages)
    /// Column indices of fixed.x that belong to the first (group) term.
    std::vector<std::size_t> group_columns() const;
};

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
    std::size_t n_dropped_missing = 0;        ///< samples left out by DesignSpec::drop_missing
    Model model;                              ///< the formula's model over `samples`

    std::size_t n_samples() const { return samples.size(); }
    std::size_t n_features() const { return features.size(); }
    /// Relative abundances of kept feature `f` (index into `features`).
    std::span<double const> row(std::size_t f) const {
        return {rel.data() + f * samples.size(), samples.size()};
    }
};

/// Builds the design. `table_origin` and the metadata's `source` name files in errors. With
/// `continuous_group`, a numeric first term without --compare is continuous: `levels` and
/// `group` are then empty.
/// Throws ParseError (bad data, see file comment), UsageError (unknown column or level).
/// O(nnz + features x samples).
Design make_design(table::FeatureTable const& t, std::string const& table_origin, io::Metadata const& md,
                   DesignSpec const& spec);

}  // namespace orbiome::diffabund
