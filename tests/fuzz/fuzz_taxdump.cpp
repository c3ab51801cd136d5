// Fuzzes Taxonomy::from_ncbi_streams with the input as nodes.dmp, then walks what it built.
#include <cstdlib>
#include <sstream>

#include "fuzz_support.hpp"
#include "taxonomy/taxdump.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace orbiome::taxonomy;
    orbiome::fuzz::expect_only_orbiome_errors([&] {
        std::istringstream in(std::string(orbiome::fuzz::as_text(data, size)));
        Taxonomy const t = Taxonomy::from_ncbi_streams(in, "nodes.dmp", nullptr, "");
        for (std::uint32_t i = 1; i < t.size(); ++i) {
            if (to_int(t.parent(TaxIndex{i})) >= i) std::abort();
            if (t.lca(TaxIndex{i}, TaxIndex{i / 2}) != t.lca(TaxIndex{i / 2}, TaxIndex{i})) std::abort();
            t.lineage(TaxIndex{i});
        }
    });
    return 0;
}
