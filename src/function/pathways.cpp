#include "function/pathways.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "function/text_input.hpp"

namespace orbiome::function {

ReactionMap read_reaction_map(std::string const& file) {
    TextInput in(file);
    return read_reaction_map(in);
}

ReactionMap read_reaction_map(TextInput& in) {
    ReactionMap m;
    std::string const& path = in.path();
    std::string line;
    while (in.next(line)) {
        // HUMAnN strips only trailing whitespace before splitting on tabs.
        std::string_view s = line;
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        if (s.empty() || s.front() == '#') continue;
        auto const f = split(s, '\t');
        if (f.size() < 2 || f[0].empty())
            fail_data(path, in.line_no(), "reaction map line is not REACTION<TAB>EC<TAB>GENE...",
                      "expected a UniRef -> reaction map such as metacyc_reactions_level4ec_only.uniref.bz2");
        if (f.size() <= 2) continue;  // a reaction with no gene (HUMAnN skips it)
        std::string const rxn(f[0]);
        auto& genes = m.genes[rxn];
        genes.assign(f.begin() + 2, f.end());  // a repeated reaction line replaces the earlier one
        m.ec[rxn] = std::string(f[1]);
    }
    return m;
}

namespace {

/// HUMAnN's optional-reaction rule: one or three leading '-', unless the token is a reaction.
bool is_optional(std::string_view item, ReactionMap const& rm) {
    std::size_t n = 0;
    while (n < item.size() && item[n] == '-') ++n;
    if (n != 1 && n != 3) return false;  // most tokens: no map lookup
    return !rm.genes.contains(std::string(item));
}

}  // namespace

PathwayDb read_pathways(std::string const& file, ReactionMap const& rm) {
    TextInput in(file);
    return read_pathways(in, rm);
}

PathwayDb read_pathways(TextInput& in, ReactionMap const& rm) {
    PathwayDb db;
    std::string const& path = in.path();
    std::string line;
    std::vector<std::pair<std::string, std::vector<std::string>>> raw;  // id, tab fields
    std::vector<std::size_t> lines;
    std::map<std::string, std::size_t> seen;
    while (in.next(line)) {
        auto const s = trim(line);
        if (s.empty()) continue;
        auto const f = split(s, '\t');
        if (f.size() < 2)
            fail_data(path, in.line_no(), "pathway line has no tab: expected PATHWAY<TAB>reactions",
                      "a structured MetaCyc pathway file such as metacyc_pathways_structured_filtered_v24_subreactions");
        std::string id(f[0]);
        std::replace(id.begin(), id.end(), ' ', '_');
        std::vector<std::string> data(f.begin() + 1, f.end());
        if (data[0].find('(') != std::string::npos) db.structured = true;
        if (auto const it = seen.find(id); it != seen.end()) {
            raw[it->second].second = std::move(data);  // a later definition replaces (a Python dict)
            lines[it->second] = in.line_no();
        } else {
            seen.emplace(id, raw.size());
            raw.emplace_back(std::move(id), std::move(data));
            lines.push_back(in.line_no());
        }
    }
    for (std::size_t i = 0; i < raw.size(); ++i) {
        auto& [id, data] = raw[i];
        Pathway p;
        p.id = id;
        p.nodes.emplace_back();
        if (!db.structured) {
            for (auto const& r : data) {
                p.reactions.push_back(r);
                p.key.push_back(r);
                p.nodes[0].reactions.push_back(r);
                p.nodes[0].children.push_back(-1);
            }
        } else {
            // Each token once: its name (one '-' of an optional mark stripped) and whether it is optional.
            struct Item {
                std::string_view raw;
                std::string name;
                bool optional;
            };
            std::vector<Item> items;
            std::string const joined = join(data, " ");
            for (auto tok : split(joined, ' ')) {
                if (tok.empty()) continue;
                bool const optional = is_optional(tok, rm);
                items.push_back({tok, std::string(optional ? tok.substr(1) : tok), optional});
            }
            std::vector<int> stack{0};
            for (auto const& it : items) {
                std::string const& item = it.name;
                auto& node = p.nodes[static_cast<std::size_t>(stack.back())];
                if (item == "(") {
                    int const child = static_cast<int>(p.nodes.size());
                    node.reactions.emplace_back();
                    node.children.push_back(child);
                    p.nodes.emplace_back();  // invalidates `node`
                    stack.push_back(child);
                } else if (item == ")") {
                    if (stack.size() == 1)
                        fail_data(path, lines[i], "pathway " + id + ": ')' without a matching '('");
                    stack.pop_back();
                } else if (item == "+" || item == ",") {
                    node.is_or = item == ",";
                } else {
                    node.reactions.push_back(item);
                    node.children.push_back(-1);
                }
            }
            if (stack.size() != 1) fail_data(path, lines[i], "pathway " + id + ": '(' is never closed");
            for (auto const& it : items) {
                // Skipped by raw text (as before): a stripped "-(" is listed as a reaction.
                if (it.raw == "(" || it.raw == ")" || it.raw == "+" || it.raw == ",") continue;
                if (!it.optional) p.key.push_back(it.name);
                p.reactions.push_back(it.name);
            }
        }
        std::size_t const idx = db.pathways.size();
        db.index.emplace(p.id, idx);
        db.pathways.push_back(std::move(p));
    }
    return db;
}

std::map<std::string, std::string> read_names(std::string const& path) {
    std::map<std::string, std::string> names;
    TextInput in(path);
    std::string line;
    while (in.next(line)) {
        std::string_view s = line;
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
        auto const f = split(s, '\t');
        if (f.size() < 2 || f[0].empty()) continue;
        names[std::string(f[0])] = std::string(f[1]);
    }
    return names;
}

// ---- chi2cdf (HUMAnN's quantify/chi2cdf.py, same series, constants and order of operations) ----

namespace {

double humann_log_gamma(double z) {
    double x = 0.0;
    x += 0.1659470187408462e-06 / (z + 7);
    x += 0.9934937113930748e-05 / (z + 6);
    x -= 0.1385710331296526 / (z + 5);
    x += 12.50734324009056 / (z + 4);
    x -= 176.6150291498386 / (z + 3);
    x += 771.3234287757674 / (z + 2);
    x -= 1259.139216722289 / (z + 1);
    x += 676.5203681218835 / z;
    x += 0.9999999999995183;
    return std::log(x) - 5.58106146679532777 - z + ((z - 0.5) * std::log(z + 6.5));
}

double incomplete_gamma1(double s, double z) {
    double sum = 1.0, x = 1.0;
    for (int i = 1; i < 10000; ++i) {
        x *= z / (s + i);
        sum += x;
        if ((x / sum) < 1e-14) break;
    }
    if (z == 0.0) return 0.0;
    return std::exp((s * std::log(z)) - z - humann_log_gamma(s + 1) + std::log(sum));
}

double incomplete_gamma2(double a, double x) {
    if (a < 0 || x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0.0) return 0.0;
    double const xam = -x + a * std::log(x);
    if (xam > 700 || a > 170) return 1.0;
    if (x <= a + 1) {
        double r = 1.0 / a, s = 1.0 / a;
        for (int k = 1; k < 61; ++k) {
            r *= x / (a + k);
            s += r;
            if (std::fabs(r / s) < 1e-15) break;
        }
        return std::exp(xam) * s / std::tgamma(a);
    }
    double t0 = 0.0;
    for (int k = 60; k > 0; --k) t0 = static_cast<double>(k - a) / (1 + (static_cast<double>(k) / (x + t0)));
    double const gim = std::exp(xam) / (x + t0);
    return 1 - (gim / std::tgamma(a));
}

}  // namespace

double humann_chi2cdf(double x, double k) {
    double const dk = k / 2, dx = x / 2;
    double const r = incomplete_gamma1(dk, dx);
    if (std::fabs(r) != std::numeric_limits<double>::infinity()) return r;
    return incomplete_gamma2(dk, dx);
}

namespace {

/// printf's "%.10f" (std::to_chars rounds the same way, correctly, without printf's overhead).
std::string fixed10(double v) {
    char buf[400];  // the largest double has 309 integer digits
    auto const r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 10);
    return std::string(buf, r.ptr);
}

std::vector<std::pair<std::string, double>> by_value(std::map<std::string, double> const& m) {
    std::vector<std::pair<std::string, double>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](auto const& a, auto const& b) { return a.second > b.second; });
    return v;  // std::map order makes ties sorted by name
}

bool positive10(double v) { return std::strtod(fixed10(v).c_str(), nullptr) > 0; }

}  // namespace

void write_pathways(PathwayResult const& r, std::string const& abundance_path, std::string const& coverage_path,
                    std::string const& sample, std::map<std::string, std::string> const& names,
                    std::string const& comment) {
    auto name = [&](std::string const& id) {
        auto const it = names.find(id);
        return it == names.end() ? id : id + ": " + it->second;
    };
    std::vector<std::pair<std::string, std::vector<std::string>>> order;
    for (auto const& [p, v] : by_value(r.abundance.all)) {
        if (!positive10(v)) continue;
        std::vector<std::string> bugs;
        if (auto const it = r.abundance.strata.find(p); it != r.abundance.strata.end())
            for (auto const& [b, x] : by_value(it->second))
                if (positive10(x)) bugs.push_back(b);
        order.emplace_back(p, std::move(bugs));
    }
    auto value = [](PathwayTable const& t, std::string const& p, std::string const& bug) {
        if (bug.empty()) {
            auto const it = t.all.find(p);
            return it == t.all.end() ? 0.0 : it->second;
        }
        auto const it = t.strata.find(p);
        if (it == t.strata.end()) return 0.0;
        auto const jt = it->second.find(bug);
        return jt == it->second.end() ? 0.0 : jt->second;
    };
    auto write = [&](std::string const& path, PathwayTable const& t, char const* suffix, bool coverage) {
        AtomicOutput out(path);
        auto& os = out.stream();
        if (!comment.empty()) os << comment << '\n';
        os << "# Pathway\t" << sample << suffix << '\n';
        os << "UNMAPPED\t" << fixed10(coverage ? 1.0 : r.unmapped) << '\n';
        os << "UNINTEGRATED\t" << fixed10(coverage ? 1.0 : r.unintegrated) << '\n';
        std::map<std::string, double> un = r.unintegrated_strata;
        if (coverage)
            for (auto& [b, v] : un) v = 1.0;
        for (auto const& [b, v] : by_value(un)) os << "UNINTEGRATED|" << b << '\t' << fixed10(v) << '\n';
        for (auto const& [p, bugs] : order) {
            os << name(p) << '\t' << fixed10(value(t, p, "")) << '\n';
            for (auto const& b : bugs) os << name(p) << '|' << b << '\t' << fixed10(value(t, p, b)) << '\n';
        }
        out.commit();
    };
    write(abundance_path, r.abundance, "_Abundance", false);
    write(coverage_path, r.coverage, "_Coverage", true);
}

void write_reactions(PathwayResult const& r, ReactionMap const& map, std::string const& path,
                     std::string const& sample, std::string const& comment) {
    std::map<std::string, double> community;
    for (auto const& [rxn, by] : r.reactions)
        if (auto const it = by.find("all"); it != by.end()) community[rxn] = it->second;
    AtomicOutput out(path);
    auto& os = out.stream();
    if (!comment.empty()) os << comment << '\n';
    os << "# Reaction\t" << sample << "_Abundance-RPKs\n";
    for (auto const& [rxn, v] : by_value(community)) {
        auto const ec = map.ec.find(rxn);
        std::string const label = ec == map.ec.end() ? rxn : rxn + ": " + ec->second;
        os << label << '\t' << fixed10(v) << '\n';
        std::map<std::string, double> strata;
        for (auto const& [b, x] : r.reactions.at(rxn))
            if (b != "all") strata[b] = x;
        for (auto const& [b, x] : by_value(strata)) os << label << '|' << b << '\t' << fixed10(x) << '\n';
    }
    out.commit();
}

}  // namespace orbiome::function
