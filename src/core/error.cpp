#include "core/error.hpp"

namespace orbiome {

std::string SourceLoc::to_string() const {
    std::string s = file;
    if (line > 0) s += (s.empty() ? "line " : ":") + std::to_string(line);
    if (record > 0 || !record_name.empty()) {
        if (!s.empty()) s += ": ";
        if (record > 0) s += "record " + std::to_string(record);
        if (!record_name.empty()) s += (record > 0 ? " ('" : "'") + record_name + (record > 0 ? "')" : "'");
    }
    return s;
}

namespace {
std::string compose(SourceLoc const& loc, std::string const& message) {
    std::string where = loc.to_string();
    return where.empty() ? message : where + ": " + message;
}
}  // namespace

Error::Error(Errc code, SourceLoc loc, std::string const& message, std::string hint)
    : std::runtime_error(compose(loc, message)), code_(code), loc_(std::move(loc)), message_(message),
      hint_(std::move(hint)) {}

void fail_data(std::string const& file, std::size_t line, std::string const& message, std::string hint) {
    throw ParseError(SourceLoc{file, line}, message, std::move(hint));
}

}  // namespace orbiome
