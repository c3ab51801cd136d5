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
/// The intercept is implicit and not part of the matrix.

#include <cstddef>
#include <string>
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
};

/// Parses `text` (names are metadata column names: anything but whitespace and `+*:()~`; an
/// optional leading `~` is accepted). Throws UsageError for an empty formula, an empty term
/// ("A + + B"), a response ("y ~ A"), a repeated factor inside one term, or a character it
/// does not understand. O(length).
Formula parse_formula(std::string const& text);

/// The model matrix of `formula` over metadata rows `rows` (one per sample, in sample order).
struct ModelMatrix {
    Eigen::MatrixXd x;                      ///< samples x columns, no intercept column
    std::vector<std::size_t> term_of_column;  ///< term index of each column
    std::vector<std::string> term_labels;   ///< one per formula term
    std::vector<std::string> column_labels;   ///< e.g. "ManagementHF", "A1", "ManagementHF:A1"
};

/// Builds the model matrix. Errors (no partial result):
///  * a column not in the metadata: UsageError naming the metadata file and listing its columns;
///  * a missing value (core/text.hpp `is_missing`, as io::Metadata reads them) in a used column: ParseError
///    naming the metadata file, the column and the first few samples (with their lines);
///  * a categorical column with a single level among the samples: ParseError naming it.
/// O(samples x columns).
ModelMatrix build_model_matrix(Formula const& formula, io::Metadata const& md, std::vector<std::size_t> const& rows,
                               std::vector<std::string> const& sample_ids);

/// The categorical levels of metadata column `column` over `rows`, as group indices 0..L-1
/// (levels sorted byte-wise; `levels` receives their names). Missing values are a ParseError
/// naming the file, column and samples. O(samples log samples).
std::vector<std::size_t> group_codes(io::Metadata const& md, std::size_t column, std::vector<std::size_t> const& rows,
                                     std::vector<std::string> const& sample_ids, std::vector<std::string>& levels);

}  // namespace orbiome::ecology
