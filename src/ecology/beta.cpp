#include "ecology/beta.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <tuple>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"
#include "ecology/alpha.hpp"
#include "ecology/unifrac.hpp"

namespace orbiome::ecology {

namespace {

constexpr std::array<std::pair<BetaMetric, std::string_view>, 7> kNames{{
    {BetaMetric::braycurtis, "braycurtis"},
    {BetaMetric::jaccard, "jaccard"},
    {BetaMetric::aitchison, "aitchison"},
    {BetaMetric::unweighted_unifrac, "unweighted_unifrac"},
    {BetaMetric::weighted_unifrac, "weighted_unifrac"},
    {BetaMetric::weighted_normalized_unifrac, "weighted_normalized_unifrac"},
    {BetaMetric::generalized_unifrac, "generalized_unifrac"},
}};

// Rows per block of the dense Aitchison kernel: two blocks of 16 rows of a few thousand features
// stay in L2 while all their pairs are formed.
constexpr std::size_t kRowBlock = 16;

// Where a kernel writes the pairs of rows [row_begin, row_end) of the upper triangle: a condensed
// (scipy-order) vector, or the slice of one that starts at row_begin (a partition).
struct RowSlice {
    std::size_t n = 0;
    std::size_t row_begin = 0;
    std::size_t row_end = 0;
    double* out = nullptr;  // condensed_index(n, row_begin, row_begin + 1) maps here

    void set(std::size_t i, std::size_t j, double v) const {
        out[condensed_index(n, i, j) - condensed_index(n, row_begin, row_begin + 1)] = v;
    }
};

// Bray-Curtis and Jaccard: row i is scattered into a dense buffer once, and each later sample j
// walks only its own non-zeros against it.
void sparse_pairs(table::FeatureTable const& t, bool jaccard, int n_threads, RowSlice const& dm) {
    std::size_t const n = t.n_samples();
    std::vector<double> total(n);
    for (std::size_t s = 0; s < n; ++s)
        total[s] = jaccard ? static_cast<double>(t.sample_features(s).size()) : t.sample_total(s);
    // Each row runs in one task and writes only its own pairs; scratch is per task. Rows are
    // taken in pairs (first + last of the slice) so that tasks hold similar numbers of pairs.
    std::size_t const r0 = dm.row_begin, m = dm.row_end - dm.row_begin;
    parallel_for((m + 1) / 2, n_threads, [&](std::size_t b, std::size_t e) {
        std::vector<double> dense(t.n_features(), 0.0);
        auto row = [&](std::size_t i) {
            auto const fi = t.sample_features(i);
            auto const vi = t.sample_values(i);
            for (std::size_t k = 0; k < fi.size(); ++k) dense[fi[k]] = jaccard ? 1.0 : vi[k];
            for (std::size_t j = i + 1; j < n; ++j) {
                auto const fj = t.sample_features(j);
                auto const vj = t.sample_values(j);
                double shared = 0.0;
                if (jaccard) {
                    for (std::size_t k = 0; k < fj.size(); ++k) shared += dense[fj[k]];
                    double const uni = total[i] + total[j] - shared;
                    dm.set(i, j, uni > 0.0 ? (uni - shared) / uni : 0.0);
                } else {
                    for (std::size_t k = 0; k < fj.size(); ++k) shared += std::min(dense[fj[k]], vj[k]);
                    double const sum = total[i] + total[j];
                    dm.set(i, j, sum > 0.0 ? (sum - 2.0 * shared) / sum : 0.0);
                }
            }
            for (auto f : fi) dense[f] = 0.0;
        };
        for (std::size_t u = b; u < e; ++u) {
            row(r0 + u);
            if (m - 1 - u != u) row(r0 + m - 1 - u);
        }
    });
}

void aitchison(table::FeatureTable const& t, double pseudocount, std::string const& origin, int n_threads,
               RowSlice const& dm) {
    std::size_t const n = t.n_samples(), nf = t.n_features();
    if (pseudocount == 0.0) {
        for (std::size_t s = 0; s < n; ++s)
            if (t.sample_features(s).size() < nf)
                throw ParseError({origin}, "sample '" + t.sample_ids()[s] +
                                               "': aitchison with pseudocount 0 needs a table without zeros; it has " +
                                     std::to_string(nf - t.sample_features(s).size()) + " zero features",
                                 "use --pseudocount 1 (the default) or another positive value");
    }
    std::vector<double> clr(n * nf);
    parallel_for(n, n_threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t s = b; s < e; ++s) {
            double* row = clr.data() + s * nf;
            std::fill(row, row + nf, 0.0);
            auto const f = t.sample_features(s);
            auto const v = t.sample_values(s);
            for (std::size_t k = 0; k < f.size(); ++k) row[f[k]] = v[k];
            double mean = 0.0;
            for (std::size_t g = 0; g < nf; ++g) {
                row[g] = std::log(row[g] + pseudocount);
                mean += row[g];
            }
            mean /= static_cast<double>(nf);
            for (std::size_t g = 0; g < nf; ++g) row[g] -= mean;
        }
    });
    std::size_t const nb = (n + kRowBlock - 1) / kRowBlock;
    // Block pairs (I <= J) in condensed order, rows restricted to the slice; each is owned by one task.
    std::vector<std::pair<std::size_t, std::size_t>> blocks;
    for (std::size_t bi = dm.row_begin / kRowBlock; bi * kRowBlock < dm.row_end; ++bi)
        for (std::size_t bj = bi; bj < nb; ++bj) blocks.emplace_back(bi, bj);
    parallel_for(blocks.size(), n_threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t q = b; q < e; ++q) {
            auto const [bi, bj] = blocks[q];
            for (std::size_t i = std::max(dm.row_begin, bi * kRowBlock);
                 i < std::min(dm.row_end, (bi + 1) * kRowBlock); ++i) {
                double const* __restrict__ x = clr.data() + i * nf;
                for (std::size_t j = std::max(i + 1, bj * kRowBlock); j < std::min(n, (bj + 1) * kRowBlock); ++j) {
                    double const* __restrict__ y = clr.data() + j * nf;
                    double ss = 0.0;
                    for (std::size_t g = 0; g < nf; ++g) {
                        double const d = x[g] - y[g];
                        ss += d * d;
                    }
                    dm.set(i, j, std::sqrt(ss));
                }
            }
        }
    });
}

UnifracOptions unifrac_options(BetaOptions const& o) {
    UnifracOptions uo;
    uo.kind = o.metric == BetaMetric::unweighted_unifrac            ? UnifracKind::unweighted
              : o.metric == BetaMetric::weighted_unifrac            ? UnifracKind::weighted
              : o.metric == BetaMetric::weighted_normalized_unifrac ? UnifracKind::weighted_normalized
                                                                    : UnifracKind::generalized;
    uo.alpha = o.alpha;
    uo.n_threads = o.n_threads;
    return uo;
}

// Rows [row_begin, row_end) of a non-phylogenetic metric into `slice`.
void row_metric(table::FeatureTable const& t, BetaOptions const& o, RowSlice const& slice) {
    if (o.metric == BetaMetric::aitchison) aitchison(t, o.pseudocount, o.table_origin, o.n_threads, slice);
    else sparse_pairs(t, o.metric == BetaMetric::jaccard, o.n_threads, slice);
}

template <class T>
void hash_bytes(Sha256& h, std::span<T const> v) {
    h.update({reinterpret_cast<char const*>(v.data()), v.size_bytes()});
}

// SHA-256 of everything the distances depend on (see dm_partition.hpp).
std::string fingerprint(table::FeatureTable const& t, BetaOptions const& o, MatchedTree const* tree) {
    Sha256 h;
    auto field = [&](std::string_view s) {
        h.update(s);
        h.update(std::string_view("\0", 1));
    };
    field(beta_metric_name(o.metric));
    field(format_double(o.metric == BetaMetric::aitchison ? o.pseudocount : 0.0));
    field(format_double(o.metric == BetaMetric::generalized_unifrac ? o.alpha : 0.0));
    for (auto const& id : t.sample_ids()) field(id);
    for (auto const& id : t.feature_ids()) field(id);
    for (std::size_t s = 0; s < t.n_samples(); ++s) {
        hash_bytes(h, t.sample_features(s));
        hash_bytes(h, t.sample_values(s));
        field("");
    }
    if (tree) {
        hash_bytes(h, std::span<std::uint32_t const>(tree->parent));
        hash_bytes(h, std::span<double const>(tree->length));
        hash_bytes(h, std::span<std::uint32_t const>(tree->feature_node));
    }
    return h.hex_digest();
}

}  // namespace

std::string_view beta_metric_name(BetaMetric m) {
    for (auto const& [k, name] : kNames)
        if (k == m) return name;
    return "?";
}

BetaMetric parse_beta_metric(std::string_view name) {
    for (auto const& [k, n] : kNames)
        if (n == name) return k;
    std::string valid;
    for (auto const& [k, n] : kNames) valid += (valid.empty() ? "" : ", ") + std::string(n);
    throw UsageError("unknown beta metric '" + std::string(name) + "'", "valid metrics: " + valid);
}

bool is_phylogenetic(BetaMetric m) {
    return m == BetaMetric::unweighted_unifrac || m == BetaMetric::weighted_unifrac ||
           m == BetaMetric::weighted_normalized_unifrac || m == BetaMetric::generalized_unifrac;
}

void BetaOptions::validate() const {
    if (is_phylogenetic(metric) && tree == nullptr)
        throw UsageError("metric " + std::string(beta_metric_name(metric)) + " needs a tree", "give --tree FILE.nwk");
    if (!(pseudocount >= 0.0) || !std::isfinite(pseudocount))
        throw UsageError("pseudocount must be finite and >= 0 (got " + format_double(pseudocount) + ")");
    if (!std::isfinite(alpha)) throw UsageError("generalized UniFrac alpha must be finite");
}

DistanceMatrix beta_diversity(table::FeatureTable const& t, BetaOptions const& o) {
    o.validate();
    require_nonempty_samples(t, o.table_origin);
    if (is_phylogenetic(o.metric))
        return unifrac(t, match_tree(*o.tree, t.feature_ids(), o.tree_origin), unifrac_options(o));
    DistanceMatrix dm(t.sample_ids());
    row_metric(t, o, RowSlice{dm.size(), 0, dm.size(), dm.condensed().data()});
    return dm;
}

PartialDistances beta_partial(table::FeatureTable const& t, BetaOptions const& o, Partition part) {
    o.validate();
    require_nonempty_samples(t, o.table_origin);
    std::size_t const n = t.n_samples();
    PartialDistances p;
    p.metric = std::string(beta_metric_name(o.metric));
    p.ids = t.sample_ids();
    p.part = part;
    if (is_phylogenetic(o.metric)) {
        auto const tree = match_tree(*o.tree, t.feature_ids(), o.tree_origin);
        p.fingerprint = fingerprint(t, o, &tree);
        p.layout = PartLayout::stripes;
        std::tie(p.begin, p.end) = partition_stripes(n, part);
        p.values = unifrac_stripes(t, tree, unifrac_options(o), p.begin, p.end);
        return p;
    }
    p.fingerprint = fingerprint(t, o, nullptr);
    p.layout = PartLayout::rows;
    std::tie(p.begin, p.end) = partition_rows(n, part);
    std::size_t const first = p.begin < n ? condensed_index(n, p.begin, p.begin + 1) : 0;
    std::size_t const last = p.end < n ? condensed_index(n, p.end, p.end + 1) : n * (n - 1) / 2;
    p.values.assign(last > first ? last - first : 0, 0.0);
    if (!p.values.empty()) row_metric(t, o, RowSlice{n, p.begin, p.end, p.values.data()});
    return p;
}

}  // namespace orbiome::ecology
