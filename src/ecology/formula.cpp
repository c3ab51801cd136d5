#include "ecology/formula.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"

namespace orbiome::ecology {

namespace {

constexpr std::size_t kListedSamples = 5;  // samples named in a missing-value message

bool is_name_char(char c) {
    return !(c == ' ' || c == '\t' || c == '+' || c == '*' || c == ':' || c == '(' || c == ')' || c == '~' || c == '|');
}

std::string trim_copy(std::string const& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// Splits "A*B:C" into its product chain: names and the operator before each.
struct Chain {
    std::vector<std::string> names;
    std::vector<char> ops;  // ops[i] joins names[i] and names[i+1]
};

Chain parse_chain(std::string const& term, std::string const& text) {
    Chain c;
    std::size_t i = 0;
    auto bad = [&](std::string const& why) {
        throw UsageError("formula '" + text + "': " + why, "write terms as A + B, A*B or A:B with metadata column names");
    };
    while (i < term.size()) {
        while (i < term.size() && (term[i] == ' ' || term[i] == '\t')) ++i;
        std::size_t const b = i;
        while (i < term.size() && is_name_char(term[i])) ++i;
        if (i == b) bad(i < term.size() ? std::string("unexpected '") + term[i] + "'" : "a term ends with an operator");
        c.names.push_back(term.substr(b, i - b));
        while (i < term.size() && (term[i] == ' ' || term[i] == '\t')) ++i;
        if (i == term.size()) break;
        if (term[i] != '*' && term[i] != ':') bad(std::string("unexpected '") + term[i] + "'");
        c.ops.push_back(term[i]);
        ++i;
        if (i == term.size()) bad("a term ends with an operator");
    }
    return c;
}

// All terms of a product chain: ':' binds tighter than '*', so A*B:C = A + B:C + A:B:C.
std::vector<std::vector<std::string>> expand_chain(Chain const& c) {
    std::vector<std::vector<std::string>> groups{{c.names[0]}};
    for (std::size_t k = 0; k < c.ops.size(); ++k) {
        if (c.ops[k] == ':')
            groups.back().push_back(c.names[k + 1]);
        else
            groups.push_back({c.names[k + 1]});
    }
    std::vector<std::vector<std::string>> out;
    std::size_t const g = groups.size();
    // Subsets of the '*'-separated groups in R's order: by size, then by position.
    for (std::size_t size = 1; size <= g; ++size)
        for (std::size_t mask = 1; mask < (std::size_t{1} << g); ++mask) {
            if (static_cast<std::size_t>(__builtin_popcountll(mask)) != size) continue;
            std::vector<std::string> f;
            for (std::size_t k = 0; k < g; ++k)
                if (mask & (std::size_t{1} << k)) f.insert(f.end(), groups[k].begin(), groups[k].end());
            out.push_back(std::move(f));
        }
    return out;
}

[[noreturn]] void fail_missing(io::Metadata const& md, std::size_t column, std::vector<std::size_t> const& rows,
                               std::vector<std::string> const& sample_ids) {
    std::string names;
    std::size_t count = 0, first_line = 0;
    for (std::size_t s = 0; s < rows.size(); ++s) {
        if (!is_missing(md.values[column][rows[s]])) continue;
        if (count == 0 && rows[s] < md.sample_lines.size()) first_line = md.sample_lines[rows[s]];
        if (count < kListedSamples) names += (count ? ", " : "") + sample_ids[s];
        ++count;
    }
    if (count > kListedSamples) names += ", ... (" + std::to_string(count) + " samples)";
    throw ParseError({md.source, first_line},
                     "column '" + md.columns[column] + "' has missing values (NA/NaN/empty) for samples: " + names,
                     "remove those samples from the distance matrix or fill in the values");
}

// "(1|S)" or "( 1 | S )": the grouping column S; anything else in parentheses is refused.
std::string parse_random_intercept(std::string const& part, std::string const& text) {
    auto bad = [&] {
        throw UsageError("formula '" + text + "': the term '" + part + "' is not a random intercept (1|COLUMN)",
                         "random slopes and nested terms are not supported; write (1|subject)");
    };
    if (part.size() < 2 || part.front() != '(' || part.back() != ')') bad();
    std::string const inner = part.substr(1, part.size() - 2);
    auto const bar = inner.find('|');
    if (bar == std::string::npos || trim_copy(inner.substr(0, bar)) != "1") bad();
    std::string const name = trim_copy(inner.substr(bar + 1));
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char)) bad();
    return name;
}

constexpr std::size_t kMissingCode = static_cast<std::size_t>(-1);

// Level codes of a categorical column (kMissingCode for a missing value under as_nan); the
// reference level, if given, gets code 0 and the others follow in byte order.
std::vector<std::size_t> level_codes(io::Metadata const& md, std::size_t column, std::vector<std::size_t> const& rows,
                                     std::vector<std::string> const& sample_ids, std::vector<std::string>& levels,
                                     MissingPolicy missing, std::string const* reference) {
    std::map<std::string, std::size_t> index;
    for (auto r : rows) {
        auto const& v = md.values[column][r];
        if (is_missing(v)) {
            if (missing == MissingPolicy::error) fail_missing(md, column, rows, sample_ids);
            continue;
        }
        index.emplace(v, 0);
    }
    levels.clear();
    if (reference) {
        if (!index.count(*reference)) {
            std::vector<std::string> names;
            for (auto const& [name, code] : index) names.push_back(name);
            throw UsageError("--reference: level '" + *reference + "' of '" + md.columns[column] +
                                 "' has no sample among those analysed",
                             "levels are: " + join(names, ", "));
        }
        levels.push_back(*reference);
    }
    for (auto& [name, code] : index) {
        if (reference && name == *reference) continue;
        levels.push_back(name);
    }
    for (std::size_t l = 0; l < levels.size(); ++l) index[levels[l]] = l;
    std::vector<std::size_t> codes;
    codes.reserve(rows.size());
    for (auto r : rows) {
        auto const& v = md.values[column][r];
        codes.push_back(is_missing(v) ? kMissingCode : index.at(v));
    }
    return codes;
}

}  // namespace

std::string FormulaTerm::label() const {
    std::string s;
    for (std::size_t i = 0; i < factors.size(); ++i) s += (i ? ":" : "") + factors[i];
    return s;
}

Formula parse_formula(std::string const& text) {
    std::string rhs = trim_copy(text);
    if (!rhs.empty() && rhs[0] == '~') rhs = trim_copy(rhs.substr(1));
    if (rhs.find('~') != std::string::npos)
        throw UsageError("formula '" + text + "' has a response; give only the right-hand side",
                         "e.g. --formula \"Group + Age\"");
    if (rhs.empty()) throw UsageError("empty formula", "e.g. --formula \"Group + Age\"");
    Formula f;
    f.text = text;
    std::vector<std::vector<std::string>> all;
    std::size_t b = 0;
    while (true) {
        auto const e = rhs.find('+', b);
        std::string const part = trim_copy(rhs.substr(b, e == std::string::npos ? std::string::npos : e - b));
        if (part.empty()) throw UsageError("formula '" + text + "' has an empty term", "e.g. --formula \"Group + Age\"");
        if (part.front() == '(') {
            auto name = parse_random_intercept(part, text);
            if (std::find(f.random_intercepts.begin(), f.random_intercepts.end(), name) == f.random_intercepts.end())
                f.random_intercepts.push_back(std::move(name));
        } else {
            for (auto& t : expand_chain(parse_chain(part, text))) all.push_back(std::move(t));
        }
        if (e == std::string::npos) break;
        b = e + 1;
    }
    if (all.empty())
        throw UsageError("formula '" + text + "' has no fixed-effect term", "e.g. --formula \"Group + (1|subject)\"");
    std::set<std::vector<std::string>> seen;
    std::vector<FormulaTerm> terms;
    for (auto const& t : all) {
        std::set<std::string> uniq(t.begin(), t.end());
        if (uniq.size() != t.size())
            throw UsageError("formula '" + text + "' repeats a column inside the term '" + FormulaTerm{t}.label() + "'");
        // A:B and B:A are the same term (R keeps the first spelling).
        std::vector<std::string> key(t);
        std::sort(key.begin(), key.end());
        if (seen.insert(key).second) terms.push_back(FormulaTerm{t});
    }
    std::stable_sort(terms.begin(), terms.end(),
                     [](FormulaTerm const& a, FormulaTerm const& b2) { return a.factors.size() < b2.factors.size(); });
    f.terms = std::move(terms);
    return f;
}

std::vector<std::size_t> group_codes(io::Metadata const& md, std::size_t column, std::vector<std::size_t> const& rows,
                                     std::vector<std::string> const& sample_ids, std::vector<std::string>& levels) {
    return level_codes(md, column, rows, sample_ids, levels, MissingPolicy::error, nullptr);
}

std::vector<std::size_t> subject_codes(io::Metadata const& md, std::size_t column, std::vector<std::size_t> const& rows,
                                       std::vector<std::string> const& sample_ids, std::vector<std::string>& names) {
    std::map<std::string, std::size_t> index;
    names.clear();
    std::vector<std::size_t> codes;
    codes.reserve(rows.size());
    for (auto r : rows) {
        auto const& v = md.values[column][r];
        if (is_missing(v)) fail_missing(md, column, rows, sample_ids);
        auto const [it, added] = index.emplace(v, names.size());
        if (added) names.push_back(v);
        codes.push_back(it->second);
    }
    return codes;
}

Formula additive_formula(std::vector<std::string> const& columns) {
    Formula f;
    for (auto const& c : columns) {
        f.text += (f.text.empty() ? "" : " + ") + c;
        f.terms.push_back(FormulaTerm{{c}});
    }
    return f;
}

std::vector<std::size_t> select_samples(io::Metadata const& md, std::vector<std::size_t> const& rows,
                                        SampleSelection const& selection, std::size_t* dropped) {
    std::vector<std::pair<std::size_t, std::string>> filters;
    for (auto const& [col, value] : selection.where) filters.emplace_back(md.require_column(col), value);
    std::size_t const gcol = selection.levels.empty() ? 0 : md.require_column(selection.group);
    std::vector<std::size_t> complete;
    for (auto const& col : selection.complete) complete.push_back(md.require_column(col));
    std::vector<std::size_t> kept;
    std::size_t n_missing = 0;
    for (std::size_t s = 0; s < rows.size(); ++s) {
        bool ok = true;
        for (auto const& [c, v] : filters) ok = ok && md.values[c][rows[s]] == v;
        if (ok && !selection.levels.empty()) ok = selection.levels.contains(md.values[gcol][rows[s]]);
        if (!ok) continue;
        bool const has_all = std::none_of(complete.begin(), complete.end(),
                                          [&](std::size_t c) { return is_missing(md.values[c][rows[s]]); });
        if (has_all) kept.push_back(s);
        n_missing += !has_all;
    }
    if (dropped) *dropped = n_missing;
    return kept;
}

ModelMatrix build_model_matrix(Formula const& formula, io::Metadata const& md, std::vector<std::size_t> const& rows,
                               std::vector<std::string> const& sample_ids) {
    return build_model_matrix(formula, md, rows, sample_ids, ModelMatrixOptions{});
}

ModelMatrix build_model_matrix(Formula const& formula, io::Metadata const& md, std::vector<std::size_t> const& rows,
                               std::vector<std::string> const& sample_ids, ModelMatrixOptions const& options) {
    std::size_t const n = rows.size();
    double const nan = std::numeric_limits<double>::quiet_NaN();
    // The columns of each factor, built once.
    struct FactorCols {
        std::vector<Eigen::VectorXd> cols;
        std::vector<std::string> labels;
    };
    std::map<std::string, FactorCols> factors;
    for (auto const& t : formula.terms)
        for (auto const& name : t.factors) {
            if (factors.count(name)) continue;
            std::size_t const c = md.require_column(name);
            FactorCols fc;
            if (md.types[c] == io::ColumnType::numeric && !options.categorical.contains(name)) {
                Eigen::VectorXd v(static_cast<Eigen::Index>(n));
                auto const values = md.numeric(c);
                for (std::size_t s = 0; s < n; ++s) {
                    if (!values[rows[s]] && options.missing == MissingPolicy::error) fail_missing(md, c, rows, sample_ids);
                    v(static_cast<Eigen::Index>(s)) = values[rows[s]] ? *values[rows[s]] : nan;
                }
                fc.cols.push_back(std::move(v));
                fc.labels.push_back(name);
            } else {
                std::vector<std::string> levels;
                auto const ref = options.reference.find(name);
                auto const codes = level_codes(md, c, rows, sample_ids, levels, options.missing,
                                               ref == options.reference.end() ? nullptr : &ref->second);
                if (levels.size() < 2 && !options.single_level_ok)
                    throw ParseError({md.source}, "column '" + name + "' has a single level ('" +
                                                      (levels.empty() ? std::string() : levels[0]) +
                                                      "') among the samples; it cannot be a model term");
                for (std::size_t l = 1; l < levels.size(); ++l) {
                    Eigen::VectorXd v = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
                    for (std::size_t s = 0; s < n; ++s)
                        if (codes[s] == l)
                            v(static_cast<Eigen::Index>(s)) = 1.0;
                        else if (codes[s] == kMissingCode)
                            v(static_cast<Eigen::Index>(s)) = nan;
                    fc.cols.push_back(std::move(v));
                    fc.labels.push_back(name + levels[l]);
                }
            }
            factors.emplace(name, std::move(fc));
        }
    ModelMatrix mm;
    std::vector<Eigen::VectorXd> cols;
    for (std::size_t t = 0; t < formula.terms.size(); ++t) {
        auto const& term = formula.terms[t];
        mm.term_labels.push_back(term.label());
        // Products over the factors, first factor varying fastest (R's column order).
        std::vector<Eigen::VectorXd> cur{Eigen::VectorXd::Ones(static_cast<Eigen::Index>(n))};
        std::vector<std::string> cur_labels{""};
        for (auto const& name : term.factors) {
            auto const& fc = factors.at(name);
            std::vector<Eigen::VectorXd> next;
            std::vector<std::string> next_labels;
            for (std::size_t j = 0; j < fc.cols.size(); ++j)
                for (std::size_t i = 0; i < cur.size(); ++i) {
                    next.push_back(cur[i].cwiseProduct(fc.cols[j]));
                    next_labels.push_back(cur_labels[i].empty() ? fc.labels[j] : cur_labels[i] + ":" + fc.labels[j]);
                }
            cur = std::move(next);
            cur_labels = std::move(next_labels);
        }
        for (std::size_t i = 0; i < cur.size(); ++i) {
            cols.push_back(std::move(cur[i]));
            mm.column_labels.push_back(cur_labels[i]);
            mm.term_of_column.push_back(t);
        }
    }
    mm.x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t c = 0; c < cols.size(); ++c) mm.x.col(static_cast<Eigen::Index>(c)) = cols[c];
    return mm;
}

}  // namespace orbiome::ecology
