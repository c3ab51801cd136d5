// Fuzzes io::read_table (TSV variants, HUMAnN, JSON BIOM; both orientations) through a memfd. Inputs with the HDF5
// signature are skipped: they would fuzz the uninstrumented HDF5 C library, not orbiome.
#include <cstring>

#include "fuzz_support.hpp"
#include "io/table_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static constexpr char kHdf5Signature[] = "\x89HDF\r\n\x1a\n";
    if (size >= 8 && std::memcmp(data, kHdf5Signature, 8) == 0) return 0;
    static orbiome::fuzz::MemFile file;
    std::string const& path = file.write(data, size);
    orbiome::fuzz::expect_only_orbiome_errors([&] { orbiome::io::read_table(path); });
    // The other layouts: HUMAnN strata, samples as rows, axes told by metadata ids.
    orbiome::io::TableReadOptions strata;
    strata.humann_rows = orbiome::io::HumannRows::stratified;
    strata.orientation = orbiome::io::Orientation::samples_as_rows;
    orbiome::fuzz::expect_only_orbiome_errors([&] { orbiome::io::read_table(path, strata); });
    orbiome::io::TableReadOptions by_ids;
    by_ids.sample_ids = {"S1", "S2"};
    orbiome::fuzz::expect_only_orbiome_errors([&] { orbiome::io::read_table(path, by_ids); });
    return 0;
}
