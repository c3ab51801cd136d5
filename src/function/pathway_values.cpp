// HUMAnN 3.9's per-stratum pathway arithmetic (quantify/modules.py: gap fill, structured
// abundance and coverage, UNMAPPED / UNINTEGRATED) on flat arrays: reactions are indices (the
// reaction map's order, which is by name, so "sorted by name" is "by index"), each pathway is
// laid out once over its distinct reactions ("slots"), and a stratum costs a few vectors instead
// of string-keyed maps. Sums run in the same order as HUMAnN's (and as orbiome's earlier
// map-based code), so the numbers are bit-identical to it.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "core/parallel.hpp"
#include "function/pathways.hpp"

namespace orbiome::function {

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

/// A pathway over its distinct reaction names ("slots"); the structure's items refer to slots.
struct Layout {
    std::vector<std::uint32_t> slot_reaction;  ///< slot -> reaction index, kNone when no gene can score it
    std::vector<char> slot_key;                ///< a key reaction (key anywhere in the pathway: key everywhere)
    std::vector<std::uint32_t> key_tokens;     ///< Pathway::key as slots, repeats kept
    std::size_t n_tokens = 0;                  ///< Pathway::reactions.size() (unstructured coverage)
    struct Node {
        bool is_or;
        std::uint32_t begin, end;  ///< range of items
    };
    std::vector<Node> nodes;            ///< nodes[0] is the whole pathway
    std::vector<std::int32_t> items;    ///< >= 0: a slot; < 0: the sub-list -(item + 1)
};

using NameIndex = std::unordered_map<std::string_view, std::uint32_t>;

Layout layout_of(Pathway const& p, NameIndex const& reactions) {
    Layout l;
    std::vector<std::string_view> unknown;  // names outside the reaction map, with their slots
    std::vector<std::uint32_t> unknown_slot;
    auto slot = [&](std::string const& r) {
        auto const it = reactions.find(r);
        std::uint32_t const id = it == reactions.end() ? kNone : it->second;
        if (id != kNone) {
            for (std::size_t s = 0; s < l.slot_reaction.size(); ++s)
                if (l.slot_reaction[s] == id) return static_cast<std::uint32_t>(s);
        } else {
            for (std::size_t u = 0; u < unknown.size(); ++u)
                if (unknown[u] == r) return unknown_slot[u];
            unknown.emplace_back(r);
            unknown_slot.push_back(static_cast<std::uint32_t>(l.slot_reaction.size()));
        }
        l.slot_reaction.push_back(id);
        l.slot_key.push_back(0);
        return static_cast<std::uint32_t>(l.slot_reaction.size() - 1);
    };
    for (auto const& r : p.reactions) slot(r);
    l.n_tokens = p.reactions.size();
    for (auto const& r : p.key) {
        std::uint32_t const s = slot(r);
        l.key_tokens.push_back(s);
        l.slot_key[s] = 1;
    }
    for (auto const& node : p.nodes) {
        Layout::Node n{node.is_or, static_cast<std::uint32_t>(l.items.size()), 0};
        for (std::size_t i = 0; i < node.children.size(); ++i)
            l.items.push_back(node.children[i] >= 0 ? -(node.children[i] + 1)
                                                    : static_cast<std::int32_t>(slot(node.reactions[i])));
        n.end = static_cast<std::uint32_t>(l.items.size());
        l.nodes.push_back(n);
    }
    return l;
}

/// HUMAnN's gap_fill on slot scores (0 where the stratum has none), in place. When exactly one
/// key token is 0 and no key score is positive (a pathway with one key reaction), HUMAnN's
/// min([]) raises; orbiome fills nothing.
void gap_fill_slots(Layout const& l, std::vector<double>& v) {
    std::vector<double> nonzero;
    for (std::uint32_t s : l.key_tokens)
        if (v[s] > 0) nonzero.push_back(v[s]);
    std::size_t const nk = l.key_tokens.size();
    if (nk - nonzero.size() == 1) {
        if (nonzero.empty()) return;
        double const m = *std::min_element(nonzero.begin(), nonzero.end());
        for (std::uint32_t s : l.key_tokens)
            if (v[s] == 0) v[s] = m;
    } else if (nk == nonzero.size() && nonzero.size() >= 2) {
        std::sort(nonzero.begin(), nonzero.end());
        for (std::uint32_t s : l.key_tokens)
            if (v[s] == nonzero[0]) v[s] = nonzero[1];
    }
}

/// HUMAnN's recursion: an OR node is the max of its items; an AND node the harmonic mean of its
/// key leaves and sub-lists, then (when it has optional leaves) of those and the optional leaves
/// above that mean. A harmonic mean is 0 when empty or when a value is <= 0. `leaf` holds a value
/// per slot (the score, or its chi2cdf for coverage).
double node_value(Layout const& l, std::size_t n, std::vector<double> const& leaf) {
    auto const& node = l.nodes[n];
    auto required = [&](std::int32_t it) { return it < 0 || l.slot_key[static_cast<std::size_t>(it)]; };
    auto value = [&](std::int32_t it) {
        return it < 0 ? node_value(l, static_cast<std::size_t>(-it - 1), leaf) : leaf[static_cast<std::size_t>(it)];
    };
    if (node.is_or) {
        double best = 0.0;
        bool any = false;
        for (bool pass_required : {true, false})  // required items first, then optional, as HUMAnN lists them
            for (std::uint32_t k = node.begin; k < node.end; ++k) {
                std::int32_t const it = l.items[k];
                if (required(it) != pass_required) continue;
                double const x = value(it);
                best = any ? std::max(best, x) : x;
                any = true;
            }
        return best;
    }
    std::size_t count = 0;
    double inv = 0.0;
    bool nonpositive = false, has_optional = false;
    for (std::uint32_t k = node.begin; k < node.end; ++k) {
        std::int32_t const it = l.items[k];
        if (!required(it)) {
            has_optional = true;
            continue;
        }
        double const x = value(it);
        ++count;
        inv += 1.0 / x;
        nonpositive = nonpositive || x <= 0.0;
    }
    double const a = count == 0 || nonpositive ? 0.0 : static_cast<double>(count) / inv;
    if (!has_optional) return a;
    // The same sum continued over the optional leaves above `a`, in their order.
    for (std::uint32_t k = node.begin; k < node.end; ++k) {
        std::int32_t const it = l.items[k];
        if (required(it)) continue;
        double const x = leaf[static_cast<std::size_t>(it)];
        if (!(x > a)) continue;
        ++count;
        inv += 1.0 / x;
    }
    return count == 0 || nonpositive ? 0.0 : static_cast<double>(count) / inv;
}

double median_of(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    std::size_t const n = v.size();
    if (n % 2 == 0) return (v[n / 2] + v[n / 2 - 1]) / 2.0;
    return v[n / 2];
}

/// Everything the strata share, built once per sample.
struct Shared {
    PathwayDb const& db;
    PathwayOptions const& o;
    std::size_t n_rows = 0, n_bugs = 0;
    std::vector<double> rpk;                                ///< row * n_bugs + stratum -> RPK (0 where none)
    std::vector<std::string const*> reaction_name;          ///< reaction index -> name
    std::vector<std::vector<std::uint32_t>> reaction_rows;  ///< the table rows of its listed genes, listed order
    std::vector<Layout> layouts;                            ///< per db pathway
    std::vector<std::vector<std::uint32_t>> reaction_pathways;  ///< db pathways with a slot of it, ascending
    std::optional<MinPathMap> mp;
    std::vector<std::size_t> reaction_family;  ///< reaction -> MinPath family, or SIZE_MAX
};

/// What the computation of one stratum yields; strata are independent of each other.
struct StratumResult {
    std::vector<std::pair<std::uint32_t, double>> reactions;        ///< scored > 0, by index
    std::vector<std::tuple<std::size_t, double, double>> pathways;  ///< db index, abundance, coverage
    bool stored = false;  ///< some pathway holds a scored reaction (HUMAnN's store has the stratum)
    double in_pathways = 0.0, remaining = 0.0;
};

StratumResult compute_stratum(Shared const& sh, std::size_t b) {
    StratumResult out;
    std::size_t const n_rxn = sh.reaction_name.size(), n_path = sh.layouts.size();
    auto rpk = [&](std::size_t row) { return sh.rpk[row * sh.n_bugs + b]; };
    std::vector<double> score(n_rxn, 0.0);
    for (std::size_t r = 0; r < n_rxn; ++r) {
        auto const& rows = sh.reaction_rows[r];
        if (rows.empty()) continue;
        double ab = 0.0;  // a listed gene absent from the table adds 0: same sum, same order
        for (std::uint32_t row : rows) ab += rpk(row);
        if (ab > 0) {
            score[r] = ab;
            out.reactions.emplace_back(static_cast<std::uint32_t>(r), ab);
        }
    }
    // Pathways holding a scored reaction; with MinPath, only those of its set.
    std::vector<char> use(n_path, 0);
    for (auto const& [r, ab] : out.reactions)
        for (std::uint32_t p : sh.reaction_pathways[r]) use[p] = 1;
    if (sh.o.minpath && out.reactions.size() > 3) {
        std::vector<std::size_t> observed;  // by name, as HUMAnN writes MinPath's input
        for (auto const& [r, ab] : out.reactions)
            if (sh.reaction_family[r] != SIZE_MAX) observed.push_back(sh.reaction_family[r]);
        auto const chosen = minpath(observed, *sh.mp);
        std::vector<char> in_set(n_path, 0);
        for (std::size_t q = 0; q < chosen.size(); ++q)
            if (chosen[q]) in_set[sh.mp->path_db[q]] = 1;
        for (std::size_t p = 0; p < n_path; ++p) use[p] = static_cast<char>(use[p] && in_set[p]);
    }
    auto observed_slot = [&](Layout const& l, std::size_t s) {
        return l.slot_reaction[s] != kNone && score[l.slot_reaction[s]] > 0;
    };
    std::vector<double> all_scores;  // every (pathway, reaction) score, for the median
    for (std::size_t p = 0; p < n_path; ++p) {
        if (!use[p]) continue;
        Layout const& l = sh.layouts[p];
        for (std::size_t s = 0; s < l.slot_reaction.size(); ++s)
            if (observed_slot(l, s)) all_scores.push_back(score[l.slot_reaction[s]]);
    }
    if (all_scores.empty()) return out;
    out.stored = true;
    double const median = median_of(std::move(all_scores));
    std::vector<char> present(n_rxn, 0);  // scored reactions of pathways with abundance > 0
    std::vector<double> vals, cov_leaf;
    for (std::size_t p = 0; p < n_path; ++p) {
        if (!use[p]) continue;
        Layout const& l = sh.layouts[p];
        std::size_t const ns = l.slot_reaction.size();
        vals.assign(ns, 0.0);
        for (std::size_t s = 0; s < ns; ++s)
            if (observed_slot(l, s)) vals[s] = score[l.slot_reaction[s]];
        double ab = 0.0, cov = 0.0;
        if (sh.db.structured) {
            if (sh.o.gap_fill) gap_fill_slots(l, vals);
            ab = node_value(l, 0, vals);
            cov_leaf.resize(ns);
            for (std::size_t s = 0; s < ns; ++s) cov_leaf[s] = humann_chi2cdf(vals[s], median);
            cov = node_value(l, 0, cov_leaf);
        } else {
            // Mean of the upper half of the pathway's distinct reactions' scores (0 if none);
            // coverage = share of its listed reactions scoring above the median.
            std::vector<double> v = vals;
            std::sort(v.begin(), v.end());
            double sum = 0.0;
            for (std::size_t i = v.size() / 2; i < v.size(); ++i) sum += v[i];
            ab = sum / static_cast<double>(v.size() - v.size() / 2);
            std::size_t above = 0;
            for (std::size_t s = 0; s < ns; ++s) above += observed_slot(l, s) && vals[s] > median;
            cov = l.n_tokens == 0 ? 0.0 : static_cast<double>(above) / static_cast<double>(l.n_tokens);
        }
        if (ab > 0)
            for (std::size_t s = 0; s < ns; ++s)
                if (observed_slot(l, s)) present[l.slot_reaction[s]] = 1;
        out.pathways.emplace_back(p, ab, cov);
    }
    // Genes of the reactions of pathways present; the rest of the stratum is UNINTEGRATED. Rows
    // are in gene-name order, the order HUMAnN's sums take.
    std::vector<char> in_gene_set(sh.n_rows, 0);
    for (std::size_t r = 0; r < n_rxn; ++r)
        if (present[r])
            for (std::uint32_t row : sh.reaction_rows[r]) in_gene_set[row] = 1;
    double g = 0.0, total = 0.0;
    for (std::size_t row = 0; row < sh.n_rows; ++row) {
        if (in_gene_set[row]) g += rpk(row);
        total += rpk(row);
    }
    out.in_pathways = g;
    out.remaining = total - g;
    return out;
}

NameIndex index_names(std::vector<std::string const*> const& names) {
    NameIndex idx;
    idx.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) idx.emplace(*names[i], static_cast<std::uint32_t>(i));
    return idx;
}

}  // namespace

std::map<std::string, double> gap_fill(std::vector<std::string> const& key, std::map<std::string, double> scores) {
    Pathway p;
    p.key = key;
    p.reactions = key;
    std::vector<std::string const*> names;
    for (auto const& [r, v] : scores) names.push_back(&r);
    Layout const l = layout_of(p, index_names(names));
    std::vector<double> v(l.slot_reaction.size(), 0.0);
    for (std::size_t s = 0; s < v.size(); ++s)
        if (l.slot_reaction[s] != kNone) v[s] = scores.at(*names[l.slot_reaction[s]]);
    std::vector<double> const before = v;
    gap_fill_slots(l, v);
    for (std::size_t i = 0; i < key.size(); ++i)
        if (std::uint32_t const s = l.key_tokens[i]; v[s] != before[s]) scores[key[i]] = v[s];
    return scores;
}

double structured_value(Pathway const& p, std::map<std::string, double> const& scores, bool coverage, double median) {
    std::vector<std::string const*> names;
    for (auto const& [r, v] : scores) names.push_back(&r);
    Layout const l = layout_of(p, index_names(names));
    std::vector<double> leaf(l.slot_reaction.size(), 0.0);
    for (std::size_t s = 0; s < leaf.size(); ++s) {
        double const x = l.slot_reaction[s] == kNone ? 0.0 : scores.at(*names[l.slot_reaction[s]]);
        leaf[s] = coverage ? humann_chi2cdf(x, median) : x;
    }
    return node_value(l, 0, leaf);
}

PathwayResult compute_pathways(GeneFamilies const& genes, ReactionMap const& rm, PathwayDb const& db,
                               PathwayOptions const& o) {
    PathwayResult res;
    // Strata as HUMAnN's gene_scores.bug_list(): every stratum with a row, "all" included.
    std::set<std::string> bug_set;
    for (auto const& [fam, by] : genes.rpk)
        for (auto const& [b, v] : by) bug_set.insert(b);
    std::vector<std::string> const bugs(bug_set.begin(), bug_set.end());

    Shared sh{db, o};
    sh.n_rows = genes.rpk.size();
    sh.n_bugs = bugs.size();
    sh.rpk.assign(sh.n_rows * sh.n_bugs, 0.0);
    std::unordered_map<std::string_view, std::uint32_t> table;  // family -> row (rows in name order)
    table.reserve(sh.n_rows);
    for (auto const& [fam, by] : genes.rpk) {
        auto const row = static_cast<std::uint32_t>(table.size());
        table.emplace(fam, row);
        for (auto const& [b, v] : by) {
            auto const col = static_cast<std::size_t>(std::lower_bound(bugs.begin(), bugs.end(), b) - bugs.begin());
            sh.rpk[row * sh.n_bugs + col] = v;
        }
    }
    for (auto const& [rxn, gl] : rm.genes) {
        sh.reaction_name.push_back(&rxn);
        auto& rows = sh.reaction_rows.emplace_back();
        for (auto const& g : gl)
            if (auto const it = table.find(g); it != table.end()) rows.push_back(it->second);
    }
    NameIndex const reactions = index_names(sh.reaction_name);
    sh.reaction_pathways.resize(sh.reaction_name.size());
    for (std::size_t p = 0; p < db.pathways.size(); ++p) {
        Layout& l = sh.layouts.emplace_back(layout_of(db.pathways[p], reactions));
        for (std::uint32_t r : l.slot_reaction)
            if (r != kNone) sh.reaction_pathways[r].push_back(static_cast<std::uint32_t>(p));
    }
    if (o.minpath) {
        sh.mp = build_minpath_map(db);
        for (auto const* name : sh.reaction_name) {
            auto const it = sh.mp->fam_index.find(*name);
            sh.reaction_family.push_back(it == sh.mp->fam_index.end() ? SIZE_MAX : it->second);
        }
    }
    // Strata run in parallel (as HUMAnN runs them in worker processes), each into its own slot;
    // GLPK keeps its state per thread. The merge below is in stratum order.
    std::vector<StratumResult> per(bugs.size());
    parallel_for(bugs.size(), o.threads, [&](std::size_t b0, std::size_t b1) {
        for (std::size_t i = b0; i < b1; ++i) per[i] = compute_stratum(sh, i);
    });

    std::map<std::string, double> in_pathways, remaining;
    for (std::size_t i = 0; i < bugs.size(); ++i) {
        std::string const& bug = bugs[i];
        for (auto const& [r, ab] : per[i].reactions) res.reactions[*sh.reaction_name[r]][bug] = ab;
        for (auto const& [pi, ab, cov] : per[i].pathways) {
            std::string const& id = db.pathways[pi].id;
            for (auto [t, v] : {std::pair{&res.abundance, ab}, std::pair{&res.coverage, cov}}) {
                if (!(v > 0)) continue;
                if (bug == "all")
                    t->all[id] = v;
                else
                    t->strata[id][bug] = v;
            }
        }
        if (per[i].stored) {
            in_pathways[bug] = per[i].in_pathways;
            remaining[bug] = per[i].remaining;
        }
    }
    auto get = [](std::map<std::string, double> const& m, std::string const& k) {
        auto const it = m.find(k);
        return it == m.end() ? 0.0 : it->second;
    };
    double total_all = 0.0;
    for (auto const& [p, v] : res.abundance.all) total_all += v;
    double const g_all = get(in_pathways, "all");
    double const c_all = g_all == 0.0 ? 0.0 : total_all / g_all;
    res.unmapped = c_all * genes.unmapped;
    res.unintegrated = c_all * get(remaining, "all");
    std::set<std::string> strata_with_pathways;
    for (auto const& [p, by] : res.abundance.strata)
        for (auto const& [b, v] : by) strata_with_pathways.insert(b);
    for (auto const& b : strata_with_pathways) {
        // HUMAnN sums a stratum's abundance over the community's pathways only.
        double tot = 0.0;
        for (auto const& [p, v] : res.abundance.all) {
            auto const it = res.abundance.strata.find(p);
            if (it != res.abundance.strata.end()) tot += get(it->second, b);
        }
        double const gb = get(in_pathways, b);
        double const c = gb == 0.0 ? 0.0 : tot / gb;
        res.unintegrated_strata[b] = c * get(remaining, b);
    }
    return res;
}

}  // namespace orbiome::function
