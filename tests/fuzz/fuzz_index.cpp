// Fuzzes the index loader (header, format version, parameters, checksum, sections) through a
// memfd: a file it accepts must answer lookups without reading out of bounds.
#include "fuzz_support.hpp"
#include "index/index.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static orbiome::fuzz::MemFile file;
    std::string const& path = file.write(data, size);
    orbiome::fuzz::expect_only_orbiome_errors([&] {
        auto const index = orbiome::index::Index::open(path);
        for (std::uint64_t key : {0ULL, 1ULL, 0x9E3779B97F4A7C15ULL, ~0ULL}) (void)index.lookup(key);
    });
    return 0;
}
