// Fuzzes ecology::read_distance_matrix (scikit-bio TSV) through a memfd. Inputs that carry the
// HDF5 signature are skipped: they would fuzz the uninstrumented HDF5 C library, not orbiome.
#include "ecology/distance_matrix.hpp"
#include "ecology/dm_hdf5.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static orbiome::fuzz::MemFile file;
    std::string const& path = file.write(data, size);
    if (orbiome::ecology::is_hdf5_file(path)) return 0;
    orbiome::fuzz::expect_only_orbiome_errors([&] { orbiome::ecology::read_distance_matrix(path); });
    return 0;
}
