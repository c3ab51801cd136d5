// Fuzzes io::parse_newick and checks the post-order invariants of every tree it accepts.
#include <cstdlib>

#include "fuzz_support.hpp"
#include "io/newick.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    orbiome::fuzz::expect_only_orbiome_errors([&] {
        auto const t = orbiome::io::parse_newick(orbiome::fuzz::as_text(data, size), "fuzz.nwk");
        if (t.size() == 0 || t.parent[t.root()] != -1) std::abort();
        for (std::size_t i = 0; i + 1 < t.size(); ++i)
            if (t.parent[i] <= static_cast<std::int32_t>(i)) std::abort();
    });
    return 0;
}
