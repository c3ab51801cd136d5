#include <cstdlib>
#include <ctime>

#include "core/text.hpp"
#include "io/biom_io.hpp"

namespace orbiome::io {

std::string generated_by_value(std::string_view text) {
    while (!text.empty() && (text.front() == '#' || text.front() == ' ')) text.remove_prefix(1);
    return std::string(text);
}

std::string creation_date() {
    std::time_t now = std::time(nullptr);
    if (char const* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        char* end = nullptr;
        long long const v = std::strtoll(epoch, &end, 10);
        if (end && *end == '\0' && v >= 0) now = static_cast<std::time_t>(v);
    }
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

std::vector<std::string> lineage_levels(std::string_view text) {
    std::vector<std::string> out;
    if (trim(text).empty()) return out;
    char const sep = (text.find(';') == std::string_view::npos && text.find('|') != std::string_view::npos) ? '|' : ';';
    for (auto part : split(text, sep)) out.emplace_back(trim(part));
    while (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

std::vector<std::string> stored_levels(std::string_view lineage) {
    std::vector<std::string> out;
    if (lineage.empty()) return out;
    for (auto part : split(lineage, ';')) out.emplace_back(part);
    while (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

std::string canonical_lineage(std::string_view text) { return join(lineage_levels(text), ";"); }

std::string join_levels(std::vector<std::string> const& levels) {
    std::vector<std::string> t;
    t.reserve(levels.size());
    for (auto const& l : levels) t.emplace_back(trim(l));
    while (!t.empty() && t.back().empty()) t.pop_back();
    return join(t, ";");
}

}  // namespace orbiome::io
