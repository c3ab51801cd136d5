#include "diffabund/design.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/formula.hpp"

namespace orbiome::diffabund {

namespace {

constexpr std::size_t kListedIds = 5;  // how many offending sample ids an error message lists

std::string list_ids(std::vector<std::string> const& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < kListedIds; ++i) out += (i ? ", " : "") + ids[i];
    if (ids.size() > kListedIds) out += ", ... (" + std::to_string(ids.size()) + " in all)";
    return out;
}

// The metadata line of the first offending sample, so the error points at a real place.
SourceLoc place(io::Metadata const& md, std::size_t row) {
    return SourceLoc{md.source, row < md.sample_lines.size() ? md.sample_lines[row] : 0, 0, md.sample_ids[row]};
}

}  // namespace

void parse_formula(std::string const& formula, DesignSpec& spec) {
    auto const parsed = ecology::parse_formula(formula);
    spec.covariates.clear();
    spec.group.clear();
    for (auto const& term : parsed.terms) {
        if (term.factors.size() > 1)
            throw UsageError("--formula '" + formula + "': the interaction '" + term.label() + "' is not supported by diff",
                             "write the group first, then additive covariates: \"Treatment + Cage\"");
        if (spec.group.empty())
            spec.group = term.factors[0];
        else
            spec.covariates.push_back(term.factors[0]);
    }
}

Design make_design(table::FeatureTable const& t, std::string const& table_origin, io::Metadata const& md,
                   DesignSpec const& spec) {
    if (spec.min_prevalence < 0 || spec.min_prevalence > 1)
        throw UsageError("--min-prevalence must be between 0 and 1, got " + format_double(spec.min_prevalence));
    auto const joined = io::join_metadata(t.sample_ids(), table_origin, md);
    Design d;
    d.n_metadata_only = joined.n_metadata_only;

    std::vector<std::pair<std::size_t, std::string>> filters;
    for (auto const& [col, value] : spec.where) filters.emplace_back(md.require_column(col), value);
    std::size_t const gcol = md.require_column(spec.group);

    std::vector<std::size_t> kept;  // table sample indices
    for (std::size_t s = 0; s < t.n_samples(); ++s) {
        std::size_t const row = joined.row_of_sample[s];
        bool ok = true;
        for (auto const& [c, v] : filters) ok = ok && md.values[c][row] == v;
        if (ok) kept.push_back(s);
    }
    if (kept.empty()) {
        std::string w;
        for (auto const& [c, v] : spec.where) w += (w.empty() ? "" : ", ") + c + "=" + v;
        throw UsageError("no sample of " + table_origin + " matches --where " + w);
    }

    auto check_missing = [&](std::size_t col, std::vector<std::size_t> const& samples) {
        std::vector<std::string> bad;
        std::size_t first_row = 0;
        for (std::size_t s : samples) {
            std::size_t const row = joined.row_of_sample[s];
            if (is_missing(md.values[col][row])) {
                if (bad.empty()) first_row = row;
                bad.push_back(t.sample_ids()[s]);
            }
        }
        if (!bad.empty())
            throw ParseError(place(md, first_row),
                             "column '" + md.columns[col] + "' is missing (NA/NaN/empty) for samples " + list_ids(bad),
                             "fill the value, or drop these samples with --where");
    };
    check_missing(gcol, kept);

    // Levels: --compare keeps two, otherwise every level present.
    std::set<std::string> present;
    for (std::size_t s : kept) present.insert(md.values[gcol][joined.row_of_sample[s]]);
    if (spec.compare) {
        auto const& [test, ref] = *spec.compare;
        if (test == ref) throw UsageError("--compare needs two different levels, got '" + test + "' twice");
        for (auto const* lv : {&test, &ref})
            if (!present.contains(*lv)) {
                std::vector<std::string> names(present.begin(), present.end());
                throw UsageError("--compare: level '" + *lv + "' of '" + spec.group + "' has no sample" +
                                     (spec.where.empty() ? "" : " after --where"),
                                 "levels are: " + join(names, ", "));
            }
        d.levels = test < ref ? std::vector<std::string>{test, ref} : std::vector<std::string>{ref, test};
        d.test = test < ref ? 0 : 1;
        d.reference = 1 - d.test;
    } else {
        d.levels.assign(present.begin(), present.end());
        if (d.levels.size() < 2)
            throw ParseError(place(md, joined.row_of_sample[kept.front()]),
                             "column '" + spec.group + "' has a single level ('" + d.levels.front() +
                                 "') among the compared samples: nothing to compare");
        d.test = 1;
        d.reference = 0;
    }
    std::map<std::string, std::size_t> level_index;
    for (std::size_t i = 0; i < d.levels.size(); ++i) level_index[d.levels[i]] = i;
    for (std::size_t s : kept) {
        auto it = level_index.find(md.values[gcol][joined.row_of_sample[s]]);
        if (it == level_index.end()) continue;
        d.samples.push_back(s);
        d.group.push_back(it->second);
    }
    std::vector<std::size_t> size(d.levels.size(), 0);
    for (std::size_t g : d.group) ++size[g];
    for (std::size_t g = 0; g < d.levels.size(); ++g)
        if (size[g] < kMinGroupSize) {
            std::size_t row = 0;
            for (std::size_t i = 0; i < d.samples.size(); ++i)
                if (d.group[i] == g) row = joined.row_of_sample[d.samples[i]];
            throw ParseError(place(md, row),
                             "group '" + d.levels[g] + "' of column '" + spec.group + "' has " +
                                 std::to_string(size[g]) + " sample; at least " + std::to_string(kMinGroupSize) +
                                 " are needed per group",
                             "merge or drop this group (--compare, --where)");
        }

    if (!spec.subclass.empty()) {
        std::size_t const c = md.require_column(spec.subclass);
        check_missing(c, d.samples);
        for (std::size_t s : d.samples) d.subclass.push_back(md.values[c][joined.row_of_sample[s]]);
    }
    if (!spec.subject.empty()) {
        std::size_t const c = md.require_column(spec.subject);
        check_missing(c, d.samples);
        for (std::size_t s : d.samples) d.subject.push_back(md.values[c][joined.row_of_sample[s]]);
    }

    // Covariates.
    std::size_t const n = d.samples.size();
    for (auto const& name : spec.covariates) {
        std::size_t const c = md.require_column(name);
        if (c == gcol) throw UsageError("--formula names '" + name + "' twice");
        check_missing(c, d.samples);
        if (md.types[c] == io::ColumnType::numeric) {
            auto values = md.numeric(c);
            d.covariate_names.push_back(name);
            for (std::size_t s : d.samples) d.covariates.push_back(*values[joined.row_of_sample[s]]);
        } else {
            std::set<std::string> lv;
            for (std::size_t s : d.samples) lv.insert(md.values[c][joined.row_of_sample[s]]);
            for (auto it = std::next(lv.begin()); it != lv.end(); ++it) {
                d.covariate_names.push_back(name + "=" + *it);
                for (std::size_t s : d.samples) d.covariates.push_back(md.values[c][joined.row_of_sample[s]] == *it ? 1.0 : 0.0);
            }
        }
    }

    // Relative abundances over all table features of the kept samples.
    std::vector<double> total(n);
    for (std::size_t i = 0; i < n; ++i) {
        total[i] = t.sample_total(d.samples[i]);
        if (!(total[i] > 0))
            throw ParseError(SourceLoc{table_origin, 0, 0, t.sample_ids()[d.samples[i]]},
                             "sample has no counts: its relative abundance is undefined",
                             "drop empty samples (orbiome table filter) or exclude it with --where");
    }
    std::size_t const nf = t.n_features();
    std::vector<double> dense(nf * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        auto feats = t.sample_features(d.samples[i]);
        auto vals = t.sample_values(d.samples[i]);
        for (std::size_t k = 0; k < feats.size(); ++k) dense[feats[k] * n + i] = vals[k];
    }
    for (std::size_t f = 0; f < nf; ++f) {
        std::size_t nonzero = 0;
        for (std::size_t i = 0; i < n; ++i) nonzero += dense[f * n + i] > 0;
        if (nonzero == 0) {
            ++d.n_absent;
            continue;
        }
        if (static_cast<double>(nonzero) < spec.min_prevalence * static_cast<double>(n)) {
            ++d.n_below_prevalence;
            continue;
        }
        d.features.push_back(f);
        for (std::size_t i = 0; i < n; ++i) {
            d.counts.push_back(dense[f * n + i]);
            d.rel.push_back(dense[f * n + i] / total[i]);
        }
    }
    if (d.features.empty())
        throw ParseError(SourceLoc{table_origin}, "no feature is left to test after dropping absent features and "
                                                  "applying --min-prevalence " + format_double(spec.min_prevalence));
    return d;
}

}  // namespace orbiome::diffabund
