#include "taxonomy/lineage.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace orbiome::taxonomy {

namespace {
constexpr std::array<std::string_view, kNumRanks> kNames = {"domain", "phylum", "class", "order",
                                                              "family", "genus",  "species", "strain"};
constexpr std::array<std::string_view, kNumRanks> kPrefixes = {"k__", "p__", "c__", "o__",
                                                                 "f__", "g__", "s__", "t__"};

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_unknown_name(std::string_view s) {
    std::string const l = lower(trim(s));
    return l.empty() || l == "na" || l == "nan" || l == "unassigned" || l == "none";
}

/// Recognises "x__" and "D_n__" prefixes; returns the rank and the prefix length.
std::optional<std::pair<Rank, std::size_t>> prefix_rank(std::string_view level) {
    if (level.size() >= 3 && level[1] == '_' && level[2] == '_') {
        switch (std::tolower(static_cast<unsigned char>(level[0]))) {
            case 'k':
            case 'd': return std::pair{Rank::domain, std::size_t{3}};
            case 'p': return std::pair{Rank::phylum, std::size_t{3}};
            case 'c': return std::pair{Rank::class_, std::size_t{3}};
            case 'o': return std::pair{Rank::order, std::size_t{3}};
            case 'f': return std::pair{Rank::family, std::size_t{3}};
            case 'g': return std::pair{Rank::genus, std::size_t{3}};
            case 's': return std::pair{Rank::species, std::size_t{3}};
            case 't': return std::pair{Rank::strain, std::size_t{3}};
            default: return std::nullopt;
        }
    }
    if (level.size() >= 5 && level[0] == 'D' && level[1] == '_' && level[2] >= '0' && level[2] <= '7' &&
        level[3] == '_' && level[4] == '_')
        return std::pair{static_cast<Rank>(level[2] - '0'), std::size_t{5}};
    return std::nullopt;
}
}  // namespace

std::string_view rank_name(Rank r) { return kNames[static_cast<std::size_t>(r)]; }
std::string_view rank_prefix(Rank r) { return kPrefixes[static_cast<std::size_t>(r)]; }

std::optional<Rank> parse_rank(std::string_view name) {
    std::string const l = lower(trim(name));
    if (l == "kingdom" || l == "superkingdom" || l == "domain" || l == "k" || l == "d") return Rank::domain;
    for (int i = 1; i < kNumRanks; ++i) {
        if (l == kNames[static_cast<std::size_t>(i)] || (l.size() == 1 && l[0] == kPrefixes[static_cast<std::size_t>(i)][0]))
            return static_cast<Rank>(i);
    }
    return std::nullopt;
}

std::optional<Rank> Lineage::deepest() const {
    for (int i = kNumRanks - 1; i >= 0; --i)
        if (!name[static_cast<std::size_t>(i)].empty()) return static_cast<Rank>(i);
    return std::nullopt;
}

Lineage parse_lineage(std::string_view text) {
    Lineage lin;
    char const sep = (text.find(';') == std::string_view::npos && text.find('|') != std::string_view::npos) ? '|' : ';';
    auto parts = split(text, sep);
    // A trailing empty level ("a;b;") is not a level.
    while (!parts.empty() && trim(parts.back()).empty()) parts.pop_back();
    int position = 0;
    for (auto raw : parts) {
        std::string_view const level = trim(raw);
        Rank rank;
        std::string_view bare = level;
        if (auto pr = prefix_rank(level)) {
            rank = pr->first;
            bare = level.substr(pr->second);
            lin.prefixed = true;
        } else {
            if (position >= kNumRanks) continue;
            rank = static_cast<Rank>(position);
        }
        position = static_cast<int>(rank) + 1;
        auto const idx = static_cast<std::size_t>(rank);
        lin.level[idx] = std::string(level);
        lin.name[idx] = is_unknown_name(bare) ? std::string() : std::string(trim(bare));
    }
    return lin;
}

std::string collapse_key(Lineage const& lin, Rank rank) {
    auto const r = static_cast<std::size_t>(rank);
    std::size_t named = kNumRanks;  // deepest named level at or above rank
    for (std::size_t i = 0; i <= r; ++i)
        if (!lin.name[i].empty()) named = i;
    if (named == kNumRanks) return "unassigned";
    std::string key;
    bool first = true;
    for (std::size_t i = 0; i <= named; ++i) {
        if (lin.prefixed && lin.level[i].empty()) continue;
        if (!first) key += ';';
        key += lin.level[i];
        first = false;
    }
    if (named != r || lin.name[r].empty()) key += ";unassigned";
    return key;
}

std::string lineage_from_columns(std::vector<Rank> const& ranks, std::vector<std::string> const& values) {
    bool standard = true;
    for (std::size_t i = 0; i < ranks.size(); ++i)
        if (static_cast<std::size_t>(ranks[i]) != i) standard = false;
    // Trailing unknown levels are dropped so "Bacteria;Firmicutes;NA;NA" reads as two levels.
    std::size_t last = values.size();
    while (last > 0 && is_unknown_name(values[last - 1])) --last;
    std::string out;
    for (std::size_t i = 0; i < last; ++i) {
        if (i) out += ';';
        std::string_view const v = trim(values[i]);
        if (!standard) out += rank_prefix(ranks[i]);
        if (!is_unknown_name(v)) out += v;
    }
    return out;
}

}  // namespace orbiome::taxonomy
