#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/biom_io.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io {

namespace {

using nlohmann::json;
using table::Entry;
using table::FeatureTable;

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

std::string quote(std::string const& s) {
    return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string short_dump(json const& j) {
    constexpr std::size_t kMaxShown = 40;
    std::string d = j.dump(-1, ' ', false, json::error_handler_t::replace);
    if (d.size() > kMaxShown) d = d.substr(0, kMaxShown) + "...";
    return d;
}

json const& member(json const& j, char const* key, std::string const& path) {
    auto const it = j.find(key);
    if (it == j.end())
        throw ParseError({path}, std::string("BIOM JSON has no '") + key + "' member",
                         "is this a BIOM 1.0 table? (biom-format.org)");
    return *it;
}

std::vector<std::string> read_ids(json const& list, char const* key, std::string const& path) {
    if (!list.is_array()) throw ParseError({path}, std::string("BIOM JSON '") + key + "' is not an array");
    std::vector<std::string> ids;
    ids.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto const& item = list[i];
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string())
            throw ParseError({path, 0, i + 1, key}, "entry has no string 'id'");
        ids.push_back(item["id"].get<std::string>());
    }
    return ids;
}

/// Lineages from observation metadata `taxonomy`; empty when no row has it.
std::vector<std::string> read_taxonomy_metadata(json const& rows, std::string const& path) {
    std::vector<std::string> lineages(rows.size());
    bool any = false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto const md = rows[i].find("metadata");
        if (md == rows[i].end() || !md->is_object()) continue;
        auto tax = md->find("taxonomy");
        if (tax == md->end()) tax = md->find("Taxonomy");
        if (tax == md->end()) continue;
        any = true;
        if (tax->is_string()) {
            lineages[i] = canonical_lineage(tax->get<std::string>());
        } else if (tax->is_array()) {
            std::vector<std::string> levels;
            for (auto const& l : *tax) levels.push_back(l.is_string() ? l.get<std::string>() : std::string());
            lineages[i] = join_levels(levels);
        } else if (!tax->is_null()) {
            throw ParseError({path, 0, i + 1, "rows"}, "metadata 'taxonomy' is neither a list of strings nor a string");
        }
    }
    if (!any) lineages.clear();
    return lineages;
}

double read_value(json const& v, std::string const& path, std::size_t record, std::string const& where) {
    if (!v.is_number())
        throw ParseError({path, 0, record, "data"}, where + ": value " + short_dump(v) + " is not a number",
                         "orbiome reads numeric BIOM tables only");
    double const x = v.get<double>();
    if (x < 0) throw ParseError({path, 0, record, "data"}, where + ": negative count " + short_dump(v));
    return x;
}

std::size_t read_index(json const& v, std::size_t limit, std::string const& path, std::size_t record,
                       std::string const& what) {
    if (!v.is_number_integer() || v.get<long long>() < 0 || static_cast<std::size_t>(v.get<long long>()) >= limit)
        throw ParseError({path, 0, record, "data"},
                         what + " index " + short_dump(v) + " is not an integer in [0, " + std::to_string(limit) + ")");
    return static_cast<std::size_t>(v.get<long long>());
}

std::string value_text(double v, bool integral) {
    if (integral && v < kMaxExactInteger) return std::to_string(static_cast<std::uint64_t>(v));
    return format_double(v);
}

}  // namespace

FeatureTable read_biom_json(std::string const& path) {
    auto in = open_input(path);
    std::string const content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw IoError(Errc::io, path, "read failed");
    json j;
    try {
        j = json::parse(content);
    } catch (json::parse_error const& e) {
        std::size_t const upto = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, content.size());
        std::size_t const line = 1 + static_cast<std::size_t>(std::count(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(upto), '\n'));
        std::string msg = e.what();
        if (auto const p = msg.find(": syntax error"); p != std::string::npos) msg = msg.substr(p + 2);
        else if (auto const q = msg.find("] "); q != std::string::npos) msg = msg.substr(q + 2);
        fail_data(path, line, "invalid JSON: " + msg, "the file may be truncated");
    } catch (json::out_of_range const& e) {
        // A number beyond double's range ("1E999"): nlohmann gives no position, only the text.
        std::string const msg = e.what();
        std::string token;
        if (auto const a = msg.find("parsing '"); a != std::string::npos) {
            auto const b = msg.find('\'', a + 9);
            token = msg.substr(a + 9, b == std::string::npos ? std::string::npos : b - a - 9);
        }
        auto const at = token.empty() ? std::string::npos : content.find(token);
        std::size_t const line =
            at == std::string::npos ? 0 : 1 + static_cast<std::size_t>(std::count(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
        fail_data(path, line, "invalid JSON: number out of range" + (token.empty() ? std::string() : ": '" + token + "'"));
    }
    if (!j.is_object()) throw ParseError({path}, "BIOM JSON is not an object");

    if (auto const et = j.find("matrix_element_type"); et != j.end() && et->is_string()) {
        std::string const t = et->get<std::string>();
        if (t != "int" && t != "float")
            throw ParseError({path}, "BIOM matrix_element_type '" + t + "': the matrix holds text, not counts",
                             "orbiome reads numeric BIOM tables only (int or float)");
    }
    json const& rows = member(j, "rows", path);
    json const& columns = member(j, "columns", path);
    json const& data = member(j, "data", path);
    json const& matrix_type = member(j, "matrix_type", path);
    auto feature_ids = read_ids(rows, "rows", path);
    auto sample_ids = read_ids(columns, "columns", path);
    std::size_t const nf = feature_ids.size(), ns = sample_ids.size();
    if (auto const shape = j.find("shape"); shape != j.end()) {
        if (!shape->is_array() || shape->size() != 2 || !(*shape)[0].is_number_integer() ||
            !(*shape)[1].is_number_integer() || (*shape)[0].get<long long>() != static_cast<long long>(nf) ||
            (*shape)[1].get<long long>() != static_cast<long long>(ns))
            throw ParseError({path}, "BIOM shape " + short_dump(*shape) + " does not match " + std::to_string(nf) +
                                         " rows and " + std::to_string(ns) + " columns");
    }
    if (!data.is_array()) throw ParseError({path}, "BIOM JSON 'data' is not an array");

    std::vector<Entry> entries;
    std::string const type = matrix_type.is_string() ? matrix_type.get<std::string>() : std::string();
    if (type == "sparse") {
        entries.reserve(data.size());
        for (std::size_t k = 0; k < data.size(); ++k) {
            auto const& e = data[k];
            if (!e.is_array() || e.size() != 3)
                throw ParseError({path, 0, k + 1, "data"}, "sparse entry " + short_dump(e) + " is not [row, column, value]");
            std::size_t const r = read_index(e[0], nf, path, k + 1, "row");
            std::size_t const c = read_index(e[1], ns, path, k + 1, "column");
            double const v = read_value(e[2], path, k + 1, "entry " + short_dump(e));
            if (v != 0) entries.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(c), v});
        }
    } else if (type == "dense") {
        if (data.size() != nf)
            throw ParseError({path}, "dense 'data' has " + std::to_string(data.size()) + " rows, expected " + std::to_string(nf));
        for (std::size_t r = 0; r < nf; ++r) {
            auto const& row = data[r];
            if (!row.is_array() || row.size() != ns)
                throw ParseError({path, 0, r + 1, "data"}, "dense row does not have " + std::to_string(ns) + " values");
            for (std::size_t c = 0; c < ns; ++c) {
                double const v = read_value(row[c], path, r + 1, "column " + std::to_string(c + 1));
                if (v != 0) entries.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(c), v});
            }
        }
    } else {
        throw ParseError({path}, "BIOM matrix_type " + short_dump(matrix_type) + " is neither 'sparse' nor 'dense'");
    }
    auto lineages = read_taxonomy_metadata(rows, path);
    return FeatureTable(std::move(feature_ids), std::move(sample_ids), std::move(entries), std::move(lineages), path);
}

void write_biom_json(FeatureTable const& t, std::string const& path, std::string const& generated_by) {
    bool const integral = t.all_integral();
    auto entries = t.entries();
    std::sort(entries.begin(), entries.end(), [](Entry const& a, Entry const& b) {
        return a.feature != b.feature ? a.feature < b.feature : a.sample < b.sample;
    });
    AtomicOutput out(path);
    auto& os = out.stream();
    os << "{\"id\": null,\n\"format\": \"Biological Observation Matrix 1.0.0\",\n"
       << "\"format_url\": \"http://biom-format.org\",\n\"type\": \"OTU table\",\n"
       << "\"generated_by\": " << quote(generated_by) << ",\n\"date\": " << quote(creation_date()) << ",\n"
       << "\"matrix_type\": \"sparse\",\n\"matrix_element_type\": \"" << (integral ? "int" : "float") << "\",\n"
       << "\"shape\": [" << t.n_features() << ", " << t.n_samples() << "],\n\"rows\": [";
    for (std::size_t f = 0; f < t.n_features(); ++f) {
        os << (f ? ",\n" : "\n") << "{\"id\": " << quote(t.feature_ids()[f]) << ", \"metadata\": ";
        if (t.has_lineages()) {
            os << "{\"taxonomy\": [";
            auto const levels = stored_levels(t.lineages()[f]);
            for (std::size_t i = 0; i < levels.size(); ++i) os << (i ? ", " : "") << quote(levels[i]);
            os << "]}}";
        } else {
            os << "null}";
        }
    }
    os << "],\n\"columns\": [";
    for (std::size_t s = 0; s < t.n_samples(); ++s)
        os << (s ? ",\n" : "\n") << "{\"id\": " << quote(t.sample_ids()[s]) << ", \"metadata\": null}";
    os << "],\n\"data\": [";
    for (std::size_t k = 0; k < entries.size(); ++k)
        os << (k ? ",\n" : "\n") << '[' << entries[k].feature << ", " << entries[k].sample << ", "
           << value_text(entries[k].value, integral) << ']';
    os << "]\n}\n";
    out.commit();
}

namespace detail {

namespace {

/// A JSON object (after an optional BOM and white space) can only be BIOM 1.0 here.
int sniff_biom_json(SniffInput const& in) {
    std::string_view h = in.head;
    if (h.starts_with("\xEF\xBB\xBF")) h.remove_prefix(3);
    auto const i = h.find_first_not_of(" \t\r\n\f\v");
    return i != std::string_view::npos && h[i] == '{' ? kMagic : kNotThisFormat;
}

}  // namespace

FormatHandler const kBiomJsonFormat{
    TableFormat::biom_json, &sniff_biom_json,
    [](std::string const& path, TableReadOptions const&) { return read_biom_json(path); },
    [](FeatureTable const& t, std::string const& path, std::string const& generated_by) {
        write_biom_json(t, path, generated_by_value(generated_by));
    }};

}  // namespace detail

}  // namespace orbiome::io
