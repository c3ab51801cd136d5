#include "diffabund/linear_model.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>

#include <Eigen/Dense>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "diffabund/linda.hpp"
#include "diffabund/lmm.hpp"
#include "diffabund/stats.hpp"

namespace orbiome::diffabund {

namespace {

// As linda.cpp: a residual sd this small relative to the response means an exact fit.
constexpr double kResidualTolerance = 64 * DBL_EPSILON;

// The model over the samples `keep` (positions in d.samples): intercept + fixed columns,
// column-major, and the subjects recoded 0..G-1 over those samples.
struct ModelInputs {
    std::vector<double> x;
    std::size_t p = 0;
    std::vector<std::size_t> subject;
    std::size_t n_subjects = 0;
};

ModelInputs model_inputs(Design const& d, std::vector<std::size_t> const& keep) {
    if (!d.model.subject.empty() && d.model.n_subjects >= keep.size())
        throw ParseError(SourceLoc{d.model.metadata_source},
                         "column '" + d.model.subject_column + "' gives every sample its own subject (" +
                             std::to_string(keep.size()) + " samples): a random intercept needs subjects with "
                             "repeated samples",
                         "drop --subject / (1|" + d.model.subject_column + "), or give the column of repeated measures");
    ModelInputs mi;
    auto const& fx = d.model.fixed.x;
    std::size_t const n = keep.size();
    mi.p = 1 + static_cast<std::size_t>(fx.cols());
    mi.x.assign(n * mi.p, 1.0);
    for (std::size_t c = 1; c < mi.p; ++c)
        for (std::size_t j = 0; j < n; ++j)
            mi.x[c * n + j] = fx(static_cast<Eigen::Index>(keep[j]), static_cast<Eigen::Index>(c - 1));
    if (!d.model.subject.empty()) {
        std::vector<std::size_t> code(d.model.n_subjects, SIZE_MAX);
        for (std::size_t j : keep) {
            auto& c = code[d.model.subject[j]];
            if (c == SIZE_MAX) c = mi.n_subjects++;
            mi.subject.push_back(c);
        }
    }
    return mi;
}

// The rows' feature-level columns (id, lineage, mean and prevalence per level).
DiffRow feature_row(table::FeatureTable const& t, Design const& d, std::size_t f) {
    DiffRow row;
    row.feature = t.feature_ids()[d.features[f]];
    if (t.has_lineages()) row.lineage = t.lineages()[d.features[f]];
    std::size_t const k = d.levels.size();
    if (k == 0) return row;
    row.mean.assign(k, 0.0);
    row.prevalence.assign(k, 0.0);
    std::vector<double> size(k, 0.0);
    auto v = d.row(f);
    for (std::size_t j = 0; j < d.n_samples(); ++j) {
        std::size_t const g = d.group[j];
        row.mean[g] += v[j];
        row.prevalence[g] += v[j] != 0;
        size[g] += 1;
    }
    for (std::size_t g = 0; g < k; ++g) row.mean[g] /= size[g], row.prevalence[g] /= size[g];
    return row;
}

std::string model_text(Design const& d, std::size_t n_used) {
    std::string s = "intercept";
    for (auto const& l : d.model.fixed.column_labels) s += " + " + l;
    if (!d.model.subject.empty())
        s += " + (1|" + d.model.subject_column + "): REML random intercept, Satterthwaite df (as lmerTest 3.1), " +
             std::to_string(n_used) + " samples";
    return s;
}

}  // namespace

DiffResult run_linda(table::FeatureTable const& t, Design const& d, LindaOptions const& o, int n_threads) {
    std::size_t const nf = d.n_features(), ns_all = d.n_samples();
    // Samples without counts in the kept features are left out, as MicrobiomeStat::linda does.
    std::vector<std::size_t> keep;
    for (std::size_t j = 0; j < ns_all; ++j) {
        double total = 0;
        for (std::size_t i = 0; i < nf; ++i) total += d.counts[i * ns_all + j];
        if (total > 0) keep.push_back(j);
    }
    std::size_t const n = keep.size();
    auto const mi = model_inputs(d, keep);
    std::vector<double> values(nf * n);
    for (std::size_t i = 0; i < nf; ++i)
        for (std::size_t j = 0; j < n; ++j) values[i * n + j] = d.counts[i * ns_all + keep[j]];
    LindaSettings s;
    s.pseudocount = o.zero_pseudocount;
    s.winsor_quantile = o.winsor_quantile;
    s.zero_handling = o.zero_handling;
    s.bias_se = o.bias_se;
    std::vector<std::size_t> columns;
    for (std::size_t c = 1; c < mi.p; ++c) columns.push_back(c);
    bool const mixed = !mi.subject.empty();
    auto const fits = mixed ? linda_fit_mixed(values, nf, n, mi.x, mi.p, mi.subject, mi.n_subjects, columns, s, n_threads)
                            : linda_fit_columns(values, nf, n, mi.x, mi.p, columns, s);

    DiffResult r;
    r.term_column = true;
    std::vector<DiffRow> base;
    for (std::size_t i = 0; i < nf; ++i) base.push_back(feature_row(t, d, i));
    std::string biases;
    for (std::size_t c = 0; c < fits.size(); ++c) {
        auto const& fit = fits[c];
        std::vector<DiffRow> rows = base;
        for (std::size_t i = 0; i < nf; ++i) {
            DiffRow& row = rows[i];
            row.term = d.model.fixed.column_labels[c];
            row.tested = fit.tested[i];
            row.effect = fit.coefficient[i];
            row.se = fit.se[i];
            row.statistic = fit.statistic[i];
            row.p_value = fit.p_value[i];
        }
        adjust_rows(rows);
        r.rows.insert(r.rows.end(), rows.begin(), rows.end());
        biases += (c ? "; " : "") + d.model.fixed.column_labels[c] + " " + format_double(fit.bias);
    }
    auto const& fit = fits.front();
    if (fit.zeros_replaced && fit.count_data && !fit.imputed) r.pseudocount = s.pseudocount;
    std::string zeros = !fit.zeros_replaced ? "no zeros"
                        : !fit.count_data   ? "zeros replaced by half each feature's smallest non-zero value"
                        : fit.imputed       ? "zeros imputed as depth / largest depth with a zero in the feature"
                                            : "pseudo-count " + format_double(s.pseudocount) + " added to every count";
    if (s.zero_handling == LindaZeroHandling::adaptive && fit.zeros_replaced && fit.count_data)
        zeros += " (adaptive: log depth ~ design p = " + format_double(fit.depth_p) + ")";
    // A two-level group alone keeps its historical wording; other models list their columns.
    bool const two_level = d.levels.size() == 2 && !d.model.group_continuous && d.model.group_columns().size() == 1;
    std::size_t const k = d.model.fixed.column_labels.size() - d.model.group_columns().size();
    std::string const model = mixed || !two_level
                                  ? (mixed ? "LMM on " : "OLS on ") + model_text(d, n)
                                  : "OLS on intercept + " + d.levels[d.test] + " vs " + d.levels[d.reference] +
                                        (k ? " + " + std::to_string(k) + " covariate column(s)" : std::string()) +
                                        ", df = " + format_double(fit.df);
    r.notes.push_back(std::string("linda (Zhou et al. 2022, MicrobiomeStat::linda defaults): ") +
                      (fit.count_data ? "counts" : "non-integer values (proportion path)") +
                      (s.winsor_quantile < 1 ? " winsorised at each feature's " + format_double(s.winsor_quantile) + " quantile; "
                                                : std::string(" not winsorised; ")) + zeros +
                      "; CLR of log2 values; " + model);
    r.notes.push_back("linda effect: bias-corrected log2 fold change (absolute-abundance scale under sparse change); bias "
                      "(mode of the coefficients, Gaussian mean shift, bw.nrd0) = " +
                      (fits.size() == 1 ? format_double(fit.bias) : "per term: " + biases) +
                      " subtracted; statistic: t = effect / se; se " +
                      (mixed ? std::string("from the mixed model, bias treated as known (as MicrobiomeStat::linda)")
                       : s.bias_se == LindaBiasSe::propagated
                           ? "includes the bias estimate's variance (--bias-se propagated, orbiome's default)"
                           : "treats the bias as known (--bias-se paper, as MicrobiomeStat::linda)"));
    if (mixed && fit.singular)
        r.notes.push_back("mixed model: " + std::to_string(fit.singular) + " feature(s) with subject variance 0 (singular "
                          "fit, as lme4 reports; equal to OLS with Satterthwaite df)");
    if (n < ns_all)
        r.notes.push_back(std::to_string(ns_all - n) + " sample(s) without counts in the tested features left out");
    return r;
}

DiffResult run_lm(table::FeatureTable const& t, Design const& d, Transform transform, double pseudocount, int n_threads) {
    std::size_t const m = d.n_features(), n = d.n_samples();
    std::vector<std::size_t> all(n);
    for (std::size_t j = 0; j < n; ++j) all[j] = j;
    auto const mi = model_inputs(d, all);
    if (n <= mi.p)
        throw UsageError("lm: " + std::to_string(n) + " samples leave no residual degrees of freedom for " +
                         std::to_string(mi.p) + " model coefficients");
    DiffResult r;
    r.term_column = true;
    double const c = transform == Transform::relabund ? 0 : pseudocount > 0 ? pseudocount : auto_pseudocount(d);
    r.pseudocount = c;
    Eigen::MatrixXd y(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
    for (std::size_t i = 0; i < m; ++i) {
        auto v = d.row(i);
        for (std::size_t j = 0; j < n; ++j)
            y(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) =
                transform == Transform::relabund ? v[j] : std::log2(v[j] + c);
    }
    if (transform == Transform::clr)
        for (Eigen::Index j = 0; j < y.rows(); ++j) y.row(j).array() -= y.row(j).mean();
    Eigen::Map<Eigen::MatrixXd const> xm(mi.x.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(mi.p));
    auto const p = static_cast<Eigen::Index>(mi.p);
    // Per feature: coefficients, se and df of every column.
    Eigen::MatrixXd beta(p, y.cols()), se(p, y.cols()), df(p, y.cols());
    std::vector<char> tested(m, 1);  // char, not bool: threads write neighbouring entries
    bool const mixed = !mi.subject.empty();
    if (mixed) {
        RandomInterceptModel const model(xm, mi.subject, mi.n_subjects);
        parallel_for(m, n_threads, [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                auto const ii = static_cast<Eigen::Index>(i);
                auto const f = model.fit(y.col(ii));
                beta.col(ii) = f.beta;
                se.col(ii) = f.se;
                df.col(ii) = f.df;
                tested[i] = f.sigma > kResidualTolerance * y.col(ii).cwiseAbs().maxCoeff();
            }
        });
    } else {
        Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xm);
        if (qr.rank() < p)
            throw UsageError("lm: the design is rank-deficient (a term is constant among the samples or duplicates another)");
        beta = qr.solve(y);
        Eigen::MatrixXd const resid = y - xm * beta;
        Eigen::MatrixXd const r_upper = qr.matrixR().topLeftCorner(p, p).triangularView<Eigen::Upper>();
        Eigen::MatrixXd const rinv = r_upper.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
        Eigen::MatrixXd const xtx_inv =
            qr.colsPermutation() * (rinv * rinv.transpose()) * qr.colsPermutation().transpose();
        double const dfr = static_cast<double>(n - mi.p);
        for (Eigen::Index i = 0; i < y.cols(); ++i) {
            double const sigma = std::sqrt(resid.col(i).squaredNorm() / dfr);
            se.col(i) = sigma * xtx_inv.diagonal().cwiseSqrt();
            df.col(i).setConstant(dfr);
            tested[static_cast<std::size_t>(i)] = sigma > kResidualTolerance * y.col(i).cwiseAbs().maxCoeff();
        }
    }
    std::vector<DiffRow> base;
    for (std::size_t i = 0; i < m; ++i) base.push_back(feature_row(t, d, i));
    for (Eigen::Index c = 1; c < p; ++c) {
        std::vector<DiffRow> rows = base;
        for (std::size_t i = 0; i < m; ++i) {
            auto const ii = static_cast<Eigen::Index>(i);
            DiffRow& row = rows[i];
            row.term = d.model.fixed.column_labels[static_cast<std::size_t>(c - 1)];
            row.effect = beta(c, ii);
            row.tested = tested[i];
            if (!row.tested) continue;
            row.se = se(c, ii);
            row.statistic = row.effect / row.se;
            row.p_value = t_two_sided(row.statistic, df(c, ii));
        }
        adjust_rows(rows);
        r.rows.insert(r.rows.end(), rows.begin(), rows.end());
    }
    std::string const response = transform == Transform::relabund ? "relative abundance"
                                 : transform == Transform::log    ? "log2(relative abundance + c)"
                                                                  : "CLR: log2(relative abundance + c) centred per sample";
    r.notes.push_back("lm: " + response + " per feature; " + (mixed ? "LMM on " : "OLS on ") + model_text(d, n) +
                      (mixed ? "" : ", df = " + std::to_string(n - mi.p)) +
                      "; effect = coefficient (no compositional bias correction); statistic: t = effect / se");
    return r;
}

}  // namespace orbiome::diffabund
