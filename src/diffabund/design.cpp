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
    auto parsed = ecology::parse_formula(formula);
    spec.covariates.clear();
    spec.group.clear();
    if (parsed.terms.front().factors.size() > 1)
        throw UsageError("--formula '" + formula + "': the first term '" + parsed.terms.front().label() +
                             "' is an interaction; it must be the group (or the predictor) tested",
                         "write the group first: \"Treatment + Cage + Treatment:Cage\"");
    bool additive = parsed.random_intercepts.empty();
    for (auto const& term : parsed.terms) {
        additive = additive && term.factors.size() == 1;
        if (spec.group.empty())
            spec.group = term.factors[0];
        else if (term.factors.size() == 1)
            spec.covariates.push_back(term.factors[0]);
    }
    if (parsed.random_intercepts.size() > 1)
        throw UsageError("--formula '" + formula + "': only one random intercept (1|subject) is supported");
    if (!parsed.random_intercepts.empty()) spec.subject = parsed.random_intercepts.front();
    if (!additive) spec.formula = std::move(parsed);
}

std::vector<std::size_t> Model::group_columns() const {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < fixed.term_of_column.size(); ++c)
        if (fixed.term_of_column[c] == 0) out.push_back(c);
    return out;
}

Design make_design(table::FeatureTable const& t, std::string const& table_origin, io::Metadata const& md,
                   DesignSpec const& spec) {
    if (spec.min_prevalence < 0 || spec.min_prevalence > 1)
        throw UsageError("--min-prevalence must be between 0 and 1, got " + format_double(spec.min_prevalence));
    auto const joined = io::join_metadata(t.sample_ids(), table_origin, md);
    Design d;
    d.n_metadata_only = joined.n_metadata_only;

    ecology::SampleSelection selection;
    selection.where = spec.where;
    // table sample indices (the join's rows are in table sample order)
    std::vector<std::size_t> kept = ecology::select_samples(md, joined.row_of_sample, selection);
    std::size_t const gcol = md.require_column(spec.group);
    if (spec.drop_missing) {
        std::set<std::size_t> cols{gcol};
        for (auto const& c : spec.covariates) cols.insert(md.require_column(c));
        if (spec.formula)
            for (auto const& term : spec.formula->terms)
                for (auto const& name : term.factors) cols.insert(md.require_column(name));
        if (!spec.subject.empty()) cols.insert(md.require_column(spec.subject));
        std::vector<std::size_t> complete;
        for (std::size_t s : kept) {
            bool ok = true;
            for (std::size_t c : cols) ok = ok && !is_missing(md.values[c][joined.row_of_sample[s]]);
            if (ok) complete.push_back(s);
        }
        d.n_dropped_missing = kept.size() - complete.size();
        kept = std::move(complete);
    }
    bool const continuous = spec.continuous_group && !spec.compare && md.types[gcol] == io::ColumnType::numeric;
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

    if (continuous) {
        d.samples = kept;
    } else {
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
        if (!spec.reference.empty()) {
            auto const it = std::find(d.levels.begin(), d.levels.end(), spec.reference);
            if (it == d.levels.end())
                throw UsageError("--reference: level '" + spec.reference + "' of '" + spec.group + "' has no sample" +
                                     (spec.where.empty() ? "" : " after --where"),
                                 "levels are: " + join(d.levels, ", "));
            d.reference = static_cast<std::size_t>(it - d.levels.begin());
            d.test = d.reference == 0 ? 1 : 0;
        }
    }
    std::map<std::string, std::size_t> level_index;
    for (std::size_t i = 0; i < d.levels.size(); ++i) level_index[d.levels[i]] = i;
    for (std::size_t s : kept) {
        auto const it = level_index.find(md.values[gcol][joined.row_of_sample[s]]);
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

    // The model: the formula's fixed effects over the kept samples (missing values are an error,
    // checked above with the design's message), and the random intercept's groups.
    std::size_t const n = d.samples.size();
    std::vector<std::size_t> rows;
    for (std::size_t s : d.samples) rows.push_back(joined.row_of_sample[s]);
    std::vector<std::string> ids;
    for (std::size_t s : d.samples) ids.push_back(t.sample_ids()[s]);
    for (auto const& name : spec.covariates) {
        std::size_t const c = md.require_column(name);
        if (c == gcol) throw UsageError("--formula names '" + name + "' twice");
        check_missing(c, d.samples);
    }
    if (spec.formula)
        for (auto const& term : spec.formula->terms)
            for (auto const& name : term.factors) check_missing(md.require_column(name), d.samples);
    ecology::Formula const formula = spec.formula ? *spec.formula : [&] {
        std::vector<std::string> cols{spec.group};
        cols.insert(cols.end(), spec.covariates.begin(), spec.covariates.end());
        return ecology::additive_formula(cols);
    }();
    ecology::ModelMatrixOptions mo;
    mo.single_level_ok = true;  // a covariate constant among the compared samples adds no column
    if (!continuous) {
        mo.categorical.insert(spec.group);
        mo.reference[spec.group] = d.levels[d.reference];
    }
    d.model.fixed = ecology::build_model_matrix(formula, md, rows, ids, mo);
    d.model.group_continuous = continuous;
    if (continuous) {
        std::set<double> distinct(d.model.fixed.x.col(0).data(), d.model.fixed.x.col(0).data() + n);
        if (distinct.size() < 2)
            throw ParseError(place(md, rows.front()), "column '" + spec.group + "' is constant among the samples: "
                                                      "nothing to test");
    }
    // The covariate columns as before (dummy columns named COL=LEVEL), for the classical methods' checks.
    for (std::size_t c = 0; c < d.model.fixed.column_labels.size(); ++c) {
        if (d.model.fixed.term_of_column[c] == 0) continue;
        d.covariate_names.push_back(d.model.fixed.column_labels[c]);
        auto const col = d.model.fixed.x.col(static_cast<Eigen::Index>(c));
        d.covariates.insert(d.covariates.end(), col.data(), col.data() + n);
    }
    if (!d.subject.empty()) {
        std::vector<std::string> names;
        d.model.subject = ecology::subject_codes(md, md.require_column(spec.subject), rows, ids, names);
        d.model.n_subjects = names.size();
        d.model.subject_column = spec.subject;
        d.model.metadata_source = md.source;
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
