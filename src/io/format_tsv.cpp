// Format `tsv`: orbiome/QIIME/BIOM-classic TSV, features as rows (see table_io.hpp), the fallback
// for any text table; also the TSV writer every command uses.
#include <charconv>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io::detail {

namespace {

using table::FeatureTable;

/// Integral values up to 2^53 are exact in a double and printed as plain integers.
constexpr double kMaxExactInteger = 9007199254740992.0;

int sniff(SniffInput const& in) { return in.text ? kFallback : kNotThisFormat; }

FeatureTable read(std::string const& path, TableReadOptions const&) {
    TextLines const text = read_text_lines(path);
    HeaderLayout const layout = locate_header(text);
    ColumnPlan plan;
    auto const& h = layout.header;
    if (h.empty()) fail_data(text.path, layout.header_line + 1, "header has no columns");
    plan.role.push_back(Role::id);
    for (std::size_t c = 1; c < h.size(); ++c) {
        if (c + 1 == h.size() && is_lineage_header(h[c])) {
            plan.role.push_back(Role::lineage);
        } else {
            plan.role.push_back(Role::sample);
            plan.samples.emplace_back(trim(h[c]));
        }
    }
    plan.rank.resize(plan.role.size());
    auto rows = parse_rows(text, layout, plan);
    return FeatureTable(std::move(rows.ids), std::move(plan.samples), std::move(rows.entries), std::move(rows.lineages),
                        text.path);
}

bool is_integer_value(double v) { return v >= 0 && v < kMaxExactInteger && v == static_cast<double>(static_cast<std::uint64_t>(v)); }

void append_value(std::string& out, double v, bool integral) {
    if (integral && is_integer_value(v)) {
        char buf[24];
        auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<std::uint64_t>(v));
        out.append(buf, ptr);
    } else {
        out += format_double(v);
    }
}

void check_writable_text(std::string const& s, std::string const& what, std::string const& path) {
    if (s.find_first_of("\t\n\r") != std::string::npos)
        throw ParseError({path}, what + " '" + s + "' contains a tab or line break and cannot be written as TSV",
                         "write BIOM (.biom or .json) instead");
}

void write_tsv(FeatureTable const& t, std::string const& path, std::string const& generated_by) {
    for (auto const& id : t.sample_ids()) check_writable_text(id, "sample id", path);
    for (auto const& id : t.feature_ids()) check_writable_text(id, "feature id", path);
    for (auto const& l : t.lineages()) check_writable_text(l, "lineage", path);
    // Transpose the sample-major storage once so each output row is one pass.
    std::size_t const nf = t.n_features(), ns = t.n_samples();
    std::vector<std::size_t> offsets(nf + 1, 0);
    for (std::size_t s = 0; s < ns; ++s)
        for (auto f : t.sample_features(s)) ++offsets[f + 1];
    for (std::size_t f = 0; f < nf; ++f) offsets[f + 1] += offsets[f];
    std::vector<std::uint32_t> samples(offsets.back());
    std::vector<double> values(offsets.back());
    std::vector<std::size_t> cursor(offsets.begin(), offsets.end() - 1);
    for (std::size_t s = 0; s < ns; ++s) {
        auto const fs = t.sample_features(s);
        auto const vs = t.sample_values(s);
        for (std::size_t i = 0; i < fs.size(); ++i) {
            samples[cursor[fs[i]]] = static_cast<std::uint32_t>(s);
            values[cursor[fs[i]]++] = vs[i];
        }
    }
    bool const integral = t.all_integral();

    AtomicOutput out(path);
    auto& os = out.stream();
    os << (generated_by.starts_with('#') ? "" : "#") << generated_by << '\n';
    os << "feature_id";
    for (auto const& s : t.sample_ids()) os << '\t' << s;
    if (t.has_lineages()) os << "\ttaxonomy";
    os << '\n';
    std::string row;
    for (std::size_t f = 0; f < nf; ++f) {
        row = t.feature_ids()[f];
        std::size_t k = offsets[f];
        for (std::size_t s = 0; s < ns; ++s) {
            row += '\t';
            if (k < offsets[f + 1] && samples[k] == s)
                append_value(row, values[k++], integral);
            else
                row += '0';
        }
        if (t.has_lineages()) {
            row += '\t';
            row += t.lineages()[f];
        }
        row += '\n';
        os << row;
    }
    out.commit();
}

}  // namespace

FormatHandler const kTsvFormat{TableFormat::tsv, &sniff, &read, &write_tsv};

}  // namespace orbiome::io::detail
