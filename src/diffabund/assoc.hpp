#pragma once
/// \file assoc.hpp
/// Association of every feature with host variables or with every column of a second numeric
/// table (`orbiome assoc`, SPEC capability 8).
///
/// Features are used as relative abundances (value / sample total over all features of T).
/// Each feature–variable pair keeps the samples where the variable and every covariate are
/// present (NA, NaN and empty are missing) and reports that `n`. Coefficients: Pearson r or
/// Spearman rho (average ranks), with the t-distribution p-value (stats.hpp); with covariates,
/// the partial correlation given them (residualised on intercept + covariates, df = n - 2 - k;
/// categorical covariates dummy-coded against their first sorted level). q-values:
/// Benjamini–Hochberg across all tested pairs of the call.
///
/// Repeated measures (`--subject COL`), a blocked approach: within each pair, the samples of one
/// subject are replaced by their mean (feature, variable and covariates), and the correlation
/// is computed over subjects, so `n` counts subjects and several samples of one animal never
/// count as independent observations. This tests between-subject association; it is
/// conservative when subjects have few samples.
///
/// A pair that cannot be tested (fewer than k + 3 units, a constant value after dropping
/// missing ones, a covariate that explains either side exactly) is written with coefficient 0,
/// p_value = q_value = 1, counted in the header and left out of BH. Never NaN.

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "diffabund/stats.hpp"
#include "io/metadata.hpp"
#include "table/feature_table.hpp"

namespace orbiome::diffabund {

/// A numeric matrix such as metabolite concentrations: TSV, optional leading `#` lines, a header
/// row (first cell: any label), then one row per id. Values may be negative or log-scaled;
/// missing values (`NA`, `NaN`, empty) are stored as NaN.
struct NumericMatrix {
    std::string source;
    std::vector<std::string> row_ids, col_ids;
    std::vector<std::size_t> row_lines;  ///< file line of each row
    std::vector<double> values;          ///< row-major, NaN = missing
    double at(std::size_t r, std::size_t c) const { return values[r * col_ids.size() + c]; }
};

/// Reads a numeric matrix. Throws IoError (66) when the file cannot be opened, ParseError on a
/// ragged row, a duplicate id, or a value that is neither a finite number nor missing.
NumericMatrix read_numeric_matrix(std::string const& path);

/// Options of one association run.
struct AssocSpec {
    CorrelationMethod method = CorrelationMethod::spearman;
    std::vector<std::string> vars;        ///< numeric metadata columns (when `with` is null)
    std::vector<std::string> covariates;  ///< metadata columns
    std::string subject;                  ///< metadata column for blocking ("" = none)
    int n_threads = 1;
};

struct AssocRow {
    std::string feature, variable;
    double coefficient = 0;
    std::size_t n = 0;
    double p_value = 1, q_value = 1;
    bool tested = true;
};

struct AssocResult {
    std::vector<AssocRow> rows;      ///< feature-major, in table feature order, then variable order
    std::vector<std::string> notes;  ///< header lines (without '#')
    std::size_t n_untested = 0;
};

/// Correlates every feature of `t` with each variable: metadata columns `spec.vars`, or every
/// column of `with` when it is not null (samples joined by id on whichever axis of `with`
/// carries the sample ids of `t`; samples of `t` not in `with` are left out and counted).
/// Throws ParseError when no id of `with` matches a sample of `t`, when a --vars column is not
/// numeric, or is constant over the samples where it is present; UsageError for unknown
/// columns. Results do not depend on n_threads. O(features x variables x n log n).
AssocResult associate(table::FeatureTable const& t, std::string const& table_origin, io::Metadata const& md,
                      NumericMatrix const* with, AssocSpec const& spec);

/// Writes `#` note lines, then `feature variable method coefficient n p_value q_value` rows.
void write_assoc(AssocResult const& r, CorrelationMethod method, std::ostream& out);

}  // namespace orbiome::diffabund
