#include "ecology/permanova.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ecology/design.hpp"
#include "ecology/quadratic_forms.hpp"

namespace orbiome::ecology {

namespace {

// Permutations per matrix product: enough columns for GEMM to run near peak, few enough that
// the scattered bases of one batch stay in cache. Fixed (not derived from the thread count)
// so that every permutation's arithmetic is the same whichever thread runs it.
constexpr std::size_t kPermutationBatch = 64;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Relative slack around the tie threshold for the rounding of a double-precision F (far above
// it: ~1e-13 relative), so a float-certified decision never differs from the double one.
constexpr double kDoubleMargin = 1e-9;

// A model space: the range [first, first + size) of the stacked basis columns.
struct Span {
    Eigen::Index first = 0, size = 0;
};

double span_sum(Eigen::Ref<Eigen::VectorXd const> const& s, Span sp) { return sp.size == 0 ? 0.0 : s.segment(sp.first, sp.size).sum(); }

}  // namespace

PermanovaBy parse_permanova_by(std::string const& s) {
    if (s == "terms") return PermanovaBy::terms;
    if (s == "margin") return PermanovaBy::margin;
    if (s == "none") return PermanovaBy::none;
    throw UsageError("--by must be terms, margin or none, not '" + s + "'");
}

PermanovaResult permanova(Eigen::MatrixXd const& g, ModelMatrix const& design, PermanovaOptions const& options) {
    auto const n = static_cast<std::size_t>(g.rows());
    if (!options.strata.empty() && options.strata.size() != n)
        throw UsageError("strata give " + std::to_string(options.strata.size()) + " blocks for " + std::to_string(n) +
                         " samples");
    std::size_t const n_terms = design.term_labels.size();

    // Full model, columns in term order: the first k basis vectors span terms 1..k.
    std::vector<std::size_t> all_cols(static_cast<std::size_t>(design.x.cols()));
    for (std::size_t c = 0; c < all_cols.size(); ++c) all_cols[c] = c;
    std::vector<std::size_t> kept;
    Eigen::MatrixXd const q_full = orthonormal_basis(design.x, all_cols, &kept);
    auto const rank = static_cast<std::size_t>(q_full.cols());
    if (rank == 0) throw ParseError({}, "the formula's columns are constant over the samples: nothing to test");
    if (rank + 1 >= n)
        throw ParseError({}, "the model has " + std::to_string(rank) + " degrees of freedom for " + std::to_string(n) +
                                 " samples: no residual degrees of freedom left",
                         "use fewer terms or more samples");
    std::size_t const df_res = n - 1 - rank;

    std::vector<Span> term_span(n_terms);  // within q_full
    for (std::size_t k = 0; k < kept.size(); ++k) {
        auto& sp = term_span[design.term_of_column[kept[k]]];
        if (sp.size == 0) sp.first = static_cast<Eigen::Index>(k);
        ++sp.size;
    }

    // Stack every basis the statistics need: the full one, then (margin) one reduced per term.
    std::vector<Eigen::MatrixXd> blocks{q_full};
    Span const full{0, static_cast<Eigen::Index>(rank)};
    struct Row {
        std::string label;
        std::size_t term = 0;
        Span reduced;  // margin: the model without the term
    };
    std::vector<Row> rows;
    Eigen::Index offset = full.size;
    if (options.by == PermanovaBy::terms) {
        for (std::size_t t = 0; t < n_terms; ++t)
            if (term_span[t].size > 0) rows.push_back({design.term_labels[t], t, {}});
    } else if (options.by == PermanovaBy::margin) {
        // drop.scope: a term contained in a higher-order term cannot be dropped on its own.
        std::vector<std::set<std::string>> factor_sets;
        for (auto const& label : design.term_labels) {
            std::set<std::string> f;
            std::size_t b = 0;
            while (true) {
                auto e = label.find(':', b);
                f.insert(label.substr(b, e == std::string::npos ? std::string::npos : e - b));
                if (e == std::string::npos) break;
                b = e + 1;
            }
            factor_sets.push_back(std::move(f));
        }
        for (std::size_t t = 0; t < n_terms; ++t) {
            bool contained = false;
            for (std::size_t u = 0; u < n_terms; ++u)
                if (u != t && factor_sets[u].size() > factor_sets[t].size() &&
                    std::includes(factor_sets[u].begin(), factor_sets[u].end(), factor_sets[t].begin(),
                                  factor_sets[t].end()))
                    contained = true;
            if (contained) continue;
            std::vector<std::size_t> others;
            for (std::size_t c = 0; c < all_cols.size(); ++c)
                if (design.term_of_column[c] != t) others.push_back(c);
            Eigen::MatrixXd q = orthonormal_basis(design.x, others);
            if (static_cast<std::size_t>(q.cols()) == rank) continue;  // aliased: contributes nothing
            Span const sp{offset, q.cols()};
            offset += q.cols();
            blocks.push_back(std::move(q));
            rows.push_back({design.term_labels[t], t, sp});
        }
    } else {
        rows.push_back({"Model", 0, {}});
    }
    Eigen::MatrixXd basis(static_cast<Eigen::Index>(n), offset);
    {
        Eigen::Index at = 0;
        for (auto const& b : blocks) {
            basis.middleCols(at, b.cols()) = b;
            at += b.cols();
        }
    }
    Eigen::Index const m = basis.cols();

    double const total = g.trace();
    // Per-row (SS, df) from the per-column quadratic forms s_c = q_c' G q_c.
    auto table_ss = [&](Eigen::Ref<Eigen::VectorXd const> const& s, std::vector<double>& ss, std::vector<std::size_t>* df) {
        double const model = span_sum(s, full);
        ss.resize(rows.size() + 1);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            std::size_t d = 0;
            if (options.by == PermanovaBy::terms) {
                ss[r] = span_sum(s, term_span[rows[r].term]);
                d = static_cast<std::size_t>(term_span[rows[r].term].size);
            } else if (options.by == PermanovaBy::margin) {
                ss[r] = model - span_sum(s, rows[r].reduced);
                d = rank - static_cast<std::size_t>(rows[r].reduced.size);
            } else {
                ss[r] = model;
                d = rank;
            }
            if (df) df->push_back(d);
        }
        ss[rows.size()] = total - model;  // residual
    };
    auto f_stats = [&](std::vector<double> const& ss, std::vector<std::size_t> const& df, double* out) {
        double const res_ms = ss[rows.size()] / static_cast<double>(df_res);
        for (std::size_t r = 0; r < rows.size(); ++r) out[r] = (ss[r] / static_cast<double>(df[r])) / res_ms;
    };

    Eigen::VectorXd const s0 = (basis.transpose() * g * basis).diagonal();
    std::vector<double> ss0;
    std::vector<std::size_t> df;
    table_ss(s0, ss0, &df);
    std::vector<double> f0(rows.size());
    f_stats(ss0, df, f0.data());

    // The table from the observed statistics and the permutation decisions.
    auto finish_table = [&](std::vector<std::uint8_t> const& hits_of) {
        PermanovaResult res;
        res.n_samples = n;
        res.permutations = options.permutations;
        for (std::size_t r = 0; r < rows.size(); ++r) {
            double p = kNaN;
            if (options.permutations > 0) {
                std::size_t hits = 0;
                for (std::size_t i = 0; i < options.permutations; ++i) hits += hits_of[i * rows.size() + r];
                p = static_cast<double>(hits + 1) / static_cast<double>(options.permutations + 1);
            }
            res.rows.push_back({rows[r].label, df[r], ss0[r], ss0[r] / total, f0[r], p});
        }
        res.rows.push_back({"Residual", df_res, ss0[rows.size()], ss0[rows.size()] / total, kNaN, kNaN});
        res.rows.push_back({"Total", n - 1, total, 1.0, kNaN, kNaN});
        return res;
    };

    // Permutations, batched. Each permutation's quadratic forms come from the float32 kernel
    // with a certified error bound (quadratic_forms.hpp); a permutation whose F might lie on the
    // other side of the observed one within that bound is recomputed in double, so every
    // decision is the one a double-precision evaluation makes. hit[i * rows + r] = 1 when
    // permutation i's F for row r is >= F0 - kTieTolerance.
    std::size_t const n_perm = options.permutations;
    std::vector<std::uint8_t> hit(n_perm * rows.size(), 0);
    if (n_perm == 0) return finish_table(hit);  // no O(n^2) packing for the fit alone
    auto const n_rows = static_cast<Eigen::Index>(n);
    Eigen::VectorXd column_error(m);
    QuadraticForms const forms(g);
    for (Eigen::Index c = 0; c < m; ++c) column_error[c] = forms.error_bound(basis.col(c).squaredNorm());
    // Bound on each SS of the table (residual last), as table_ss combines the columns.
    std::vector<double> ss_error(rows.size() + 1);
    for (std::size_t r = 0; r < rows.size(); ++r)
        ss_error[r] = options.by == PermanovaBy::terms    ? span_sum(column_error, term_span[rows[r].term])
                      : options.by == PermanovaBy::margin ? span_sum(column_error, full) +
                                                                span_sum(column_error, rows[r].reduced)
                                                          : span_sum(column_error, full);
    ss_error[rows.size()] = span_sum(column_error, full);

    // Decides row r of one permutation from its approximate SS; false if the bound cannot.
    auto decide = [&](std::vector<double> const& ss, std::size_t r, std::uint8_t& out) {
        double const threshold = f0[r] - kTieTolerance;
        double const num_lo = (ss[r] - ss_error[r]) / static_cast<double>(df[r]);
        double const num_hi = (ss[r] + ss_error[r]) / static_cast<double>(df[r]);
        double const den_lo = (ss[rows.size()] - ss_error[rows.size()]) / static_cast<double>(df_res);
        double const den_hi = (ss[rows.size()] + ss_error[rows.size()]) / static_cast<double>(df_res);
        if (!(den_lo > 0)) return false;
        double const f_lo = num_lo / (num_lo >= 0 ? den_hi : den_lo);
        double const f_hi = num_hi / (num_hi >= 0 ? den_lo : den_hi);
        // The margin covers the double evaluation's own rounding, which the fallback would see.
        double const margin = kDoubleMargin * std::abs(threshold);
        if (f_lo - margin >= threshold) return out = 1, true;
        if (f_hi + margin < threshold) return out = 0, true;
        return false;
    };

    std::size_t const n_batches = (n_perm + kPermutationBatch - 1) / kPermutationBatch;
    parallel_for(n_batches, options.threads, [&](std::size_t b0, std::size_t b1) {
        std::vector<float> scattered;
        std::vector<double> s;
        std::vector<double> ss;
        std::vector<double> f(rows.size());
        for (std::size_t b = b0; b < b1; ++b) {
            std::size_t const first = b * kPermutationBatch;
            std::size_t const count = std::min(kPermutationBatch, n_perm - first);
            std::size_t const used = static_cast<std::size_t>(m) * count;
            std::size_t const stride = (used + forms.column_multiple() - 1) / forms.column_multiple() * forms.column_multiple();
            scattered.assign(n * stride, 0.0f);
            std::vector<std::vector<std::size_t>> perms(count);
            for (std::size_t k = 0; k < count; ++k) {
                perms[k] = draw_permutation(options.seed, first + k, n, options.strata);
                for (std::size_t i = 0; i < n; ++i) {
                    float* row = &scattered[perms[k][i] * stride + k * static_cast<std::size_t>(m)];
                    for (Eigen::Index c = 0; c < m; ++c) row[c] = static_cast<float>(basis(static_cast<Eigen::Index>(i), c));
                }
            }
            s.resize(stride);
            forms.evaluate(scattered.data(), stride, s.data());
            for (std::size_t k = 0; k < count; ++k) {
                Eigen::Map<Eigen::VectorXd const> const approx(&s[k * static_cast<std::size_t>(m)], m);
                table_ss(approx, ss, nullptr);
                std::uint8_t* out = &hit[(first + k) * rows.size()];
                bool certain = true;
                for (std::size_t r = 0; r < rows.size() && certain; ++r) certain = decide(ss, r, out[r]);
                if (certain) continue;
                // Too close to call in float32: the exact double evaluation decides.
                Eigen::MatrixXd x(n_rows, m);
                for (std::size_t i = 0; i < n; ++i) x.row(static_cast<Eigen::Index>(perms[k][i])) = basis.row(static_cast<Eigen::Index>(i));
                Eigen::VectorXd const exact = (x.array() * (g * x).array()).colwise().sum().transpose();
                table_ss(exact, ss, nullptr);
                f_stats(ss, df, f.data());
                for (std::size_t r = 0; r < rows.size(); ++r) out[r] = f[r] >= f0[r] - kTieTolerance ? 1 : 0;
            }
        }
    });

    return finish_table(hit);
}

PermanovaResult permanova(DistanceMatrix const& dm, std::string const& dm_origin, io::Metadata const& md,
                          std::string const& formula, std::string const& strata_column, PermanovaOptions options) {
    auto const f = parse_formula(formula);
    if (!f.random_intercepts.empty())
        throw UsageError("PERMANOVA has no random terms: '(1|" + f.random_intercepts.front() + ")' in the formula",
                         "permute within subjects instead: --strata " + f.random_intercepts.front());
    auto const join = io::join_metadata(dm.ids(), dm_origin, md);
    auto const design = build_model_matrix(f, md, join.row_of_sample, dm.ids());
    if (!strata_column.empty()) {
        std::vector<std::string> levels;
        options.strata = group_codes(md, md.require_column(strata_column), join.row_of_sample, dm.ids(), levels);
    }
    return permanova(gower_centred(dm), design, options);
}

}  // namespace orbiome::ecology
