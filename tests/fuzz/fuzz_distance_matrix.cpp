// Fuzzes ecology::read_distance_matrix (scikit-bio TSV) through a memfd.
#include "ecology/distance_matrix.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static orbiome::fuzz::MemFile file;
    std::string const& path = file.write(data, size);
    orbiome::fuzz::expect_only_orbiome_errors([&] { orbiome::ecology::read_distance_matrix(path); });
    return 0;
}
