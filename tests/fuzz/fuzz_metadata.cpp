// Fuzzes io::read_metadata (through a memfd; also finding the id column from table ids) and the numeric accessor of every column.
#include <cstdlib>

#include "fuzz_support.hpp"
#include "io/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static orbiome::fuzz::MemFile file;
    std::string const& path = file.write(data, size);
    orbiome::fuzz::expect_only_orbiome_errors([&] {
        auto const md = orbiome::io::read_metadata(path);
        if (md.values.size() != md.columns.size() || md.types.size() != md.columns.size()) std::abort();
        for (std::size_t c = 0; c < md.columns.size(); ++c) {
            if (md.values[c].size() != md.sample_ids.size()) std::abort();
            orbiome::fuzz::expect_only_orbiome_errors([&] { md.numeric(c); });
        }
        orbiome::io::join_metadata(md.sample_ids, "fuzz", md);
    });
    // The id column found from table ids (and its ambiguity error).
    orbiome::fuzz::expect_only_orbiome_errors([&] { orbiome::io::read_metadata(path, {"", {"S1", "S2"}}); });
    return 0;
}
