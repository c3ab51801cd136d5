#include "amplicon/errors.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "amplicon/schedule.hpp"
#include "core/error.hpp"

namespace orbiome::amplicon {

namespace {

constexpr double kSpan = 0.75;
constexpr double kCell = 0.2;
constexpr double kMaxErr = 0.25;
constexpr double kMinErr = 1e-7;

struct LocalFit {
    double value = 0, slope = 0;
};

// Weighted local quadratic fit at q over the nf nearest points (R loess, ehg127's weights).
LocalFit local_fit(std::vector<double> const& x, std::vector<double> const& y, std::vector<double> const& w,
                   double q, std::size_t nf) {
    std::size_t const n = x.size();
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::vector<double> dist(n);
    for (std::size_t i = 0; i < n; ++i) dist[i] = (x[i] - q) * (x[i] - q);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return dist[a] < dist[b]; });
    double const rho = dist[idx[nf - 1]];
    // Rows of the sqrt-weighted design [1, x - q, (x - q)^2] and response.
    std::vector<std::array<double, 3>> a;
    std::vector<double> b;
    for (std::size_t k = 0; k < nf; ++k) {
        std::size_t const i = idx[k];
        double const t = std::sqrt(dist[i] / rho);
        double const tri = 1 - t * t * t;
        double const sw = std::sqrt(w[i] * tri * tri * tri);
        double const dx = x[i] - q;
        a.push_back({sw, sw * dx, sw * dx * dx});
        b.push_back(sw * y[i]);
    }
    // Householder QR of the nf x 3 system, then back substitution.
    std::size_t const m = a.size();
    std::array<double, 3> diag{};
    for (std::size_t j = 0; j < 3; ++j) {
        double norm = 0;
        for (std::size_t i = j; i < m; ++i) norm += a[i][j] * a[i][j];
        norm = std::sqrt(norm);
        if (norm == 0) {
            diag[j] = 0;
            continue;
        }
        double const alpha = a[j][j] > 0 ? -norm : norm;
        std::vector<double> v(m, 0.0);
        v[j] = a[j][j] - alpha;
        for (std::size_t i = j + 1; i < m; ++i) v[i] = a[i][j];
        double vv = 0;
        for (std::size_t i = j; i < m; ++i) vv += v[i] * v[i];
        if (vv == 0) {
            diag[j] = alpha;
            continue;
        }
        for (std::size_t c = j; c < 3; ++c) {
            double s = 0;
            for (std::size_t i = j; i < m; ++i) s += v[i] * a[i][c];
            s = 2 * s / vv;
            for (std::size_t i = j; i < m; ++i) a[i][c] -= s * v[i];
        }
        double s = 0;
        for (std::size_t i = j; i < m; ++i) s += v[i] * b[i];
        s = 2 * s / vv;
        for (std::size_t i = j; i < m; ++i) b[i] -= s * v[i];
        diag[j] = a[j][j];
    }
    // Near-singular columns get coefficient 0, as loess's pseudo-inverse drops them.
    double const tol = std::abs(diag[0]) * 100 * std::numeric_limits<double>::epsilon();
    std::array<double, 3> coef{};
    for (int j = 2; j >= 0; --j) {
        if (std::abs(diag[static_cast<std::size_t>(j)]) <= tol) {
            coef[static_cast<std::size_t>(j)] = 0;
            continue;
        }
        double s = b[static_cast<std::size_t>(j)];
        for (std::size_t c = static_cast<std::size_t>(j) + 1; c < 3; ++c) s -= a[static_cast<std::size_t>(j)][c] * coef[c];
        coef[static_cast<std::size_t>(j)] = s / a[static_cast<std::size_t>(j)][static_cast<std::size_t>(j)];
    }
    return {coef[0], coef[1]};
}

char const* const kRowNames[16] = {"A2A", "A2C", "A2G", "A2T", "C2A", "C2C", "C2G", "C2T",
                                   "G2A", "G2C", "G2G", "G2T", "T2A", "T2C", "T2G", "T2T"};

}  // namespace

std::vector<double> loess_predict(std::vector<double> const& xin, std::vector<double> const& yin,
                                  std::vector<double> const& win, std::vector<double> const& xout) {
    std::size_t const n = xin.size();
    std::vector<double> out(xout.size(), std::numeric_limits<double>::quiet_NaN());
    if (n == 0) return out;
    // Sort the points by x (the k-d tree only needs their order).
    std::vector<std::size_t> ord(n);
    std::iota(ord.begin(), ord.end(), std::size_t{0});
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) { return xin[a] < xin[b]; });
    std::vector<double> x(n), y(n), w(n);
    for (std::size_t k = 0; k < n; ++k) {
        x[k] = xin[ord[k]];
        y[k] = yin[ord[k]];
        w[k] = win[ord[k]];
    }
    std::size_t const nf = std::min<std::size_t>(n, static_cast<std::size_t>(std::floor(static_cast<double>(n) * kSpan)));
    if (nf < 1) return out;
    auto const fc = static_cast<std::size_t>(std::floor(static_cast<double>(n) * (kSpan * kCell)));
    double const lo = x.front(), hi = x.back();
    double const mu = 0.005 * std::max(hi - lo, 1e-10 * std::max(std::abs(lo), std::abs(hi)) + 1e-30);
    std::vector<double> vert{lo - mu, hi + mu};
    // Cells over sorted point ranges [l, u] (1-based as loess): split at the median point
    // x[m], m = floor((l + u) / 2), ties going to the upper cell.
    struct Cell {
        std::size_t l, u;
        double vlo, vhi;
    };
    std::vector<Cell> todo{{1, n, vert[0], vert[1]}};
    for (std::size_t p = 0; p < todo.size(); ++p) {
        Cell const c = todo[p];
        if (c.u - c.l + 1 <= fc) continue;
        std::size_t m = (c.l + c.u) / 2;
        // Move the split past ties: alternate offsets 0, +1, -1, +2, ... until x[m'] != x[m'+1].
        long offset = 0;
        bool found = false;
        while (true) {
            long const mm = static_cast<long>(m) + offset;
            if (mm >= static_cast<long>(c.u) || mm < static_cast<long>(c.l)) break;
            if (x[static_cast<std::size_t>(mm) - 1] == x[static_cast<std::size_t>(mm)]) {
                offset = -offset;
                if (offset >= 0) ++offset;
            } else {
                m = static_cast<std::size_t>(mm);
                found = true;
                break;
            }
        }
        (void)found;
        double const t = x[m - 1];
        if (t == c.vlo || t == c.vhi) continue;  // leaf
        vert.push_back(t);
        todo.push_back({c.l, m, c.vlo, t});
        todo.push_back({m + 1, c.u, t, c.vhi});
    }
    std::sort(vert.begin(), vert.end());
    std::vector<LocalFit> fit(vert.size());
    for (std::size_t k = 0; k < vert.size(); ++k) fit[k] = local_fit(x, y, w, vert[k], nf);
    for (std::size_t k = 0; k < xout.size(); ++k) {
        double const z = xout[k];
        if (!(z >= lo && z <= hi)) continue;
        // The leaf cell: z <= split goes to the lower cell.
        std::size_t j = static_cast<std::size_t>(std::lower_bound(vert.begin(), vert.end(), z) - vert.begin());
        if (j == 0) j = 1;
        double const v0 = vert[j - 1], v1 = vert[j];
        double const h = (z - v0) / (v1 - v0);
        double const phi0 = (1 - h) * (1 - h) * (1 + 2 * h);
        double const phi1 = h * h * (3 - 2 * h);
        double const psi0 = h * (1 - h) * (1 - h);
        double const psi1 = h * h * (h - 1);
        out[k] = phi0 * fit[j - 1].value + phi1 * fit[j].value +
                 (psi0 * fit[j - 1].slope + psi1 * fit[j].slope) * (v1 - v0);
    }
    return out;
}

ErrorMatrix loess_errfun(TransitionCounts const& trans) {
    std::size_t const nq = trans.ncol;
    std::vector<double> qq(nq);
    for (std::size_t q = 0; q < nq; ++q) qq[q] = static_cast<double>(q);
    ErrorMatrix err{nq, std::vector<double>(16 * nq, 0.0)};
    for (int from = 0; from < 4; ++from) {
        std::vector<double> tot(nq, 0.0);
        for (int to = 0; to < 4; ++to)
            for (std::size_t q = 0; q < nq; ++q) tot[q] += static_cast<double>(trans.v[(from * 4 + to) * nq + q]);
        for (int to = 0; to < 4; ++to) {
            if (to == from) continue;
            std::vector<double> x, y, w;
            for (std::size_t q = 0; q < nq; ++q) {
                if (tot[q] == 0) continue;  // log10(x / 0) is infinite: NA, dropped by loess
                double const e = static_cast<double>(trans.v[(from * 4 + to) * nq + q]);
                x.push_back(qq[q]);
                y.push_back(std::log10((e + 1) / tot[q]));
                w.push_back(tot[q]);
            }
            std::vector<double> pred = loess_predict(x, y, w, qq);
            std::size_t first = nq, last = 0;
            for (std::size_t q = 0; q < nq; ++q)
                if (!std::isnan(pred[q])) {
                    first = std::min(first, q);
                    last = q;
                }
            if (first == nq)
                throw Error(Errc::data, {}, "error rates could not be estimated (too few reads)");
            for (std::size_t q = 0; q < nq; ++q) {
                double const p = q > last ? pred[last] : q < first ? pred[first] : pred[q];
                double r = std::pow(10.0, p);
                r = std::min(kMaxErr, std::max(kMinErr, r));
                err(static_cast<std::size_t>(from * 4 + to), q) = r;
            }
        }
        for (std::size_t q = 0; q < nq; ++q) {
            // 1 - colSums(est[3 rows]) in the order R sums them.
            long double s = 0;  // R's colSums accumulates in long double
            for (int to = 0; to < 4; ++to)
                if (to != from) s += err(static_cast<std::size_t>(from * 4 + to), q);
            err(static_cast<std::size_t>(from * 5), q) = 1 - static_cast<double>(s);
        }
    }
    return err;
}

std::size_t max_quality(Derep const& d) {
    double m = 0;
    for (auto const& q : d.quals)
        for (double v : q) m = std::max(m, v);
    return static_cast<std::size_t>(std::ceil(m));
}

ErrorMatrix extend_columns(ErrorMatrix const& err, std::size_t ncol) {
    if (ncol <= err.ncol) return err;
    ErrorMatrix out{ncol, std::vector<double>(16 * ncol)};
    for (std::size_t r = 0; r < 16; ++r)
        for (std::size_t q = 0; q < ncol; ++q) out(r, q) = err(r, std::min(q, err.ncol - 1));
    return out;
}

ErrorLearner::ErrorLearner(std::vector<Derep const*> const& all, DadaOptions const& opt, double nbases,
                           int max_consist, double nreads)
    : opt_(opt), max_consist_(max_consist) {
    for (Derep const* d : all) {
        samples_.push_back(d);
        res_.n_reads += d->n_reads();
        for (std::size_t u = 0; u < d->seqs.size(); ++u) res_.n_bases += std::uint64_t{d->abund[u]} * d->seqs[u].size();
        if (nreads > 0 ? static_cast<double>(res_.n_reads) > nreads
                       : nbases >= 0 && static_cast<double>(res_.n_bases) > nbases)
            break;
    }
    res_.n_samples = samples_.size();
    if (samples_.empty()) throw Error(Errc::data, {}, "no reads to learn the error rates from");
    std::size_t ncol = 41;
    for (Derep const* d : samples_) {
        max_q_.push_back(max_quality(*d));
        ncol = std::max(ncol, max_q_.back() + 1);
    }
    opt_.omega_c = 0;  // learnErrors counts every read
    err_ = ErrorMatrix::ones(ncol);
    caches_.resize(samples_.size());
    trans_.resize(samples_.size());
}

void ErrorLearner::run_sample(std::size_t i) {
    DadaOptions o = opt_;
    if (initial_) o.max_clust = 1;
    trans_[i] = dada_uniques(*samples_[i], extend_columns(err_, max_q_[i] + 1), o, {}, &caches_[i]).trans;
}

void ErrorLearner::end_round() {
    std::size_t const ncol = err_.ncol;
    TransitionCounts cur{ncol, std::vector<std::uint64_t>(16 * ncol, 0)};
    for (auto const& t : trans_)
        for (std::size_t r = 0; r < 16; ++r)
            for (std::size_t q = 0; q < std::min(ncol, t.ncol); ++q) cur.v[r * ncol + q] += t.v[r * t.ncol + q];
    res_.trans = cur;
    err_ = loess_errfun(cur);
    if (initial_) {
        initial_ = false;
        for (std::size_t q = 0; q < ncol; ++q)
            for (std::size_t r : {0u, 5u, 10u, 15u}) err_(r, q) = 1.0;
    }
    bool const again = std::find(seen_.begin(), seen_.end(), err_) != seen_.end();
    if (again || nconsist_ >= max_consist_) {
        res_.converged = again;
        done_ = true;
        return;
    }
    ++nconsist_;
    seen_.push_back(err_);
}

LearnResult ErrorLearner::finish(std::vector<AlignCache>* caches) {
    res_.err = err_;
    res_.rounds = nconsist_;
    if (caches) *caches = std::move(caches_);
    return res_;
}

LearnResult learn_errors(std::vector<Derep const*> const& all, DadaOptions const& opt, int threads, double nbases,
                         int max_consist, double nreads, std::vector<AlignCache>* caches_out) {
    ErrorLearner l(all, opt, nbases, max_consist, nreads);
    std::vector<std::uint64_t> costs;
    for (std::size_t i = 0; i < l.n_samples(); ++i) costs.push_back(l.cost(i));
    while (!l.done()) {
        run_costliest_first(costs, threads, [&](std::size_t i) { l.run_sample(i); });
        l.end_round();
    }
    return l.finish(caches_out);
}

std::string error_matrix_tsv(ErrorMatrix const& err) {
    std::string s = "transition";
    for (std::size_t q = 0; q < err.ncol; ++q) s += '\t' + std::to_string(q);
    s += '\n';
    char buf[40];
    for (std::size_t r = 0; r < 16; ++r) {
        s += kRowNames[r];
        for (std::size_t q = 0; q < err.ncol; ++q) {
            std::snprintf(buf, sizeof buf, "\t%.17g", err(r, q));
            s += buf;
        }
        s += '\n';
    }
    return s;
}

}  // namespace orbiome::amplicon
