#include "study/demo_data.hpp"

#include <filesystem>
#include <utility>

#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::study {

namespace embedded {
extern std::pair<std::string_view, std::string_view> const kEmbeddedFiles[];
extern std::size_t const kNumEmbeddedFiles;
}  // namespace embedded

std::vector<std::string_view> demo_file_names() {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < embedded::kNumEmbeddedFiles; ++i) out.push_back(embedded::kEmbeddedFiles[i].first);
    return out;
}

std::string_view demo_file(std::string_view name) {
    for (std::size_t i = 0; i < embedded::kNumEmbeddedFiles; ++i)
        if (embedded::kEmbeddedFiles[i].first == name) return embedded::kEmbeddedFiles[i].second;
    throw Error(Errc::software, {}, "no embedded demo file '" + std::string(name) + "'");
}

void write_demo_files(std::string const& dir) {
    for (std::size_t i = 0; i < embedded::kNumEmbeddedFiles; ++i) {
        auto const& [name, content] = embedded::kEmbeddedFiles[i];
        std::filesystem::path const path = std::filesystem::path(dir) / name;
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) throw IoError(Errc::io, path.parent_path().string(), "cannot create directory: " + ec.message());
        AtomicOutput out(path.string());
        out.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
        out.commit();
    }
}

}  // namespace orbiome::study
