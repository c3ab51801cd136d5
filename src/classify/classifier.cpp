#include "classify/classifier.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::classify {

int standard_rank(std::string_view rank) noexcept {
    if (rank.empty() || rank == "no rank" || rank == "clade") return -1;
    // Single letters are prefixes in lineage strings but not NCBI ranks.
    if (rank.size() == 1) return -1;
    auto const r = taxonomy::parse_rank(rank);
    return r ? static_cast<int>(*r) : -1;
}

Classifier::Classifier(index::Index const& idx, ClassifyOptions opt) : idx_(idx), opt_(opt) {
    if (!(opt.confidence >= 0.0 && opt.confidence <= 1.0))
        throw UsageError("--confidence must be between 0 and 1, got " + std::to_string(opt.confidence));
    if (opt.min_hit_groups < 0) throw UsageError("--min-hit-groups must be >= 0");
    auto const& tax = idx.taxonomy();
    std::size_t const n = tax.size();
    species_of_.assign(n, 0);
    at_or_below_genus_.assign(n, false);
    int const genus = static_cast<int>(taxonomy::Rank::genus);
    int const species = static_cast<int>(taxonomy::Rank::species);
    for (TaxIndex t = 1; t < n; ++t) {
        int const r = standard_rank(tax.rank(t));
        species_of_[t] = r == species ? t : species_of_[tax.parent(t)];
        at_or_below_genus_[t] = r >= genus || at_or_below_genus_[tax.parent(t)];
    }
    std::vector<std::uint32_t> count(n + 1, 0);
    for (TaxIndex t = 1; t < n; ++t)
        if (species_of_[t] == t)
            for (TaxIndex u = t; u != 0; u = tax.parent(u)) ++count[u + 1];
    desc_offsets_.assign(n + 1, 0);
    for (std::size_t i = 1; i <= n; ++i) desc_offsets_[i] = desc_offsets_[i - 1] + count[i];
    desc_species_.assign(desc_offsets_[n], 0);
    std::vector<std::uint32_t> fill(desc_offsets_.begin(), desc_offsets_.end() - 1);
    for (TaxIndex t = 1; t < n; ++t)
        if (species_of_[t] == t)
            for (TaxIndex u = t; u != 0; u = tax.parent(u)) desc_species_[fill[u]++] = t;
}

ReadCall Classifier::classify(std::string_view mate1, std::string_view mate2, ClassifyScratch& s) const {
    auto const& tax = idx_.taxonomy();
    s.mins.clear();
    s.species.clear();
    idx_.sketcher().sketch(mate1, s.mins);
    s.mate1_minimizers = s.mins.size();
    if (!mate2.empty()) idx_.sketcher().sketch(mate2, s.mins);
    std::size_t const n = s.mins.size();
    // All cache misses of a read are started before the first probe waits on one.
    for (auto const& m : s.mins) idx_.prefetch(m.key);
    s.taxa.resize(n);
    s.counts.clear();
    std::uint32_t hits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        TaxIndex const t = idx_.lookup(s.mins[i].key);
        s.taxa[i] = t;
        if (t == 0) continue;
        ++hits;
        auto it = std::find_if(s.counts.begin(), s.counts.end(), [t](auto const& p) { return p.first == t; });
        if (it == s.counts.end()) s.counts.emplace_back(t, 1);
        else ++it->second;
    }
    ReadCall call{0, static_cast<std::uint32_t>(n), hits};
    if (hits == 0 || hits < static_cast<std::uint32_t>(opt_.min_hit_groups)) return call;

    TaxIndex best = 0;
    std::uint64_t best_score = 0;
    for (auto const& [t, _] : s.counts) {
        std::uint64_t score = 0;
        for (auto const& [u, c] : s.counts)
            if (tax.is_ancestor(u, t)) score += c;
        if (score > best_score) {
            best_score = score;
            best = t;
        } else if (score == best_score) {
            best = tax.lca(best, t);
        }
    }
    TaxIndex t = best;
    while (t != 0) {
        std::uint64_t clade = 0;
        for (auto const& [u, c] : s.counts)
            if (tax.is_ancestor(t, u)) clade += c;
        if (static_cast<double>(clade) / static_cast<double>(n) >= opt_.confidence) break;
        t = tax.parent(t);
    }
    call.tax = t;
    if (t != 0) candidate_species(t, s);
    return call;
}

void Classifier::candidate_species(TaxIndex call, ClassifyScratch& s) const {
    if (species_of_[call] != 0) {
        s.species.push_back(species_of_[call]);
        return;
    }
    if (!at_or_below_genus_[call]) return;
    auto const& tax = idx_.taxonomy();
    std::uint64_t best = 0;
    for (std::uint32_t i = desc_offsets_[call]; i < desc_offsets_[call + 1]; ++i) {
        TaxIndex const sp = desc_species_[i];
        std::uint64_t clade = 0;
        for (auto const& [u, c] : s.counts)
            if (tax.is_ancestor(sp, u)) clade += c;
        if (clade == 0 || clade < best) continue;
        if (clade > best) s.species.clear();
        best = clade;
        s.species.push_back(sp);
    }
    if (s.species.empty())
        s.species.assign(desc_species_.begin() + desc_offsets_[call], desc_species_.begin() + desc_offsets_[call + 1]);
    std::sort(s.species.begin(), s.species.end());
}

}  // namespace orbiome::classify
