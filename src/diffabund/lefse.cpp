#include "diffabund/lefse.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <tuple>

#include <Eigen/Dense>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "diffabund/py_random.hpp"
#include "diffabund/stats.hpp"

namespace orbiome::diffabund {

namespace {

constexpr double kLefseScale = 1e6;        // format_input -o 1000000
constexpr double kLdaTolerance = 1e-10;    // lefse_run passes tol = 1e-10 to MASS::lda
constexpr double kJitterFraction = 0.05;   // jitter sd = max(0.05 x, 0.01)
constexpr double kJitterFloor = 0.01;
constexpr std::size_t kJitterMinDistinct = 4;
constexpr double kJitterDistinctFraction = 0.5;  // jitter a class with <= max(0.5 size, 4) distinct values
constexpr int kResampleTries = 1000;
constexpr double kMinClassFactor = 0.5;  // min_cl = int(smallest class * f * f * 0.5)

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::size_t const n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Subclass {
    std::size_t cls;
    std::vector<std::size_t> members;
};

// Step 3 for one feature.
bool passes_subclass_wilcoxon(std::vector<double> const& v, std::size_t n_classes,
                              std::vector<std::vector<std::size_t>> const& class_subclasses,
                              std::vector<Subclass> const& subclasses, double alpha) {
    std::vector<std::pair<std::size_t, std::size_t>> differing;
    for (std::size_t a = 0; a < n_classes; ++a)
        for (std::size_t b = a + 1; b < n_classes; ++b) {
            std::size_t ok = 0;
            bool first = true, br = false;
            int dir = -1;  // -1 unset, else (median_a < median_b)
            bool tres = false;
            for (std::size_t k1 : class_subclasses[a]) {
                for (std::size_t k2 : class_subclasses[b]) {
                    std::vector<double> c1, c2;
                    for (auto i : subclasses[k1].members) c1.push_back(v[i]);
                    for (auto i : subclasses[k2].members) c2.push_back(v[i]);
                    bool const med_comp = c1.size() < kMinSubclassSize || c2.size() < kMinSubclassSize;
                    double const sx = median(c1), sy = median(c2);
                    bool const const1 = std::all_of(c1.begin(), c1.end(), [&](double x) { return x == c1[0]; });
                    bool const const2 = std::all_of(c2.begin(), c2.end(), [&](double x) { return x == c2[0]; });
                    if (c1[0] == c2[0] && const1 && const2) {
                        tres = false;
                        first = false;
                    } else if (!med_comp) {
                        auto r = wilcoxon_rank_sum_normal(c1, c2, false);
                        tres = r.tested && r.p_value < alpha * 2.0;
                    }
                    int const lt = sx < sy ? 1 : 0;
                    if (first) {
                        first = false;
                        if (med_comp || tres)
                            dir = lt;
                        else
                            br = true;
                    } else if (med_comp) {
                        if (lt != dir || sx == sy) br = true;
                    } else if (!tres || lt != dir || sx == sy) {
                        br = true;
                    }
                    if (br) break;
                    ++ok;
                }
                if (br) break;
            }
            if (ok == class_subclasses[a].size() * class_subclasses[b].size()) differing.emplace_back(a, b);
        }
    for (std::size_t k = 0; k < n_classes; ++k) {
        std::size_t nk = 0;
        for (auto const& [a, b] : differing) nk += (a == k || b == k);
        if (nk == n_classes - 1) return true;
    }
    return false;
}

// lefse's contast_within_classes_or_few_per_class: true when the resample is unusable. A class
// is unusable for a feature with at most `limit` distinct values, so counting stops at limit + 1
// (equal doubles are one value, as in lefse's set()).
bool unusable(std::vector<std::vector<double>> const& x, std::vector<std::size_t> const& cls,
              std::vector<std::size_t> const& pick, std::size_t min_cl, std::size_t n_classes) {
    std::vector<std::size_t> count(n_classes, 0);
    for (auto i : pick) ++count[cls[i]];
    for (auto c : count)
        if (c == 0 || c < min_cl) return true;
    std::size_t const limit = min_cl > 1 ? min_cl : 1;
    std::vector<std::vector<double>> seen(n_classes);
    for (auto& s : seen) s.reserve(limit + 1);
    for (auto const& col : x) {
        for (auto& s : seen) s.clear();
        std::size_t full = 0;  // classes past the limit
        for (auto i : pick) {
            auto& s = seen[cls[i]];
            if (s.size() > limit || std::find(s.begin(), s.end(), col[i]) != s.end()) continue;
            s.push_back(col[i]);
            if (s.size() > limit && ++full == n_classes) break;
        }
        if (full < n_classes) return true;
    }
    return false;
}

// First linear discriminant of MASS::lda (method "moment", proportional priors, tol
// kLdaTolerance), unit length, and the class means (rows of classes absent from the resample
// stay 0, as lefse reads them). Classes absent from `g` are dropped as MASS drops empty factor
// levels. Returns false where MASS would stop (a variable constant within groups, rank 0).
bool first_discriminant(Eigen::MatrixXd const& x, std::vector<std::size_t> const& g, std::size_t n_classes,
                        Eigen::VectorXd& w, Eigen::MatrixXd& means) {
    auto const n = x.rows(), p = x.cols();
    auto const row_of = [&](Eigen::Index i) { return static_cast<Eigen::Index>(g[static_cast<std::size_t>(i)]); };
    means = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_classes), p);
    Eigen::VectorXd count = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_classes));
    for (Eigen::Index i = 0; i < n; ++i) {
        means.row(row_of(i)) += x.row(i);
        count(row_of(i)) += 1;
    }
    std::vector<Eigen::Index> present;
    for (Eigen::Index c = 0; c < means.rows(); ++c)
        if (count(c) > 0) {
            means.row(c) /= count(c);
            present.push_back(c);
        }
    if (present.size() < 2) return false;
    Eigen::MatrixXd centred = x;
    for (Eigen::Index i = 0; i < n; ++i) centred.row(i) -= means.row(row_of(i));
    // f1 = sd of the within-class residuals (var() subtracts their column mean, ~0).
    Eigen::VectorXd f1(p);
    for (Eigen::Index j = 0; j < p; ++j) {
        double const m = centred.col(j).mean();
        f1(j) = std::sqrt((centred.col(j).array() - m).square().sum() / static_cast<double>(n - 1));
        if (!(f1(j) >= kLdaTolerance)) return false;  // MASS stops: "variable appears constant within groups"
    }
    auto const ng = static_cast<double>(present.size());
    Eigen::MatrixXd X = centred * f1.cwiseInverse().asDiagonal();
    X *= std::sqrt(1.0 / (static_cast<double>(n) - ng));
    // The SVD of X: divide and conquer (BDCSVD) is ~5x faster than one-sided Jacobi at 200 x 200
    // and gives the same scores (to ~1e-15 on the enterotype case) when X has full column rank
    // with its smallest singular value clear of the rank tolerance. Otherwise (more features
    // than samples in the resample, or a singular value near the tolerance) the Jacobi SVD is
    // used, as before: on the HMP resamples (36 samples, ~50 features) BDCSVD moves LDA scores
    // by up to 1e-6, beyond the parity tolerance.
    constexpr double kRankMargin = 100;
    auto const rank_of = [](Eigen::VectorXd const& d) {
        Eigen::Index r = 0;
        while (r < d.size() && d(r) > kLdaTolerance) ++r;
        return r;
    };
    Eigen::VectorXd d1;
    Eigen::Index rank = 0;
    Eigen::MatrixXd v1;
    if (n > p) {
        Eigen::BDCSVD<Eigen::MatrixXd> fast(X, Eigen::ComputeThinV);
        d1 = fast.singularValues();
        rank = rank_of(d1);
        if (rank == p && d1(p - 1) > kLdaTolerance * kRankMargin) v1 = fast.matrixV();
    }
    if (v1.size() == 0) {
        Eigen::JacobiSVD<Eigen::MatrixXd> exact(X, Eigen::ComputeThinV);
        d1 = exact.singularValues();
        rank = rank_of(d1);
        if (rank == 0) return false;
        v1 = exact.matrixV().leftCols(rank);
    }
    Eigen::MatrixXd scaling = f1.cwiseInverse().asDiagonal() * v1 * d1.head(rank).cwiseInverse().asDiagonal();
    Eigen::RowVectorXd xbar = Eigen::RowVectorXd::Zero(p);
    for (auto c : present) xbar += (count(c) / static_cast<double>(n)) * means.row(c);
    Eigen::MatrixXd B(static_cast<Eigen::Index>(present.size()), p);
    for (std::size_t r = 0; r < present.size(); ++r) {
        auto const c = present[r];
        B.row(static_cast<Eigen::Index>(r)) = (means.row(c) - xbar) * std::sqrt(count(c) / (ng - 1));
    }
    Eigen::MatrixXd X2 = B * scaling;
    Eigen::JacobiSVD<Eigen::MatrixXd> svd2(X2, Eigen::ComputeThinV);
    if (!(svd2.singularValues()(0) > 0)) return false;  // MASS: "group means are numerically identical"
    w = scaling * svd2.matrixV().col(0);
    double const norm = w.norm();
    if (!(norm > 0) || !std::isfinite(norm)) return false;
    w /= norm;
    return true;
}

}  // namespace

DiffResult run_lefse(table::FeatureTable const& t, Design const& d, LefseOptions const& o, int n_threads) {
    if (!d.covariate_names.empty()) throw UsageError("--method lefse cannot adjust for covariates", "use --subclass");
    std::size_t const n = d.n_samples(), k = d.levels.size();

    // Step 1: features (with added ancestor clades for '|' hierarchies) on LEfSe's 1e6 scale.
    std::vector<std::string> names, lineages;
    std::vector<std::vector<double>> raw;
    for (std::size_t f = 0; f < d.n_features(); ++f) {
        names.push_back(t.feature_ids()[d.features[f]]);
        lineages.push_back(t.has_lineages() ? t.lineages()[d.features[f]] : "");
        raw.emplace_back(d.counts.begin() + static_cast<std::ptrdiff_t>(f * n),
                         d.counts.begin() + static_cast<std::ptrdiff_t>((f + 1) * n));
    }
    bool const hierarchical = std::any_of(names.begin(), names.end(), [](auto const& s) { return s.find('|') != std::string::npos; });
    if (hierarchical) {
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < names.size(); ++i) index[names[i]] = i;
        std::map<std::string, std::vector<double>> added;
        std::vector<std::string> added_order;
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::string const& name = names[i];
            for (std::size_t pos = name.find('|'); pos != std::string::npos; pos = name.find('|', pos + 1)) {
                std::string clade = name.substr(0, pos);
                if (index.contains(clade)) continue;
                auto [it, fresh] = added.try_emplace(clade, std::vector<double>(n, 0.0));
                if (fresh) added_order.push_back(clade);
                for (std::size_t s = 0; s < n; ++s) it->second[s] += raw[i][s];
            }
        }
        for (auto const& c : added_order) {
            names.push_back(c);
            lineages.push_back("");
            raw.push_back(added[c]);
        }
    }
    std::vector<double> scale(n, 0.0);
    for (std::size_t i = 0; i < names.size(); ++i)
        if (!hierarchical || names[i].find('|') == std::string::npos)
            for (std::size_t s = 0; s < n; ++s) scale[s] += raw[i][s];
    for (auto& s : scale) s = s > 0 ? kLefseScale / s : 0.0;
    std::size_t const nf = names.size();
    std::vector<std::vector<double>> v(nf, std::vector<double>(n));
    for (std::size_t i = 0; i < nf; ++i)
        for (std::size_t s = 0; s < n; ++s) v[i][s] = raw[i][s] * scale[s];

    // Subclasses as lefse_format_input names them: a subclass name found in more than one class
    // becomes "CLASS_NAME"; without subclasses each class is one subclass. Per class they are
    // visited in sorted order (the order of LEfSe's class hierarchy).
    std::vector<std::string> subclass_name(n);
    {
        std::map<std::string, std::set<std::size_t>> classes_of;
        for (std::size_t s = 0; s < n; ++s)
            if (!d.subclass.empty()) classes_of[d.subclass[s]].insert(d.group[s]);
        for (std::size_t s = 0; s < n; ++s) {
            std::string const& cls = d.levels[d.group[s]];
            if (d.subclass.empty())
                subclass_name[s] = cls + "_subcl";
            else
                subclass_name[s] = classes_of[d.subclass[s]].size() > 1 ? cls + "_" + d.subclass[s] : d.subclass[s];
        }
    }
    std::vector<Subclass> subclasses;
    std::vector<std::vector<std::size_t>> class_subclasses(k);
    {
        std::map<std::pair<std::size_t, std::string>, std::size_t> id;
        for (std::size_t s = 0; s < n; ++s) id.try_emplace({d.group[s], subclass_name[s]}, 0);
        for (auto& [key, idx] : id) {
            idx = subclasses.size();
            subclasses.push_back({key.first, {}});
            class_subclasses[key.first].push_back(idx);
        }
        for (std::size_t s = 0; s < n; ++s) subclasses[id.at({d.group[s], subclass_name[s]})].members.push_back(s);
    }

    // Steps 2 and 3.
    DiffResult r;
    r.extra_column = "class";
    r.rows.resize(nf);
    std::vector<char> passed(nf, 0);
    parallel_for(nf, n_threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t f = begin; f < end; ++f) {
            DiffRow& row = r.rows[f];
            row.feature = names[f];
            row.lineage = lineages[f];
            row.mean.assign(k, 0.0);
            row.prevalence.assign(k, 0.0);
            std::vector<double> count(k, 0.0);
            for (std::size_t s = 0; s < n; ++s) {
                row.mean[d.group[s]] += v[f][s];
                row.prevalence[d.group[s]] += v[f][s] > 0;
                count[d.group[s]] += 1;
            }
            for (std::size_t c = 0; c < k; ++c) {
                row.mean[c] /= count[c] * kLefseScale;
                row.prevalence[c] /= count[c];
            }
            auto kw = kruskal_wallis(v[f], d.group);
            row.tested = kw.tested;
            row.statistic = kw.tested ? kw.statistic : 0;
            row.p_value = kw.tested ? kw.p_value : 1;
            if (!kw.tested || !(kw.p_value < o.kw_alpha)) continue;
            passed[f] = passes_subclass_wilcoxon(v[f], k, class_subclasses, subclasses, o.wilcoxon_alpha);
        }
    });
    adjust_rows(r.rows);

    // Step 4: LDA on the passing features, in LEfSe's order: samples sorted by class, subclass
    // and subject (table order among ties), features in table order then the added clades.
    // One PyRandom stream, as lefse_run's module-level `random`: first the jitter draws, then
    // the bootstrap draws; the fits need no randomness and run in parallel afterwards.
    std::vector<std::size_t> chosen;
    for (std::size_t f = 0; f < nf; ++f)
        if (passed[f]) chosen.push_back(f);
    std::size_t const p = chosen.size();
    if (p > 0) {
        std::vector<std::size_t> order(n);
        for (std::size_t s = 0; s < n; ++s) order[s] = s;
        static std::string const kNoSubject;
        auto subject = [&](std::size_t s) -> std::string const& { return d.subject.empty() ? kNoSubject : d.subject[s]; };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return std::tie(d.group[a], subclass_name[a], subject(a)) < std::tie(d.group[b], subclass_name[b], subject(b));
        });
        std::vector<std::size_t> cls(n);
        for (std::size_t i = 0; i < n; ++i) cls[i] = d.group[order[i]];
        std::vector<std::vector<double>> x(p, std::vector<double>(n));
        for (std::size_t j = 0; j < p; ++j)
            for (std::size_t i = 0; i < n; ++i) x[j][i] = v[chosen[j]][order[i]];
        PyRandom rng(o.seed);
        std::vector<std::size_t> class_size(k, 0);
        for (auto g : cls) ++class_size[g];
        // Jitter: lefse visits the classes in Python set order (string-hash dependent); here in
        // sorted order. On the HMP example no feature needs more than one class jittered, and
        // lefse_run.py gives identical results under four PYTHONHASHSEED values.
        for (std::size_t j = 0; j < p; ++j) {
            for (std::size_t c = 0; c < k; ++c) {
                std::set<double> distinct;
                for (std::size_t i = 0; i < n; ++i)
                    if (cls[i] == c) distinct.insert(x[j][i]);
                if (static_cast<double>(distinct.size()) > std::max(static_cast<double>(class_size[c]) * kJitterDistinctFraction,
                                                                   static_cast<double>(kJitterMinDistinct)))
                    continue;
                for (std::size_t i = 0; i < n; ++i)
                    if (cls[i] == c)
                        x[j][i] = std::abs(x[j][i] + rng.normalvariate(0.0, std::max(x[j][i] * kJitterFraction, kJitterFloor)));
            }
        }
        auto const rfk = static_cast<std::size_t>(static_cast<double>(n) * o.fract_sample);
        std::size_t const smallest = *std::min_element(class_size.begin(), class_size.end());
        std::size_t const min_cl = std::max<std::size_t>(
            1, static_cast<std::size_t>(static_cast<double>(smallest) * o.fract_sample * o.fract_sample * kMinClassFactor));
        std::vector<std::vector<std::size_t>> picks(o.n_boots, std::vector<std::size_t>(rfk));
        for (auto& pick : picks)
            for (int attempt = 0; attempt < kResampleTries; ++attempt) {
                for (auto& i : pick) i = static_cast<std::size_t>(rng.randint(0, static_cast<std::int64_t>(n) - 1));
                if (!unusable(x, cls, pick, min_cl, k)) break;
            }
        std::vector<std::pair<std::size_t, std::size_t>> pairs;
        for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = a + 1; b < k; ++b) pairs.emplace_back(a, b);
        // score[boot][pair][feature]
        std::vector<std::vector<std::vector<double>>> score(o.n_boots,
                                                            std::vector<std::vector<double>>(pairs.size(), std::vector<double>(p, 0.0)));
        parallel_for(o.n_boots, n_threads, [&](std::size_t begin, std::size_t end) {
            for (std::size_t b = begin; b < end; ++b) {
                auto const& pick = picks[b];
                Eigen::MatrixXd sub(static_cast<Eigen::Index>(rfk), static_cast<Eigen::Index>(p));
                std::vector<std::size_t> g(rfk);
                for (std::size_t i = 0; i < rfk; ++i) {
                    g[i] = cls[pick[i]];
                    for (std::size_t j = 0; j < p; ++j)
                        sub(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = x[j][pick[i]];
                }
                Eigen::VectorXd w;
                Eigen::MatrixXd means;
                bool const ok = first_discriminant(sub, g, k, w, means);
                Eigen::VectorXd ld = ok ? Eigen::VectorXd(sub * w) : Eigen::VectorXd::Zero(static_cast<Eigen::Index>(rfk));
                for (std::size_t q = 0; q < pairs.size(); ++q) {
                    auto [a, c] = pairs[q];
                    double ma = 0, mc = 0, na = 0, nc = 0;
                    for (std::size_t i = 0; i < rfk; ++i) {
                        if (g[i] == a) ma += ld(static_cast<Eigen::Index>(i)), na += 1;
                        if (g[i] == c) mc += ld(static_cast<Eigen::Index>(i)), nc += 1;
                    }
                    // lefse: an absent class has mean NaN, and a NaN coefficient counts as 0.
                    double const effect = na > 0 && nc > 0 ? std::abs(ma / na - mc / nc) : 0.0;
                    for (std::size_t j = 0; j < p; ++j) {
                        auto const jj = static_cast<Eigen::Index>(j);
                        double const gm = std::abs(means(static_cast<Eigen::Index>(a), jj) - means(static_cast<Eigen::Index>(c), jj));
                        double const coeff = ok ? std::abs(w(jj) * effect) : 0.0;
                        score[b][q][j] = (gm + coeff) * 0.5;
                    }
                }
            }
        });
        for (std::size_t j = 0; j < p; ++j) {
            double m = -HUGE_VAL;
            for (std::size_t q = 0; q < pairs.size(); ++q) {
                double s = 0;
                for (std::size_t b = 0; b < o.n_boots; ++b) s += score[b][q][j];
                m = std::max(m, s / static_cast<double>(o.n_boots));
            }
            DiffRow& row = r.rows[chosen[j]];
            // math.log(x, 10) is log(x) / log(10), which can differ from log10 in the last bit.
            row.effect = std::copysign(1.0, m) * (std::log(1.0 + std::abs(m)) / std::log(10.0));
            if (std::abs(row.effect) > o.lda_cutoff) {
                auto top = std::max_element(row.mean.begin(), row.mean.end()) - row.mean.begin();
                row.extra = d.levels[static_cast<std::size_t>(top)];
            }
        }
    }
    r.notes.push_back("lefse: Kruskal-Wallis alpha " + format_double(o.kw_alpha) + ", subclass Wilcoxon alpha " +
                      format_double(o.wilcoxon_alpha) + ", LDA cutoff " + format_double(o.lda_cutoff) + ", " +
                      std::to_string(o.n_boots) + " resamples, seed " + std::to_string(o.seed) + "; " +
                      std::to_string(p) + " features passed the tests; effect = log10 LDA score, class = "
                      "discriminative features only");
    return r;
}

}  // namespace orbiome::diffabund
