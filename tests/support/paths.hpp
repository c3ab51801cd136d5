#pragma once
// Where test inputs live. Suites that read ../shared/data call shared_or_skip() first, so they
// skip cleanly on a clone without it.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace orbiome::testing {

inline std::string test_data(std::string const& rel) { return std::string(ORBIOME_TEST_DATA) + "/" + rel; }

#ifdef ORBIOME_SHARED_DATA
inline std::string shared_data(std::string const& rel) { return std::string(ORBIOME_SHARED_DATA) + "/" + rel; }
#define ORBIOME_SHARED_OR_SKIP(rel)                                                     \
    do {                                                                                \
        if (!std::filesystem::exists(::orbiome::testing::shared_data(rel)))            \
            GTEST_SKIP() << "../shared/data absent: " << (rel);                        \
    } while (0)
#endif

/// A fresh temporary directory for one test, removed at destruction.
class TempDir {
public:
    TempDir() {
        auto base = std::filesystem::temp_directory_path() / "orbiome-test-XXXXXX";
        std::string tmpl = base.string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(std::string const& name) const { return (path_ / name).string(); }
    std::filesystem::path const& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace orbiome::testing
