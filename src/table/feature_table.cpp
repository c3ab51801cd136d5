#include "table/feature_table.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/error.hpp"

namespace orbiome::table {

namespace {
void check_unique(std::vector<std::string> const& ids, std::string const& what, std::string const& origin) {
    std::unordered_map<std::string, std::size_t> seen;
    seen.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i].empty()) throw ParseError({origin}, "empty " + what + " id (" + what + " " + std::to_string(i + 1) + ")");
        auto [it, inserted] = seen.emplace(ids[i], i);
        if (!inserted)
            throw ParseError({origin}, "duplicate " + what + " id '" + ids[i] + "' (" + what + "s " +
                                           std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
    }
}
}  // namespace

FeatureTable::FeatureTable(std::vector<std::string> feature_ids, std::vector<std::string> sample_ids,
                           std::vector<Entry> entries, std::vector<std::string> lineages, std::string const& origin)
    : feature_ids_(std::move(feature_ids)), sample_ids_(std::move(sample_ids)), lineages_(std::move(lineages)) {
    check_unique(feature_ids_, "feature", origin);
    check_unique(sample_ids_, "sample", origin);
    if (!lineages_.empty() && lineages_.size() != feature_ids_.size())
        throw Error(Errc::software, {origin}, "lineage count differs from feature count");
    std::erase_if(entries, [](Entry const& e) { return e.value == 0; });
    for (auto const& e : entries) {
        if (e.feature >= feature_ids_.size() || e.sample >= sample_ids_.size())
            throw Error(Errc::software, {origin}, "table entry index out of range");
        if (!std::isfinite(e.value) || e.value < 0)
            throw ParseError({origin}, "value " + std::to_string(e.value) + " of feature '" + feature_ids_[e.feature] +
                                           "' in sample '" + sample_ids_[e.sample] + "' is negative or not finite");
    }
    std::sort(entries.begin(), entries.end(), [](Entry const& a, Entry const& b) {
        return a.sample != b.sample ? a.sample < b.sample : a.feature < b.feature;
    });
    offsets_.assign(sample_ids_.size() + 1, 0);
    features_.reserve(entries.size());
    values_.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        auto const& e = entries[i];
        if (i > 0 && entries[i - 1].sample == e.sample && entries[i - 1].feature == e.feature)
            throw ParseError({origin}, "feature '" + feature_ids_[e.feature] + "' given twice for sample '" +
                                           sample_ids_[e.sample] + "'");
        ++offsets_[e.sample + 1];
        features_.push_back(e.feature);
        values_.push_back(e.value);
    }
    for (std::size_t s = 0; s < sample_ids_.size(); ++s) offsets_[s + 1] += offsets_[s];
}

FeatureTable FeatureTable::from_dense(std::vector<std::string> feature_ids, std::vector<std::string> sample_ids,
                                      std::vector<double> const& values, std::vector<std::string> lineages,
                                      std::string const& origin) {
    std::size_t const nf = feature_ids.size(), ns = sample_ids.size();
    ORBIOME_ASSERT(values.size() == nf * ns);
    std::vector<Entry> entries;
    for (std::size_t f = 0; f < nf; ++f)
        for (std::size_t s = 0; s < ns; ++s)
            if (double const v = values[f * ns + s]; v != 0)
                entries.push_back({static_cast<std::uint32_t>(f), static_cast<std::uint32_t>(s), v});
    return FeatureTable(std::move(feature_ids), std::move(sample_ids), std::move(entries), std::move(lineages), origin);
}

double FeatureTable::sample_total(std::size_t s) const {
    double total = 0;
    for (double v : sample_values(s)) total += v;
    return total;
}

std::vector<double> FeatureTable::sample_dense(std::size_t s) const {
    std::vector<double> out(n_features(), 0.0);
    auto const f = sample_features(s);
    auto const v = sample_values(s);
    for (std::size_t i = 0; i < f.size(); ++i) out[f[i]] = v[i];
    return out;
}

double FeatureTable::get(std::size_t feature, std::size_t sample) const {
    auto const f = sample_features(sample);
    auto const it = std::lower_bound(f.begin(), f.end(), feature);
    if (it == f.end() || *it != feature) return 0.0;
    return sample_values(sample)[static_cast<std::size_t>(it - f.begin())];
}

std::vector<double> FeatureTable::to_dense() const {
    std::vector<double> out(n_features() * n_samples(), 0.0);
    for (std::size_t s = 0; s < n_samples(); ++s) {
        auto const f = sample_features(s);
        auto const v = sample_values(s);
        for (std::size_t i = 0; i < f.size(); ++i) out[f[i] * n_samples() + s] = v[i];
    }
    return out;
}

std::vector<Entry> FeatureTable::entries() const {
    std::vector<Entry> out;
    out.reserve(n_nonzero());
    for (std::size_t s = 0; s < n_samples(); ++s) {
        auto const f = sample_features(s);
        auto const v = sample_values(s);
        for (std::size_t i = 0; i < f.size(); ++i) out.push_back({f[i], static_cast<std::uint32_t>(s), v[i]});
    }
    return out;
}

bool FeatureTable::all_integral() const {
    return std::all_of(values_.begin(), values_.end(), [](double v) { return v == std::floor(v); });
}

std::size_t FeatureTable::sample_index(std::string const& id) const {
    auto it = std::find(sample_ids_.begin(), sample_ids_.end(), id);
    return it == sample_ids_.end() ? npos : static_cast<std::size_t>(it - sample_ids_.begin());
}

std::size_t FeatureTable::feature_index(std::string const& id) const {
    auto it = std::find(feature_ids_.begin(), feature_ids_.end(), id);
    return it == feature_ids_.end() ? npos : static_cast<std::size_t>(it - feature_ids_.begin());
}

FeatureTable FeatureTable::subset(std::vector<std::size_t> const& samples, std::vector<std::size_t> const& features) const {
    std::vector<std::uint32_t> new_index(n_features(), UINT32_MAX);
    std::vector<std::string> fids, lins, sids;
    for (std::size_t i = 0; i < features.size(); ++i) {
        new_index[features[i]] = static_cast<std::uint32_t>(i);
        fids.push_back(feature_ids_[features[i]]);
        if (has_lineages()) lins.push_back(lineages_[features[i]]);
    }
    std::vector<Entry> entries;
    for (std::size_t j = 0; j < samples.size(); ++j) {
        std::size_t const s = samples[j];
        sids.push_back(sample_ids_[s]);
        auto const f = sample_features(s);
        auto const v = sample_values(s);
        for (std::size_t i = 0; i < f.size(); ++i)
            if (new_index[f[i]] != UINT32_MAX) entries.push_back({new_index[f[i]], static_cast<std::uint32_t>(j), v[i]});
    }
    return FeatureTable(std::move(fids), std::move(sids), std::move(entries), std::move(lins));
}

}  // namespace orbiome::table
