#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <toml.hpp>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/inputs.hpp"
#include "io/metadata.hpp"
#include "seqio/samplesheet.hpp"
#include "study/sample_step.hpp"
#include "study/section.hpp"
#include "study/study.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::study {

namespace {

namespace fs = std::filesystem;

/// Throws ParseError at the line of the first NUL byte or invalid UTF-8 sequence.
void check_utf8_text(std::string const& text, std::string const& path) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < text.size();) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c == '\n') ++line;
        if (c == 0) throw ParseError({path, line}, "NUL byte: not a text file");
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > text.size()) throw ParseError({path, line}, "invalid UTF-8 (TOML files are UTF-8)");
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2)
                throw ParseError({path, line}, "invalid UTF-8 (TOML files are UTF-8)");
        if (len == 4 && (c > 0xF4 || (c == 0xF4 && static_cast<unsigned char>(text[i + 1]) > 0x8F)))
            throw ParseError({path, line}, "invalid UTF-8 (code point beyond U+10FFFF)");
        i += len;
    }
}

}  // namespace

std::size_t StudySpec::line_of(std::string const& key) const {
    for (auto const& [k, line] : key_lines)
        if (k == key) return line;
    return 0;
}

namespace {

/// One parser per TOML section (docs/study.md), called with the section's value, or nullptr
/// when the file has no such section. A new step's section: one parser and one line in kSections
/// (a per-sample step's section is registered with the step: sample_step.hpp).

void parse_study(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (v) {
        Section s(path, "study", *v, spec);
        s.read("name", spec.name);
        s.finish();
    }
    if (spec.name.empty()) spec.name = fs::path(path).stem().string();
}

void parse_inputs(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) throw ParseError({path, 1}, "missing section [inputs]", "it names table and metadata");
    Section s(path, "inputs", *v, spec);
    bool const from_reads = s.has("reads");
    s.read_path("table", spec.table, !from_reads);
    s.read_path("reads", spec.reads, false);
    s.read("kind", spec.kind);
    s.read_path("taxonomy", spec.taxonomy, false);
    s.read_path("metadata", spec.metadata, true);
    s.read("metadata_id_column", spec.metadata_id_column);
    s.read_path("tree", spec.tree, false);
    s.finish();
    if (from_reads && !spec.table.empty())
        throw ParseError({path, spec.line_of("inputs.reads")}, "[inputs] gives both 'table' and 'reads'",
                         "a study starts from a table or from reads");
    if (from_reads && spec.kind != "shotgun") {
        std::size_t const line = spec.line_of("inputs.kind") ? spec.line_of("inputs.kind") : spec.line_of("inputs.reads");
        if (spec.kind == "16S")
            throw ParseError({path, line}, "studies from 16S reads are not supported yet (issue #11)",
                             "denoise with `orbiome amplicon denoise` and give its asv_table.biom as [inputs] table");
        throw ParseError({path, line}, "[inputs] reads needs kind = \"shotgun\"");
    }
    if (!from_reads && !spec.kind.empty())
        throw ParseError({path, spec.line_of("inputs.kind")}, "inputs.kind is for a study from reads (inputs.reads)");
}

void parse_design(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) throw ParseError({path, 1}, "missing section [design]", "it names the group column");
    Section s(path, "design", *v, spec);
    s.read("group", spec.group);
    s.read("subject", spec.subject);
    s.read("covariates", spec.covariates);
    s.finish();
    if (spec.group.empty()) throw ParseError({path, 1}, "[design] needs 'group'");
}

void parse_comparisons(toml::value const* list, std::string const& path, StudySpec& spec) {
    if (list) {
        if (!list->is_array()) throw ParseError({path, line_of_value(*list)}, "comparisons must be [[comparisons]] blocks");
        for (auto const& item : list->as_array()) {
            Section c(path, "comparisons", item, spec);
            Comparison cmp;
            cmp.line = line_of_value(item);
            c.read("name", cmp.name);
            c.read("test", cmp.test);
            c.read("reference", cmp.reference);
            if (item.contains("test")) cmp.test_line = line_of_value(item.at("test"));
            if (item.contains("reference")) cmp.reference_line = line_of_value(item.at("reference"));
            std::map<std::string, std::string> where;
            c.read("where", where);
            cmp.where.assign(where.begin(), where.end());
            c.finish();
            if (cmp.test.empty() || cmp.reference.empty())
                throw ParseError({path, cmp.line}, "a comparison needs 'test' and 'reference'");
            if (cmp.name.empty()) cmp.name = cmp.test + "_vs_" + cmp.reference;
            spec.comparisons.push_back(std::move(cmp));
        }
    }
    if (spec.comparisons.empty()) throw ParseError({path, 1}, "no [[comparisons]] given");
}

void parse_filter(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) return;
    Section f(path, "filter", *v, spec);
    double min_count = -1, min_total = -1, min_prevalence = -1;
    std::int64_t min_samples = -1;
    f.read("min_count", min_count);
    f.read("min_samples", min_samples);
    f.read("min_total", min_total);
    f.read("min_prevalence", min_prevalence);
    f.finish();
    spec.filter = {};
    if (min_count >= 0) spec.filter.min_count = min_count;
    if (min_samples >= 0) spec.filter.min_samples = static_cast<std::size_t>(min_samples);
    if (min_total >= 0) spec.filter.min_total = min_total;
    if (min_prevalence >= 0) spec.filter.min_prevalence = min_prevalence;
    try {
        spec.filter.validate();
    } catch (UsageError const& e) {
        throw ParseError({path, spec.line_of("filter.min_count")}, "[filter]: " + e.message());
    }
}

void parse_rarefy(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) return;
    Section r(path, "rarefy", *v, spec);
    std::int64_t depth = 0, seed = 42;
    r.read("depth", depth);
    r.read("seed", seed);
    r.finish();
    if (depth <= 0) throw ParseError({path, spec.line_of("rarefy.depth")}, "rarefy.depth must be a positive integer");
    spec.rarefy_depth = static_cast<std::uint64_t>(depth);
    spec.rarefy_seed = static_cast<std::uint64_t>(seed);
}

void parse_analysis(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) return;
    Section a(path, "analysis", *v, spec);
    std::vector<std::string> ratio;
    std::int64_t permutations = 999, seed = 42;
    a.read("ranks", spec.ranks);
    a.read("alpha", spec.alpha);
    a.read("beta", spec.beta);
    a.read("diff_methods", spec.diff_methods);
    a.read("ratio", ratio);
    a.read("permutations", permutations);
    a.read("seed", seed);
    a.finish();
    if (!ratio.empty()) {
        if (ratio.size() != 2) throw ParseError({path, spec.line_of("analysis.ratio")}, "analysis.ratio needs two taxa");
        spec.ratio = std::pair{ratio[0], ratio[1]};
    }
    if (permutations < 1) throw ParseError({path, spec.line_of("analysis.permutations")}, "analysis.permutations must be >= 1");
    spec.permutations = static_cast<std::uint64_t>(permutations);
    spec.seed = static_cast<std::uint64_t>(seed);
    for (auto& r : spec.ranks) {
        auto const canonical = study_rank(r);
        if (!canonical)
            throw ParseError({path, spec.line_of("analysis.ranks")}, "analysis.ranks: unknown rank '" + r + "'",
                             "a taxonomic rank (phylum ... species) or feature (also otu, asv: the table's own features)");
        r = *canonical;
    }
}

void parse_host(toml::value const* v, std::string const& path, StudySpec& spec) {
    if (!v) return;
    Section h(path, "host", *v, spec);
    h.read("variables", spec.host_variables);
    h.read_path("metabolites", spec.metabolites, false);
    h.read("method", spec.host_method);
    h.read("rank", spec.host_rank);
    h.finish();
    if (spec.host_method != "spearman" && spec.host_method != "pearson")
        throw ParseError({path, spec.line_of("host.method")}, "host.method must be spearman or pearson");
    auto const rank = study_rank(spec.host_rank);
    if (!rank) throw ParseError({path, spec.line_of("host.rank")}, "host.rank: unknown rank '" + spec.host_rank + "'");
    spec.host_rank = *rank;
    if (spec.host_variables.empty() && spec.metabolites.empty())
        throw ParseError({path, spec.line_of("host.method")}, "[host] needs 'variables' or 'metabolites'");
}

struct SectionEntry {
    char const* name;
    SectionParser parse;
};
/// In parse order: later sections' messages may use the lines of earlier keys.
constexpr SectionEntry kSections[] = {
    {"study", &parse_study},   {"inputs", &parse_inputs}, {"design", &parse_design},     {"comparisons", &parse_comparisons},
    {"filter", &parse_filter}, {"rarefy", &parse_rarefy}, {"analysis", &parse_analysis}, {"host", &parse_host},
};

}  // namespace

std::optional<std::string> study_rank(std::string const& name) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "feature" || lower == "otu" || lower == "asv") return std::string("feature");
    auto const r = taxonomy::parse_rank(name);
    if (!r) return std::nullopt;
    return std::string(taxonomy::rank_name(*r));
}

StudySpec read_study(std::string const& path) {
    // TOML is UTF-8 text. Bytes that are not (NUL, invalid UTF-8) are rejected here, with their
    // line, before toml11 sees them: fuzzing found that toml11 3.7 reads past its buffer on such
    // input inside a literal string.
    std::string text;
    {
        auto in = open_input(path);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (in.bad()) throw IoError(Errc::io, path, "read failed");
    }
    check_utf8_text(text, path);
    toml::value root;
    try {
        std::istringstream stream(text);
        root = toml::parse(stream, path);
    } catch (toml::syntax_error const& e) {
        std::string first = e.what();
        first = first.substr(0, first.find('\n'));
        if (first.rfind("[error] ", 0) == 0) first.erase(0, 8);
        throw ParseError({path, e.location().line()}, "invalid TOML: " + first);
    }
    StudySpec spec;
    spec.source = path;
    // The table steps' sections, then the per-sample steps' (which read [inputs]).
    std::vector<std::pair<std::string, SectionParser>> parsers;
    for (auto const& s : kSections) parsers.emplace_back(s.name, s.parse);
    for (auto const& s : sample_step_registry()) parsers.emplace_back(s.section, s.parse);
    std::string names;
    for (auto const& p : parsers) names += (names.empty() ? "" : ", ") + p.first;
    for (auto const& [section, value] : root.as_table()) {
        std::string const& key = section;  // clang 14 cannot capture a structured binding
        bool const known = std::any_of(parsers.begin(), parsers.end(), [&](auto const& p) { return key == p.first; });
        if (!known) throw ParseError({path, line_of_value(value)}, "unknown section [" + key + "]", "sections: " + names);
    }
    for (auto const& [name, parse] : parsers)
        parse(root.as_table().count(name) ? &root.at(name) : nullptr, path, spec);
    return spec;
}

void validate_against_metadata(StudySpec const& spec) {
    // The metadata's id column is found as the run will find it: by name, or as the column
    // holding the sample ids (the table's, read with it as load_study_data does; or the sheet's).
    io::MetadataOptions options{spec.metadata_id_column, {}};
    io::Metadata md;
    if (!spec.reads.empty()) {
        for (auto const& s : seqio::read_samplesheet(spec.reads)) options.sample_ids.push_back(s.name);
        md = io::read_metadata(spec.metadata, options);
    } else {
        io::TableReadOptions read;
        read.taxonomy_path = spec.taxonomy;
        md = io::read_table_and_metadata(spec.table, read, spec.metadata, options).metadata;
    }
    auto const& f = spec.source;
    auto need_column = [&](std::string const& column, std::string const& key, std::size_t line) {
        if (md.column_index(column) != io::Metadata::npos) return;
        std::string columns;
        for (auto const& c : md.columns) columns += (columns.empty() ? "" : ", ") + c;
        throw ParseError({f, line}, key + ": no column '" + column + "' in " + spec.metadata, "columns: " + columns);
    };
    need_column(spec.group, "design.group", spec.line_of("design.group"));
    if (!spec.subject.empty()) need_column(spec.subject, "design.subject", spec.line_of("design.subject"));
    for (auto const& c : spec.covariates) need_column(c, "design.covariates", spec.line_of("design.covariates"));
    for (auto const& v : spec.host_variables) need_column(v, "host.variables", spec.line_of("host.variables"));
    std::size_t const g = md.column_index(spec.group);
    for (auto const& cmp : spec.comparisons) {
        std::vector<std::size_t> where_cols;
        for (auto const& [col, value] : cmp.where) {
            need_column(col, "comparisons.where", cmp.line);
            where_cols.push_back(md.column_index(col));
        }
        std::set<std::string> levels;
        for (std::size_t s = 0; s < md.sample_ids.size(); ++s) {
            bool keep = true;
            for (std::size_t k = 0; k < where_cols.size(); ++k)
                if (md.values[where_cols[k]][s] != cmp.where[k].second) keep = false;
            if (keep) levels.insert(md.values[g][s]);
        }
        for (auto const& [level, line] : {std::pair{&cmp.test, cmp.test_line}, std::pair{&cmp.reference, cmp.reference_line}})
            if (!levels.count(*level)) {
                std::string have;
                for (auto const& l : levels) have += (have.empty() ? "" : ", ") + l;
                throw ParseError({f, line}, "comparison '" + cmp.name + "': no samples of group '" + *level + "' in " +
                                                    spec.group + (cmp.where.empty() ? "" : " (after 'where')"),
                                 "groups present: " + have);
            }
    }
}

}  // namespace orbiome::study
