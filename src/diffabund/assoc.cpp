#include "diffabund/assoc.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "ecology/formula.hpp"

namespace orbiome::diffabund {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kListedIds = 3;  // ids quoted in a "no overlap" message

std::string first_ids(std::vector<std::string> const& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < kListedIds; ++i) out += (i ? ", " : "") + ids[i];
    return out;
}

// One variable over the used samples (NaN = missing).
struct Variable {
    std::string name;
    std::vector<double> value;
};

}  // namespace

NumericMatrix read_numeric_matrix(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(Errc::no_input, path, "cannot open the numeric table");
    NumericMatrix m;
    m.source = path;
    LineReader reader(in, path);
    std::string line;
    bool have_header = false;
    std::unordered_set<std::string> seen;
    while (reader.next(line)) {
        if (!have_header && (line.empty() || line[0] == '#')) continue;
        if (line.empty()) continue;
        auto cells = split(line, '\t');
        if (!have_header) {
            for (std::size_t i = 1; i < cells.size(); ++i) {
                std::string id(trim(cells[i]));
                if (!seen.insert(id).second) fail_data(path, reader.line_no(), "column '" + id + "' appears twice");
                m.col_ids.push_back(id);
            }
            if (m.col_ids.empty()) fail_data(path, reader.line_no(), "the header has no data column");
            have_header = true;
            seen.clear();
            continue;
        }
        if (cells.size() != m.col_ids.size() + 1)
            fail_data(path, reader.line_no(),
                      "row has " + std::to_string(cells.size()) + " fields, the header has " +
                          std::to_string(m.col_ids.size() + 1));
        std::string id(trim(cells[0]));
        if (!seen.insert(id).second) fail_data(path, reader.line_no(), "row id '" + id + "' appears twice");
        m.row_ids.push_back(id);
        m.row_lines.push_back(reader.line_no());
        for (std::size_t i = 1; i < cells.size(); ++i) {
            auto v = trim(cells[i]);
            m.values.push_back(is_missing(v) ? kMissing
                                             : parse_double(v, path, reader.line_no(), "value of '" + m.col_ids[i - 1] + "'"));
        }
    }
    if (!have_header) fail_data(path, reader.line_no(), "no header row: the file is empty");
    return m;
}

AssocResult associate(table::FeatureTable const& t, std::string const& table_origin, io::Metadata const& md,
                      NumericMatrix const* with, AssocSpec const& spec) {
    AssocResult out;
    auto const joined = io::join_metadata(t.sample_ids(), table_origin, md);

    // Which samples of t take part, and the variables over them.
    std::vector<std::size_t> used;  // t sample indices
    std::vector<Variable> vars;
    if (with) {
        std::unordered_map<std::string, std::size_t> by_row, by_col;
        for (std::size_t i = 0; i < with->row_ids.size(); ++i) by_row[with->row_ids[i]] = i;
        for (std::size_t i = 0; i < with->col_ids.size(); ++i) by_col[with->col_ids[i]] = i;
        std::size_t hit_rows = 0, hit_cols = 0;
        for (auto const& s : t.sample_ids()) {
            hit_rows += by_row.contains(s);
            hit_cols += by_col.contains(s);
        }
        if (hit_rows == 0 && hit_cols == 0)
            throw ParseError(SourceLoc{with->source},
                             "no row or column id matches a sample id of " + table_origin + " (ids here: " +
                                 first_ids(with->row_ids) + "; samples there: " + first_ids(t.sample_ids()) + ")",
                             "both tables must use the same sample ids");
        bool const samples_are_rows = hit_rows >= hit_cols;
        auto const& index = samples_are_rows ? by_row : by_col;
        std::vector<std::size_t> pos;
        for (std::size_t s = 0; s < t.n_samples(); ++s) {
            auto it = index.find(t.sample_ids()[s]);
            if (it == index.end()) continue;
            used.push_back(s);
            pos.push_back(it->second);
        }
        std::size_t const n_vars = samples_are_rows ? with->col_ids.size() : with->row_ids.size();
        std::vector<std::string> constant;
        for (std::size_t v = 0; v < n_vars; ++v) {
            Variable var;
            var.name = samples_are_rows ? with->col_ids[v] : with->row_ids[v];
            std::set<double> distinct;
            for (std::size_t p : pos) {
                double x = samples_are_rows ? with->at(p, v) : with->at(v, p);
                var.value.push_back(x);
                if (!std::isnan(x)) distinct.insert(x);
            }
            if (distinct.size() < 2)
                constant.push_back(var.name);
            else
                vars.push_back(std::move(var));
        }
        out.notes.push_back("samples: " + std::to_string(used.size()) + " of " + std::to_string(t.n_samples()) +
                            " in " + table_origin + " are in " + with->source + " (joined on its " +
                            (samples_are_rows ? "rows" : "columns") + ")");
        if (!constant.empty())
            out.notes.push_back("variables left out as constant or all missing: " + std::to_string(constant.size()) +
                                " (" + first_ids(constant) + (constant.size() > kListedIds ? ", ..." : "") + ")");
        if (vars.empty())
            throw ParseError(SourceLoc{with->source}, "every column is constant or missing over the joined samples");
    } else {
        if (spec.vars.empty()) throw UsageError("give --vars LIST or --with TABLE2");
        for (std::size_t s = 0; s < t.n_samples(); ++s) used.push_back(s);
        for (auto const& name : spec.vars) {
            std::size_t const c = md.require_column(name);
            auto values = md.numeric(c);  // throws at the first non-numeric value, with file:line
            Variable var;
            var.name = name;
            std::set<double> distinct;
            for (std::size_t s : used) {
                auto const& v = values[joined.row_of_sample[s]];
                var.value.push_back(v ? *v : kMissing);
                if (v) distinct.insert(*v);
            }
            if (distinct.size() < 2)
                throw ParseError(SourceLoc{md.source},
                                 "variable '" + name + "' is " + (distinct.empty() ? "missing" : "constant (" +
                                 format_double(*distinct.begin()) + ")") + " in all " + std::to_string(used.size()) +
                                 " samples: no correlation can be computed",
                                 "remove it from --vars");
            vars.push_back(std::move(var));
        }
    }
    std::size_t const n = used.size();

    // Covariates (column-major over used samples; NaN = missing) and subjects.
    std::vector<std::vector<double>> cov;
    if (!spec.covariates.empty()) {
        // Missing covariates are NaN here: each feature-variable pair drops its incomplete
        // samples and reports n (SPEC); a categorical covariate with one level adds nothing.
        std::vector<std::size_t> rows;
        std::vector<std::string> ids;
        for (std::size_t s : used) {
            rows.push_back(joined.row_of_sample[s]);
            ids.push_back(t.sample_ids()[s]);
        }
        ecology::ModelMatrixOptions mo;
        mo.missing = ecology::MissingPolicy::as_nan;
        mo.single_level_ok = true;
        auto const mm = ecology::build_model_matrix(ecology::additive_formula(spec.covariates), md, rows, ids, mo);
        for (Eigen::Index c = 0; c < mm.x.cols(); ++c)
            cov.emplace_back(mm.x.col(c).data(), mm.x.col(c).data() + mm.x.rows());
    }
    std::vector<std::size_t> subject(n);
    std::size_t n_subjects = 0;
    if (!spec.subject.empty()) {
        std::size_t const c = md.require_column(spec.subject);
        std::map<std::string, std::size_t> ids;
        for (std::size_t i = 0; i < n; ++i) {
            auto const& v = md.values[c][joined.row_of_sample[used[i]]];
            if (is_missing(v))
                throw ParseError(SourceLoc{md.source, md.sample_lines[joined.row_of_sample[used[i]]], 0,
                                           t.sample_ids()[used[i]]},
                                 "--subject column '" + spec.subject + "' is missing for this sample");
            subject[i] = ids.try_emplace(v, ids.size()).first->second;
        }
        n_subjects = ids.size();
        out.notes.push_back("blocked by subject '" + spec.subject + "': samples of one subject are averaged; n counts "
                            "subjects (" + std::to_string(n_subjects) + ")");
    }

    // Relative abundances of the features present in the used samples.
    std::vector<std::size_t> features;
    std::vector<double> rel;
    {
        std::vector<double> dense(t.n_features() * n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            double const total = t.sample_total(used[i]);
            if (!(total > 0))
                throw ParseError(SourceLoc{table_origin, 0, 0, t.sample_ids()[used[i]]},
                                 "sample has no counts: its relative abundance is undefined");
            auto f = t.sample_features(used[i]);
            auto v = t.sample_values(used[i]);
            for (std::size_t k = 0; k < f.size(); ++k) dense[f[k] * n + i] = v[k] / total;
        }
        std::size_t absent = 0;
        for (std::size_t f = 0; f < t.n_features(); ++f) {
            bool any = false;
            for (std::size_t i = 0; i < n && !any; ++i) any = dense[f * n + i] > 0;
            if (!any) {
                ++absent;
                continue;
            }
            features.push_back(f);
            rel.insert(rel.end(), dense.begin() + static_cast<std::ptrdiff_t>(f * n),
                       dense.begin() + static_cast<std::ptrdiff_t>((f + 1) * n));
        }
        out.notes.push_back("features: " + std::to_string(features.size()) + " tested, " + std::to_string(absent) +
                            " absent from every joined sample left out");
    }
    if (!spec.covariates.empty())
        out.notes.push_back("partial correlation given " + join(spec.covariates, ", ") + " (df = n - 2 - " +
                            std::to_string(cov.size()) + ")");

    // Per variable: which samples count (variable and covariates present).
    std::size_t const k = cov.size(), nv = vars.size();
    std::vector<std::vector<std::size_t>> keep(nv);
    for (std::size_t v = 0; v < nv; ++v)
        for (std::size_t i = 0; i < n; ++i) {
            bool ok = !std::isnan(vars[v].value[i]);
            for (auto const& col : cov) ok = ok && !std::isnan(col[i]);
            if (ok) keep[v].push_back(i);
        }

    out.rows.resize(features.size() * nv);
    parallel_for(features.size(), spec.n_threads, [&](std::size_t begin, std::size_t end) {
        std::vector<double> x, y, z;
        for (std::size_t f = begin; f < end; ++f) {
            for (std::size_t v = 0; v < nv; ++v) {
                auto const& idx = keep[v];
                x.clear();
                y.clear();
                z.clear();
                if (spec.subject.empty()) {
                    for (std::size_t i : idx) {
                        x.push_back(rel[f * n + i]);
                        y.push_back(vars[v].value[i]);
                    }
                    for (auto const& col : cov)
                        for (std::size_t i : idx) z.push_back(col[i]);
                } else {
                    // Mean per subject over the kept samples, subjects in first-seen order.
                    std::vector<double> sx(n_subjects, 0), sy(n_subjects, 0), cnt(n_subjects, 0);
                    std::vector<double> sz(n_subjects * k, 0);
                    for (std::size_t i : idx) {
                        sx[subject[i]] += rel[f * n + i];
                        sy[subject[i]] += vars[v].value[i];
                        cnt[subject[i]] += 1;
                        for (std::size_t j = 0; j < k; ++j) sz[j * n_subjects + subject[i]] += cov[j][i];
                    }
                    for (std::size_t u = 0; u < n_subjects; ++u)
                        if (cnt[u] > 0) {
                            x.push_back(sx[u] / cnt[u]);
                            y.push_back(sy[u] / cnt[u]);
                        }
                    for (std::size_t j = 0; j < k; ++j)
                        for (std::size_t u = 0; u < n_subjects; ++u)
                            if (cnt[u] > 0) z.push_back(sz[j * n_subjects + u] / cnt[u]);
                }
                auto r = partial_correlation(x, y, z, k, spec.method);
                AssocRow& row = out.rows[f * nv + v];
                row.feature = t.feature_ids()[features[f]];
                row.variable = vars[v].name;
                row.n = x.size();
                row.tested = r.tested;
                row.coefficient = r.tested ? r.coefficient : 0;
                row.p_value = r.tested ? r.p_value : 1;
            }
        }
    });
    std::vector<double> p;
    for (auto const& row : out.rows)
        if (row.tested) p.push_back(row.p_value);
    auto q = bh_adjust(p);
    std::size_t j = 0;
    for (auto& row : out.rows) {
        row.q_value = row.tested ? q[j++] : 1.0;
        out.n_untested += !row.tested;
    }
    return out;
}

void write_assoc(AssocResult const& r, CorrelationMethod method, std::ostream& out) {
    for (auto const& n : r.notes) out << "#" << n << "\n";
    out << "#not tested (too few samples, constant, or explained by the covariates; coefficient 0, p_value = "
           "q_value = 1): "
        << r.n_untested << "\n";
    out << "feature\tvariable\tmethod\tcoefficient\tn\tp_value\tq_value\n";
    char const* m = method == CorrelationMethod::spearman ? "spearman" : "pearson";
    for (auto const& row : r.rows)
        out << row.feature << "\t" << row.variable << "\t" << m << "\t" << format_double(row.coefficient) << "\t"
            << row.n << "\t" << format_double(row.p_value) << "\t" << format_double(row.q_value) << "\n";
}

}  // namespace orbiome::diffabund
