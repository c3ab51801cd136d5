#include "abundance/em.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace orbiome::abundance {

void SpeciesClasses::add(std::span<SpeciesId const> species, std::uint64_t count) {
    if (species.empty() || count == 0) return;
    total_ += count;
    if (species.size() == 1) {
        single_[species[0]] += count;
        return;
    }
    key_.assign(species.begin(), species.end());
    auto it = multi_.find(key_);
    if (it == multi_.end()) multi_.emplace(key_, count);
    else it->second += count;
}

void SpeciesClasses::merge(SpeciesClasses const& other) {
    for (auto const& [s, n] : other.single_) add(std::span<SpeciesId const>(&s, 1), n);
    for (auto const& [set, n] : other.multi_) add(set, n);
}

EmResult estimate_species(SpeciesClasses const& classes, EmOptions const& opt) {
    EmResult res;
    // Dense numbering of the species seen, in id order.
    std::vector<SpeciesId> ids;
    for (auto const& [s, _] : classes.single()) ids.push_back(s);
    for (auto const& [set, _] : classes.multi()) ids.insert(ids.end(), set.begin(), set.end());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::unordered_map<SpeciesId, std::size_t> dense;
    for (std::size_t i = 0; i < ids.size(); ++i) dense.emplace(ids[i], i);
    std::size_t const n = ids.size();
    if (n == 0) return res;

    std::vector<double> single(n, 0.0);
    for (auto const& [s, c] : classes.single()) single[dense.at(s)] = static_cast<double>(c);
    struct Class {
        std::vector<std::size_t> members;
        double count;
    };
    std::vector<Class> multi;
    for (auto const& [set, c] : classes.multi()) {
        Class cl{{}, static_cast<double>(c)};
        for (SpeciesId s : set) cl.members.push_back(dense.at(s));
        multi.push_back(std::move(cl));
    }

    std::vector<bool> alive(n, true);
    std::vector<double> pi(n), reads(n);
    for (;;) {
        std::size_t const n_alive = static_cast<std::size_t>(std::count(alive.begin(), alive.end(), true));
        for (std::size_t i = 0; i < n; ++i) pi[i] = alive[i] ? 1.0 / static_cast<double>(n_alive) : 0.0;
        double total = 0;
        for (int it = 0; it < opt.max_iterations; ++it) {
            ++res.iterations;
            for (std::size_t i = 0; i < n; ++i) reads[i] = alive[i] ? single[i] : 0.0;
            for (auto const& cl : multi) {
                double denom = 0;
                for (std::size_t m : cl.members) denom += pi[m];
                if (denom <= 0) continue;
                for (std::size_t m : cl.members) reads[m] += cl.count * pi[m] / denom;
            }
            total = 0;
            for (double r : reads) total += r;
            double delta = 0;
            for (std::size_t i = 0; i < n; ++i) {
                double const p = total > 0 ? reads[i] / total : 0.0;
                delta = std::max(delta, std::abs(p - pi[i]));
                pi[i] = p;
            }
            if (delta < opt.tolerance) break;
        }
        bool pruned = false;
        for (std::size_t i = 0; i < n; ++i)
            if (alive[i] && reads[i] < opt.min_reads) {
                alive[i] = false;
                pruned = true;
            }
        if (!pruned) break;
        if (std::none_of(alive.begin(), alive.end(), [](bool a) { return a; })) {
            std::fill(reads.begin(), reads.end(), 0.0);
            break;
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        if (alive[i] && reads[i] > 0) {
            res.reads.emplace_back(ids[i], reads[i]);
            res.assigned += reads[i];
        }
    return res;
}

}  // namespace orbiome::abundance
