#include "ecology/unifrac.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace orbiome::ecology {

namespace {

// Tile shape of the pair kernels: kStripeBlock stripes x kSampleBlock pairs. The accumulator
// tile (16 x 256 doubles = 32 KiB) stays in L1/L2 while every node of a batch streams past it,
// and a node contributes a contiguous slice of 256 + 16 values.
constexpr std::size_t kStripeBlock = 16;
constexpr std::size_t kSampleBlock = 256;
// Unweighted UniFrac packs this many nodes into one byte and looks up their summed lengths.
constexpr std::size_t kNodesPerByte = 8;
constexpr std::size_t kByteValues = 256;
// How many offending ids an error message lists.
constexpr std::size_t kIdsInMessage = 5;

std::string quoted_list(std::vector<std::string> const& ids) {
    std::string s;
    for (std::size_t i = 0; i < ids.size() && i < kIdsInMessage; ++i) s += (i ? ", '" : "'") + ids[i] + "'";
    if (ids.size() > kIdsInMessage) s += ", ...";
    return s;
}

// Weighted kernels add the contributions of this many nodes per pass over a stripe, so the stripe
// is loaded and stored once per group rather than once per node. Node groups are aligned to
// global node positions (batches hold a multiple of this), so the summation order, and thus every
// bit of the result, does not depend on the batch size.
constexpr std::size_t kNodeGroup = 4;

// Two doubles as one SSE2 register (GCC/Clang vector extension), with unaligned loads and stores.
using V2 = double __attribute__((vector_size(16)));
using V2Bits = long long __attribute__((vector_size(16)));
inline V2 load2(double const* p) {
    V2 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store2(double* p, V2 v) { std::memcpy(p, &v, sizeof v); }
inline V2 abs2(V2 v) {
    constexpr V2Bits kNoSign = {0x7fffffffffffffffLL, 0x7fffffffffffffffLL};
    return reinterpret_cast<V2>(reinterpret_cast<V2Bits>(v) & kNoSign);
}

// a[i] += (|e0[i]-e0[i+k]| + |e1[i]-e1[i+k]|) + (|e2[i]-e2[i+k]| + |e3[i]-e3[i+k]|) for i in [i0, i1);
// rows are 2n long (see the layout in unifrac.hpp). The scalar tail uses the same expression.
void add_group(double* __restrict__ a, double const* e0, double const* e1, double const* e2, double const* e3,
               std::size_t k, std::size_t i0, std::size_t i1) {
    std::size_t i = i0;
    for (; i + 2 <= i1; i += 2) {
        V2 const d0 = abs2(load2(e0 + i) - load2(e0 + i + k));
        V2 const d1 = abs2(load2(e1 + i) - load2(e1 + i + k));
        V2 const d2 = abs2(load2(e2 + i) - load2(e2 + i + k));
        V2 const d3 = abs2(load2(e3 + i) - load2(e3 + i + k));
        store2(a + i, load2(a + i) + ((d0 + d1) + (d2 + d3)));
    }
    for (; i < i1; ++i)
        a[i] += (std::fabs(e0[i] - e0[i + k]) + std::fabs(e1[i] - e1[i + k])) +
                (std::fabs(e2[i] - e2[i + k]) + std::fabs(e3[i] - e3[i + k]));
}

// Per-sample pass shared by all kernels: sums the sample's counts into every node of the
// matched tree (post-order, so a child is final before it is added to its parent).
void node_counts(table::FeatureTable const& t, MatchedTree const& tree, std::size_t s, std::vector<double>& acc) {
    std::fill(acc.begin(), acc.end(), 0.0);
    auto const f = t.sample_features(s);
    auto const v = t.sample_values(s);
    for (std::size_t k = 0; k < f.size(); ++k) acc[tree.feature_node[f[k]]] += v[k];
    for (std::size_t i = 0; i + 1 < tree.size(); ++i) acc[tree.parent[i]] += acc[i];
}

// Stripe layout: stripe k (1 <= k <= n/2) holds pairs (i, (i + k) mod n), i = 0..n-1. When n is
// even the last stripe lists every pair twice; only i < n/2 is read back. An object holds the
// stripes [k_begin, k_end) only (a partition of the matrix, or all of them); each accumulator sums
// the nodes in the same order whichever stripes are held, so a partition's values are those of
// the whole computation, bit for bit.
struct Stripes {
    std::size_t n = 0;
    std::size_t k_begin = 1;
    std::size_t k_end = 1;
    std::vector<double> acc;  // (k_end - k_begin) x n

    Stripes(std::size_t n_samples, std::size_t first, std::size_t last)
        : n(n_samples), k_begin(first), k_end(last), acc((last - first) * n_samples, 0.0) {}
    std::size_t n_held() const { return k_end - k_begin; }
    double* stripe(std::size_t k) { return acc.data() + (k - k_begin) * n; }
    std::size_t n_tiles() const { return ceil_div(n_held(), kStripeBlock) * ceil_div(n, kSampleBlock); }
    static std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

    // Calls f(k_begin, k_end, i_begin, i_end) for the tiles [t0, t1).
    template <class F>
    void for_tiles(std::size_t t0, std::size_t t1, F&& f) const {
        std::size_t const n_iblocks = ceil_div(n, kSampleBlock);
        for (std::size_t t = t0; t < t1; ++t) {
            std::size_t const kb = t / n_iblocks, ib = t % n_iblocks;
            std::size_t const k0 = k_begin + kb * kStripeBlock, k1 = std::min(k_end, k0 + kStripeBlock);
            std::size_t const i0 = ib * kSampleBlock, i1 = std::min(n, i0 + kSampleBlock);
            f(k0, k1, i0, i1);
        }
    }

    // Visits every held entry as g(k, i, value) in stripe order; the pair is (i, (i + k) mod n).
    // The duplicated half of an even n's last stripe is skipped.
    template <class G>
    void for_entries(G&& g) const {
        for (std::size_t k = k_begin; k < k_end; ++k) {
            double const* a = acc.data() + (k - k_begin) * n;
            for (std::size_t i = 0; i < stripe_length(n, k); ++i) g(k, i, a[i]);
        }
    }
};

// The nodes that can contribute: positive branch length (zero-length branches add exactly 0).
std::vector<std::uint32_t> contributing_nodes(MatchedTree const& tree) {
    std::vector<std::uint32_t> rows;
    for (std::size_t i = 0; i < tree.size(); ++i)
        if (tree.length[i] > 0.0) rows.push_back(static_cast<std::uint32_t>(i));
    return rows;
}

std::vector<double> unweighted(table::FeatureTable const& t, MatchedTree const& tree, UnifracOptions const& o,
                               std::size_t k_begin, std::size_t k_end) {
    int const n_threads = o.n_threads;
    std::size_t const n = t.n_samples();
    auto const rows = contributing_nodes(tree);
    std::size_t const n_groups_all = Stripes::ceil_div(rows.size(), kNodesPerByte);
    // Per group: one lookup table and a byte per sample, twice over.
    std::size_t const group_batch =
        std::max(kNodeGroup, o.embedding_budget_bytes / (kByteValues * sizeof(double) + 2 * n) / kNodeGroup * kNodeGroup);
    Stripes st(n, k_begin, k_end);
    std::vector<double> branch_sum(n, 0.0);  // sum of b over nodes present in the sample
    std::vector<std::uint8_t> bits;
    std::vector<double> tables;
    for (std::size_t g0 = 0; g0 < n_groups_all; g0 += group_batch) {
        std::size_t const g1 = std::min(n_groups_all, g0 + group_batch);
        // Padded to whole node groups with all-zero bytes, whose table entry 0 adds exactly +0.
        std::size_t const ng = (g1 - g0 + kNodeGroup - 1) / kNodeGroup * kNodeGroup;
        tables.assign(ng * kByteValues, 0.0);
        for (std::size_t g = 0; g < ng; ++g) {
            double* tab = tables.data() + g * kByteValues;
            std::size_t const r0 = (g0 + g) * kNodesPerByte;
            for (std::size_t m = 1; m < kByteValues; ++m) {
                std::size_t const low = static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(m)));
                double const len = r0 + low < rows.size() ? tree.length[rows[r0 + low]] : 0.0;
                tab[m] = tab[m & (m - 1)] + len;
            }
        }
        bits.assign(ng * 2 * n, 0);
        parallel_for(n, n_threads, [&](std::size_t b, std::size_t e) {
            std::vector<double> acc(tree.size());
            for (std::size_t s = b; s < e; ++s) {
                node_counts(t, tree, s, acc);
                for (std::size_t g = 0; g < ng; ++g) {
                    std::uint8_t byte = 0;
                    for (std::size_t bit = 0; bit < kNodesPerByte; ++bit) {
                        std::size_t const r = (g0 + g) * kNodesPerByte + bit;
                        if (r < rows.size() && acc[rows[r]] > 0.0) {
                            byte = static_cast<std::uint8_t>(byte | (1u << bit));
                            branch_sum[s] += tree.length[rows[r]];
                        }
                    }
                    bits[g * 2 * n + s] = bits[g * 2 * n + n + s] = byte;
                }
            }
        });
        parallel_for(st.n_tiles(), n_threads, [&](std::size_t tb, std::size_t te) {
            st.for_tiles(tb, te, [&](std::size_t k0, std::size_t k1, std::size_t i0, std::size_t i1) {
                // Four bytes (32 nodes) per pass over a stripe, in a fixed association.
                for (std::size_t g = 0; g < ng; g += kNodeGroup) {
                    double const* t0 = tables.data() + g * kByteValues;
                    double const* t1 = t0 + kByteValues;
                    double const* t2 = t1 + kByteValues;
                    double const* t3 = t2 + kByteValues;
                    std::uint8_t const* e0 = bits.data() + g * 2 * n;
                    std::uint8_t const* e1 = e0 + 2 * n;
                    std::uint8_t const* e2 = e1 + 2 * n;
                    std::uint8_t const* e3 = e2 + 2 * n;
                    for (std::size_t k = k0; k < k1; ++k) {
                        double* a = st.stripe(k);
                        for (std::size_t i = i0; i < i1; ++i)
                            a[i] += (t0[e0[i] ^ e0[i + k]] + t1[e1[i] ^ e1[i + k]]) +
                                    (t2[e2[i] ^ e2[i + k]] + t3[e3[i] ^ e3[i + k]]);
                    }
                }
            });
        });
    }
    // XOR length is the numerator; the union (denominator) is (A_i + A_j + XOR) / 2.
    std::vector<double> out;
    out.reserve(stripe_values_size(n, k_begin, k_end));
    st.for_entries([&](std::size_t k, std::size_t i, double x) {
        double const uni = 0.5 * (branch_sum[i] + branch_sum[(i + k) % n] + x);
        out.push_back(uni > 0.0 ? x / uni : 0.0);
    });
    return out;
}

std::vector<double> weighted(table::FeatureTable const& t, MatchedTree const& tree, UnifracOptions const& o,
                             std::size_t k_begin, std::size_t k_end) {
    std::size_t const n = t.n_samples();
    bool const generalized = o.kind == UnifracKind::generalized;
    auto const rows = contributing_nodes(tree);
    std::size_t const batch =
        std::max(kNodeGroup, o.embedding_budget_bytes / (2 * n * sizeof(double)) / kNodeGroup * kNodeGroup);
    std::vector<double> totals(n);
    for (std::size_t s = 0; s < n; ++s) totals[s] = t.sample_total(s);
    Stripes num(n, k_begin, k_end);
    Stripes den(generalized ? n : 0, k_begin, generalized ? k_end : k_begin);
    std::vector<double> scaled_sum(n, 0.0);  // sum_n b p_n(s): the normalizer's per-sample half
    std::vector<double> emb;
    double const alpha = o.alpha;
    for (std::size_t r0 = 0; r0 < rows.size(); r0 += batch) {
        std::size_t const r1 = std::min(rows.size(), r0 + batch), nr = r1 - r0;
        // Rows beyond r1 up to the next group boundary stay zero: they add exactly +0.
        std::size_t const nr_padded = (nr + kNodeGroup - 1) / kNodeGroup * kNodeGroup;
        emb.assign(nr_padded * 2 * n, 0.0);
        parallel_for(n, o.n_threads, [&](std::size_t b, std::size_t e) {
            std::vector<double> acc(tree.size());
            for (std::size_t s = b; s < e; ++s) {
                node_counts(t, tree, s, acc);
                double const total = totals[s];
                for (std::size_t r = 0; r < nr; ++r) {
                    std::uint32_t const node = rows[r0 + r];
                    double const p = total > 0.0 ? acc[node] / total : 0.0;
                    // Generalized needs p itself; the others use b * p, so the kernel saves a multiply.
                    double const v = generalized ? p : tree.length[node] * p;
                    if (!generalized) scaled_sum[s] += v;
                    emb[r * 2 * n + s] = emb[r * 2 * n + n + s] = v;
                }
            }
        });
        parallel_for(num.n_tiles(), o.n_threads, [&](std::size_t tb, std::size_t te) {
            num.for_tiles(tb, te, [&](std::size_t k0, std::size_t k1, std::size_t i0, std::size_t i1) {
                if (!generalized) {
                    for (std::size_t r = 0; r < nr_padded; r += kNodeGroup) {
                        double const* e = emb.data() + r * 2 * n;
                        for (std::size_t k = k0; k < k1; ++k)
                            add_group(num.stripe(k), e, e + 2 * n, e + 4 * n, e + 6 * n, k, i0, i1);
                    }
                    return;
                }
                for (std::size_t r = 0; r < nr; ++r) {
                    double const* __restrict__ e = emb.data() + r * 2 * n;
                    double const len = tree.length[rows[r0 + r]];
                    for (std::size_t k = k0; k < k1; ++k) {
                        double* __restrict__ a = num.stripe(k);
                        double* __restrict__ d = den.stripe(k);
                        for (std::size_t i = i0; i < i1; ++i) {
                            double const sum = e[i] + e[i + k];
                            if (sum <= 0.0) continue;
                            double const w = len * std::pow(sum, alpha);
                            a[i] += w * std::fabs(e[i] - e[i + k]) / sum;
                            d[i] += w;
                        }
                    }
                }
            });
        });
    }
    std::vector<double> out;
    out.reserve(stripe_values_size(n, k_begin, k_end));
    num.for_entries([&](std::size_t k, std::size_t i, double x) {
        double c = 1.0;  // weighted (unnormalized): the numerator is the distance
        if (o.kind == UnifracKind::weighted_normalized) c = scaled_sum[i] + scaled_sum[(i + k) % n];
        if (generalized) c = den.acc[(k - k_begin) * n + i];
        out.push_back(o.kind == UnifracKind::weighted ? x : c > 0.0 ? x / c : 0.0);
    });
    return out;
}

}  // namespace

MatchedTree match_tree(io::Tree const& tree, std::vector<std::string> const& feature_ids,
                       std::string const& tree_origin) {
    constexpr std::uint32_t kDuplicate = static_cast<std::uint32_t>(-2);
    std::size_t const n_nodes = tree.size();
    std::unordered_map<std::string_view, std::uint32_t> tips;
    tips.reserve(n_nodes);
    for (std::size_t i = 0; i < n_nodes; ++i) {
        if (!tree.is_tip(i)) continue;
        auto [it, fresh] = tips.emplace(tree.name[i], static_cast<std::uint32_t>(i));
        if (!fresh) it->second = kDuplicate;
    }
    std::vector<std::uint32_t> tip_of(feature_ids.size());
    std::vector<std::string> missing;
    for (std::size_t f = 0; f < feature_ids.size(); ++f) {
        auto const it = tips.find(feature_ids[f]);
        if (it == tips.end()) {
            missing.push_back(feature_ids[f]);
            continue;
        }
        if (it->second == kDuplicate)
            throw ParseError({tree_origin}, "table feature '" + feature_ids[f] + "' is the label of more than one tip",
                             "tip labels must be unique");
        tip_of[f] = it->second;
    }
    if (!missing.empty()) {
        std::unordered_set<std::string_view> internal;
        for (std::size_t i = 0; i < n_nodes; ++i)
            if (!tree.is_tip(i) && !tree.name[i].empty()) internal.insert(tree.name[i]);
        for (auto const& m : missing)
            if (internal.count(m))
                throw ParseError({tree_origin}, "table feature '" + m + "' is an internal node of the tree, not a tip");
        std::string const what = missing.size() == 1
                                     ? "table feature " + quoted_list(missing) + " is not a tip of the tree"
                                     : std::to_string(missing.size()) + " table features are not tips of the tree: " +
                                           quoted_list(missing);
        throw ParseError({tree_origin}, what, "use the tree the table was built with, or drop those features");
    }
    std::vector<char> used(n_nodes, 0);
    for (auto tip : tip_of) used[tip] = 1;
    for (std::size_t i = 0; i + 1 < n_nodes; ++i)
        if (used[i]) used[static_cast<std::size_t>(tree.parent[i])] = 1;
    std::vector<std::uint32_t> index(n_nodes, MatchedTree::kNoParent);
    MatchedTree m;
    for (std::size_t i = 0; i < n_nodes; ++i) {
        if (!used[i]) continue;
        index[i] = static_cast<std::uint32_t>(m.parent.size());
        m.parent.push_back(MatchedTree::kNoParent);
        m.length.push_back(tree.length[i]);
    }
    for (std::size_t i = 0; i < n_nodes; ++i)
        if (used[i] && tree.parent[i] >= 0) m.parent[index[i]] = index[static_cast<std::size_t>(tree.parent[i])];
    m.feature_node.resize(feature_ids.size());
    for (std::size_t f = 0; f < feature_ids.size(); ++f) m.feature_node[f] = index[tip_of[f]];
    return m;
}

std::vector<double> faith_pd(table::FeatureTable const& t, MatchedTree const& tree, int n_threads) {
    std::vector<double> pd(t.n_samples(), 0.0);
    if (tree.size() == 0) return pd;
    parallel_for(t.n_samples(), n_threads, [&](std::size_t b, std::size_t e) {
        std::vector<double> acc(tree.size());
        for (std::size_t s = b; s < e; ++s) {
            node_counts(t, tree, s, acc);
            double sum = 0.0;
            for (std::size_t i = 0; i < tree.size(); ++i)
                if (acc[i] > 0.0) sum += tree.length[i];
            pd[s] = sum;
        }
    });
    return pd;
}

std::size_t stripe_length(std::size_t n_samples, std::size_t k) { return 2 * k == n_samples ? k : n_samples; }

std::size_t stripe_values_size(std::size_t n_samples, std::size_t k_begin, std::size_t k_end) {
    std::size_t size = 0;
    for (std::size_t k = k_begin; k < k_end; ++k) size += stripe_length(n_samples, k);
    return size;
}

void place_stripes(std::span<double const> values, std::size_t k_begin, std::size_t k_end, DistanceMatrix& dm) {
    std::size_t const n = dm.size();
    if (values.size() != stripe_values_size(n, k_begin, k_end))
        throw Error(Errc::software, {}, "stripe values do not match stripes " + std::to_string(k_begin) + ".." +
                                            std::to_string(k_end) + " of " + std::to_string(n) + " samples");
    std::size_t idx = 0;
    for (std::size_t k = k_begin; k < k_end; ++k)
        for (std::size_t i = 0; i < stripe_length(n, k); ++i) dm.set(i, (i + k) % n, values[idx++]);
}

std::vector<double> unifrac_stripes(table::FeatureTable const& table, MatchedTree const& tree,
                                    UnifracOptions const& options, std::size_t k_begin, std::size_t k_end) {
    std::size_t const n = table.n_samples();
    if (k_begin < 1 || k_end < k_begin || k_end > n / 2 + 1)
        throw UsageError("stripes " + std::to_string(k_begin) + ".." + std::to_string(k_end) + " are outside 1.." +
                         std::to_string(n / 2 + 1) + " for " + std::to_string(n) + " samples");
    if (tree.size() == 0 || k_begin == k_end) return std::vector<double>(stripe_values_size(n, k_begin, k_end), 0.0);
    if (options.kind == UnifracKind::unweighted) return unweighted(table, tree, options, k_begin, k_end);
    return weighted(table, tree, options, k_begin, k_end);
}

DistanceMatrix unifrac(table::FeatureTable const& table, MatchedTree const& tree, UnifracOptions const& options) {
    DistanceMatrix dm(table.sample_ids());
    std::size_t const k_end = table.n_samples() / 2 + 1;
    place_stripes(unifrac_stripes(table, tree, options, 1, k_end), 1, k_end, dm);
    return dm;
}

}  // namespace orbiome::ecology
