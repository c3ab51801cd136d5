#include "table/ops.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"

namespace orbiome::table {

void FilterRules::validate() const {
    if (min_count.has_value() != min_samples.has_value())
        throw UsageError("--min-count and --min-samples go together (a feature needs C reads in K samples)");
    if (!min_count && !min_total && !min_prevalence)
        throw UsageError("no filter rule given", "use --min-count C --min-samples K, --min-total N or --min-prevalence F");
    if (min_count && *min_count < 0) throw UsageError("--min-count must be >= 0");
    if (min_samples && *min_samples == 0) throw UsageError("--min-samples must be >= 1");
    if (min_total && *min_total < 0) throw UsageError("--min-total must be >= 0");
    if (min_prevalence && !(*min_prevalence > 0 && *min_prevalence <= 1))
        throw UsageError("--min-prevalence must be in (0, 1]");
}

namespace {
std::vector<std::size_t> iota_n(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = i;
    return v;
}

/// Indices of features with any value in any of the samples.
std::vector<std::size_t> nonempty_features(FeatureTable const& t) {
    std::vector<char> seen(t.n_features(), 0);
    for (std::size_t s = 0; s < t.n_samples(); ++s)
        for (auto f : t.sample_features(s)) seen[f] = 1;
    std::vector<std::size_t> out;
    for (std::size_t f = 0; f < t.n_features(); ++f)
        if (seen[f]) out.push_back(f);
    return out;
}
}  // namespace

FeatureTable filter_features(FeatureTable const& t, FilterRules const& rules) {
    rules.validate();
    std::size_t const nf = t.n_features();
    std::vector<std::size_t> n_at_least(nf, 0), n_present(nf, 0);
    std::vector<double> total(nf, 0.0);
    for (std::size_t s = 0; s < t.n_samples(); ++s) {
        auto const f = t.sample_features(s);
        auto const v = t.sample_values(s);
        for (std::size_t i = 0; i < f.size(); ++i) {
            total[f[i]] += v[i];
            ++n_present[f[i]];
            if (rules.min_count && v[i] >= *rules.min_count) ++n_at_least[f[i]];
        }
    }
    std::vector<std::size_t> keep;
    double const n_samples = static_cast<double>(t.n_samples());
    for (std::size_t f = 0; f < nf; ++f) {
        bool const by_count = rules.min_count && n_at_least[f] >= *rules.min_samples;
        bool const by_total = rules.min_total && total[f] >= *rules.min_total;
        bool const by_prevalence =
            rules.min_prevalence && n_samples > 0 && static_cast<double>(n_present[f]) / n_samples >= *rules.min_prevalence;
        if (by_count || by_total || by_prevalence) keep.push_back(f);
    }
    return t.subset(iota_n(t.n_samples()), keep);
}

FeatureTable rarefy(FeatureTable const& t, std::uint64_t depth, std::uint64_t seed, int n_threads, RarefyReport* report) {
    if (depth == 0) throw UsageError("--depth must be at least 1");
    if (!t.all_integral())
        throw ParseError({}, "rarefaction needs integer counts, but the table holds fractional values",
                         "rarefy the raw count table, before relative abundance");
    std::vector<std::size_t> kept;
    RarefyReport rep;
    for (std::size_t s = 0; s < t.n_samples(); ++s) {
        if (t.sample_total(s) >= static_cast<double>(depth))
            kept.push_back(s);
        else
            rep.dropped_samples.push_back(t.sample_ids()[s]);
    }
    if (kept.empty())
        throw UsageError("no sample has " + std::to_string(depth) + " counts or more", "choose a smaller --depth");

    std::vector<std::vector<Entry>> per_sample(kept.size());
    parallel_for(kept.size(), n_threads, [&](std::size_t begin, std::size_t end) {
        std::vector<std::uint32_t> pool;
        std::vector<std::uint64_t> drawn(t.n_features());
        for (std::size_t j = begin; j < end; ++j) {
            std::size_t const s = kept[j];
            auto const f = t.sample_features(s);
            auto const v = t.sample_values(s);
            pool.clear();
            for (std::size_t i = 0; i < f.size(); ++i) pool.insert(pool.end(), static_cast<std::size_t>(v[i]), f[i]);
            // Partial Fisher–Yates: the first `depth` slots become a uniform draw without
            // replacement from the sample's reads.
            Rng rng = Rng::stream(seed, s);
            for (std::uint64_t k = 0; k < depth; ++k) {
                std::uint64_t const r = k + rng.below(pool.size() - k);
                std::swap(pool[k], pool[r]);
            }
            for (std::uint64_t k = 0; k < depth; ++k) ++drawn[pool[k]];
            for (auto fi : f) {
                if (drawn[fi]) per_sample[j].push_back({fi, static_cast<std::uint32_t>(j), static_cast<double>(drawn[fi])});
                drawn[fi] = 0;
            }
        }
    });
    std::vector<Entry> entries;
    for (auto& e : per_sample) entries.insert(entries.end(), e.begin(), e.end());
    std::vector<std::string> sids;
    for (auto s : kept) sids.push_back(t.sample_ids()[s]);
    FeatureTable sub(t.feature_ids(), std::move(sids), std::move(entries), t.lineages());
    auto const keep_features = nonempty_features(sub);
    rep.n_features_dropped = t.n_features() - keep_features.size();
    if (report) *report = std::move(rep);
    return sub.subset(iota_n(sub.n_samples()), keep_features);
}

FeatureTable collapse(FeatureTable const& t, taxonomy::Rank rank) {
    // A table without features (a sample whose reads all stayed unclassified) has nothing to
    // collapse, not missing lineages.
    if (t.n_features() == 0) return t;
    if (!t.has_lineages())
        throw UsageError("the table has no lineages to collapse by", "give a taxonomy with --taxonomy TSV");
    std::map<std::string, std::uint32_t> key_index;  // sorted, as a groupby
    std::vector<std::string> key_of(t.n_features());
    for (std::size_t f = 0; f < t.n_features(); ++f) {
        key_of[f] = taxonomy::collapse_key(taxonomy::parse_lineage(t.lineages()[f]), rank);
        key_index.emplace(key_of[f], 0);
    }
    std::vector<std::string> ids;
    std::uint32_t next = 0;
    for (auto& [key, idx] : key_index) {
        idx = next++;
        ids.push_back(key);
    }
    std::vector<std::uint32_t> group(t.n_features());
    for (std::size_t f = 0; f < t.n_features(); ++f) group[f] = key_index[key_of[f]];
    std::vector<Entry> entries;
    std::vector<double> sums(ids.size(), 0.0);
    for (std::size_t s = 0; s < t.n_samples(); ++s) {
        auto const f = t.sample_features(s);
        auto const v = t.sample_values(s);
        std::fill(sums.begin(), sums.end(), 0.0);
        for (std::size_t i = 0; i < f.size(); ++i) sums[group[f[i]]] += v[i];
        for (std::uint32_t g = 0; g < sums.size(); ++g)
            if (sums[g] != 0) entries.push_back({g, static_cast<std::uint32_t>(s), sums[g]});
    }
    std::vector<std::string> lineages = ids;
    return FeatureTable(std::move(ids), t.sample_ids(), std::move(entries), std::move(lineages));
}

FeatureTable relative_abundance(FeatureTable const& t) {
    std::vector<Entry> entries;
    entries.reserve(t.n_nonzero());
    for (std::size_t s = 0; s < t.n_samples(); ++s) {
        double const total = t.sample_total(s);
        if (total <= 0)
            throw ParseError({"", 0, 0, t.sample_ids()[s]}, "sample has no counts; its relative abundance is undefined",
                             "drop empty samples first");
        auto const f = t.sample_features(s);
        auto const v = t.sample_values(s);
        for (std::size_t i = 0; i < f.size(); ++i) entries.push_back({f[i], static_cast<std::uint32_t>(s), v[i] / total});
    }
    return FeatureTable(t.feature_ids(), t.sample_ids(), std::move(entries), t.lineages());
}

FeatureTable transpose(FeatureTable const& t) {
    if (t.has_lineages())
        throw UsageError("the table's features carry lineages, so its rows are features, not samples",
                         "drop --samples-as-rows / --transpose for this table");
    std::vector<Entry> entries;
    entries.reserve(t.n_nonzero());
    for (auto const& e : t.entries()) entries.push_back({e.sample, e.feature, e.value});
    return FeatureTable(t.sample_ids(), t.feature_ids(), std::move(entries));
}

FeatureTable merge(std::vector<FeatureTable> const& tables, std::vector<std::string> const& origins) {
    ORBIOME_ASSERT(tables.size() == origins.size());
    std::unordered_map<std::string, std::uint32_t> feature_index;
    std::unordered_map<std::string, std::size_t> sample_origin;
    std::vector<std::string> fids, sids, lineages;
    bool any_lineage = false;
    for (auto const& t : tables) any_lineage = any_lineage || t.has_lineages();
    std::vector<Entry> entries;
    for (std::size_t k = 0; k < tables.size(); ++k) {
        auto const& t = tables[k];
        std::vector<std::uint32_t> map(t.n_features());
        for (std::size_t f = 0; f < t.n_features(); ++f) {
            auto [it, inserted] = feature_index.emplace(t.feature_ids()[f], static_cast<std::uint32_t>(fids.size()));
            if (inserted) {
                fids.push_back(t.feature_ids()[f]);
                lineages.emplace_back();
            }
            map[f] = it->second;
            if (t.has_lineages() && lineages[it->second].empty()) lineages[it->second] = t.lineages()[f];
        }
        for (std::size_t s = 0; s < t.n_samples(); ++s) {
            auto [it, inserted] = sample_origin.emplace(t.sample_ids()[s], k);
            if (!inserted)
                throw ParseError({origins[k], 0, 0, t.sample_ids()[s]},
                                 "sample id also present in " + origins[it->second], "sample ids must be unique across inputs");
            auto const col = static_cast<std::uint32_t>(sids.size());
            sids.push_back(t.sample_ids()[s]);
            auto const f = t.sample_features(s);
            auto const v = t.sample_values(s);
            for (std::size_t i = 0; i < f.size(); ++i) entries.push_back({map[f[i]], col, v[i]});
        }
    }
    if (!any_lineage) lineages.clear();
    return FeatureTable(std::move(fids), std::move(sids), std::move(entries), std::move(lineages));
}

}  // namespace orbiome::table
