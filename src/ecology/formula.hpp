#pragma once
/// \file formula.hpp
/// Right-hand sides of model formulas ("A + B", "A*B", "A + A:B") and the model matrices they
/// give over sample metadata, with R's conventions (as vegan's adonis2 sees them through
/// `model.matrix`):
///  * `A*B` expands to `A + B + A:B`; terms are then ordered by interaction order (main effects
///    first, then two-way, ...), keeping the written order within an order, duplicates dropped.
///  * A categorical column is dummy coded with treatment contrasts: its levels are sorted
///    (byte order) and the first is the reference, so a factor with L levels gives L-1 columns.
///  * A numeric column gives one column, as read.
///  * An interaction term gives the element-wise products of its factors' columns (as R does
///    when the main effects precede it).
///  * `(1|S)` is a random intercept for the groups of column S (lme4 syntax); it is kept apart
///    in Formula::random_intercepts and does not enter the model matrix (diff's mixed model uses
///    it; PERMANOVA refuses it and takes --strata instead).
/// The intercept is implicit and not part of the matrix. The matrix holds no table data, so
/// one design serves any number of tables over the same samples (e.g. simulation replicates).
/// Missing values follow an explicit policy (MissingPolicy): an error naming the column and the
/// samples (SPEC: "a formula term with NA/NaN values is an error"), or NaN cells for a caller
/// that drops incomplete samples itself and reports the count (assoc).

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "io/metadata.hpp"

namespace orbiome::ecology {

/// One term of a formula: the metadata columns whose interaction it is (one for a main effect).
struct FormulaTerm {
    std::vector<std::string> factors;
    /// "A" or "A:B", as R labels it.
    std::string label() const;
};

/// A parsed right-hand side.
struct Formula {
    std::string text;                 ///< as given
    std::vector<FormulaTerm> terms;   ///< expanded and ordered as described in the file comment
    std::vector<std::string> random_intercepts;  ///< grouping columns of `(1|S)` terms, as written
};

/// Parses `text` (names are metadata column names: anything but whitespace and `+*:()~`; an
/// optional leading `~` is accepted). Throws UsageError for an empty formula, an empty term
/// ("A + + B"), a response ("y ~ A"), a repeated factor inside one term, a random term other
/// than a random intercept `(1|S)`, or a character it does not understand. O(length).
Formula parse_formula(std::string const& text);

/// The model matrix of `formula` over metadata rows `rows` (one per sample, in sample order).
struct ModelMatrix {
    Eigen::MatrixXd x;                      ///< samples x columns, no intercept column
    std::vector<std::size_t> term_of_column;  ///< term index of each column
    std::vector<std::string> term_labels;   ///< one per formula term
    std::vector<std::string> column_labels;   ///< e.g. "ManagementHF", "A1", "ManagementHF:A1"
};

/// What to do with a missing value in a column the matrix uses.
enum class MissingPolicy {
    error,  ///< ParseError naming the metadata file, the column and the first samples
    as_nan  ///< the sample's cells of that column's matrix columns are NaN (the caller drops and counts)
};

/// How columns are coded.
struct ModelMatrixOptions {
    /// Reference level per categorical column (default: the first level in byte order, as R's
    /// `factor()`); a level not present among the samples is a UsageError listing the levels.
    std::map<std::string, std::string> reference;
    /// Numeric columns to code as factors anyway (e.g. a group restricted to two levels).
    std::set<std::string> categorical;
    MissingPolicy missing = MissingPolicy::error;
    /// A categorical column with one level gives no column instead of an error.
    bool single_level_ok = false;
};

/// Builds the model matrix. Errors (no partial result):
///  * a column not in the metadata: UsageError naming the metadata file and listing its columns;
///  * a missing value (core/text.hpp `is_missing`, as io::Metadata reads them) in a used column: ParseError
///    naming the metadata file, the column and the first few samples (with their lines);
///  * a categorical column with a single level among the samples: ParseError naming it.
/// O(samples x columns).
ModelMatrix build_model_matrix(Formula const& formula, io::Metadata const& md, std::vector<std::size_t> const& rows,
                               std::vector<std::string> const& sample_ids);
/// The same with explicit coding and missing-value options (the overload above uses the defaults).
ModelMatrix build_model_matrix(Formula const& formula, io::Metadata const& md, std::vector<std::size_t> const& rows,
                               std::vector<std::string> const& sample_ids, ModelMatrixOptions const& options);

/// An additive formula of the given columns ("A + B + C"), for callers that take a list.
Formula additive_formula(std::vector<std::string> const& columns);

/// Sample selection, kept apart from the data: which samples of a study take part.
struct SampleSelection {
    std::vector<std::pair<std::string, std::string>> where;  ///< (column, value): all must hold
    std::string group;                                         ///< column whose levels `levels` restrict
    std::set<std::string> levels;                              ///< kept levels of `group` (empty: all)
    /// Columns a sample needs a value in (a model's covariates and subject): samples with a
    /// missing value there are left out, as R's `na.omit` before `lm`.
    std::vector<std::string> complete;
};

/// Positions into `rows` of the selected samples, in order. A sample with a missing `group`
/// value is never in a non-empty `levels`. `dropped`, when given, receives how many samples
/// passed the other rules but missed a `complete` value. Throws UsageError for an unknown
/// column. O(samples).
std::vector<std::size_t> select_samples(io::Metadata const& md, std::vector<std::size_t> const& rows,
                                        SampleSelection const& selection, std::size_t* dropped = nullptr);

/// The random-intercept groups of column `column` over `rows` as indices 0..G-1 in order of first
/// appearance (`names` receives them). Missing values are a ParseError naming the file, column
/// and samples. O(samples log samples).
std::vector<std::size_t> subject_codes(io::Metadata const& md, std::size_t column, std::vector<std::size_t> const& rows,
                                       std::vector<std::string> const& sample_ids, std::vector<std::string>& names);

/// The categorical levels of metadata column `column` over `rows`, as group indices 0..L-1
/// (levels sorted byte-wise; `levels` receives their names). Missing values are a ParseError
/// naming the file, column and samples. O(samples log samples).
std::vector<std::size_t> group_codes(io::Metadata const& md, std::size_t column, std::vector<std::size_t> const& rows,
                                     std::vector<std::string> const& sample_ids, std::vector<std::string>& levels);

}  // namespace orbiome::ecology
