// Fuzzes the study-file reader (TOML syntax, sections, keys, value types) through a memfd. The
// inputs it names do not exist beside /proc/self/fd, so accepted syntax ends in a missing-input
// error; what matters is that only orbiome::Error ever escapes.
#include "fuzz_support.hpp"
#include "study/study.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static orbiome::fuzz::MemFile file;
    std::string const& path = file.write(data, size);
    orbiome::fuzz::expect_only_orbiome_errors([&] { orbiome::study::read_study(path); });
    return 0;
}
