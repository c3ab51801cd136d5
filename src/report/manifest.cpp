#include "report/manifest.hpp"

#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::report {

using nlohmann::json;

std::vector<ManifestEntry> Manifest::of_kind(std::string_view kind) const {
    std::vector<ManifestEntry> out;
    for (auto const& e : entries)
        if (e.kind == kind) out.push_back(e);
    return out;
}

ManifestEntry const* Manifest::first(std::string_view kind) const {
    for (auto const& e : entries)
        if (e.kind == kind) return &e;
    return nullptr;
}

void write_manifest(Manifest const& m, std::string const& path) {
    json j;
    j["format"] = kManifestFormat;
    j["entries"] = json::array();
    for (auto const& e : m.entries) {
        json o = {{"kind", e.kind}, {"path", e.path}, {"step", e.step}};
        for (auto const& [key, value] : {std::pair{"comparison", &e.comparison}, std::pair{"metric", &e.metric},
                                         std::pair{"rank", &e.rank}, std::pair{"method", &e.method}})
            if (!value->empty()) o[key] = *value;
        j["entries"].push_back(std::move(o));
    }
    j["skipped"] = json::array();
    for (auto const& s : m.skipped) j["skipped"].push_back({{"step", s.step}, {"reason", s.reason}});
    j["methods"] = m.methods;
    AtomicOutput out(path);
    out.stream() << j.dump(2) << '\n';
    out.commit();
}

Manifest read_manifest(std::string const& path) {
    json j;
    {
        auto in = open_input(path);
        j = json::parse(in, nullptr, false);
    }
    auto bad = [&](std::string const& what) {
        fail_data(path, 1, what, "manifest.json is written by `orbiome run`; was it edited?");
    };
    if (j.is_discarded() || !j.is_object()) bad("not a JSON object");
    if (!j.contains("format") || !j["format"].is_number_integer()) bad("no 'format' number: not a study manifest");
    if (j["format"].get<int>() > kManifestFormat)
        bad("manifest format " + std::to_string(j["format"].get<int>()) + " is newer than this orbiome reads (" +
            std::to_string(kManifestFormat) + ")");
    Manifest m;
    auto str = [](json const& o, char const* key) {
        return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
    };
    for (auto const& e : j.value("entries", json::array())) {
        ManifestEntry me{str(e, "kind"), str(e, "path"), str(e, "step"), str(e, "comparison"),
                         str(e, "metric"), str(e, "rank"), str(e, "method")};
        if (me.kind.empty() || me.path.empty()) bad("an entry lacks 'kind' or 'path'");
        m.entries.push_back(std::move(me));
    }
    for (auto const& s : j.value("skipped", json::array())) m.skipped.push_back({str(s, "step"), str(s, "reason")});
    if (j.contains("methods") && j["methods"].is_object()) m.methods = j["methods"];
    return m;
}

}  // namespace orbiome::report
