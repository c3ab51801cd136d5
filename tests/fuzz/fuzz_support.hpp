#pragma once
// Shared pieces of the libFuzzer targets: an in-memory file for parsers that take a path, and
// the one rule every target follows (only orbiome::Error may escape a parser).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace orbiome::fuzz {

/// A memfd holding the current input, reachable by path as /proc/self/fd/N. Created once per
/// process and rewritten for every input, so no disk I/O happens in the fuzz loop.
class MemFile {
public:
    MemFile() : fd_(memfd_create("orbiome-fuzz", 0)) {
        if (fd_ < 0) std::abort();
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    std::string const& write(std::uint8_t const* data, std::size_t size) {
        if (ftruncate(fd_, 0) != 0) std::abort();
        std::size_t done = 0;
        while (done < size) {
            ssize_t const n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            if (n <= 0) std::abort();
            done += static_cast<std::size_t>(n);
        }
        return path_;
    }

private:
    int fd_;
    std::string path_;
};

inline std::string_view as_text(std::uint8_t const* data, std::size_t size) {
    return {reinterpret_cast<char const*>(data), size};
}

/// Runs `f`; an orbiome::Error is the parser rejecting bad input, which is correct behaviour.
template <class F>
void expect_only_orbiome_errors(F&& f) {
    try {
        f();
    } catch (orbiome::Error const&) {
    }
}

}  // namespace orbiome::fuzz
