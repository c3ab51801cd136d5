// Fuzzes lineage strings: parse_lineage and collapse_key must never throw; the same bytes read
// as a lineage TSV may only be rejected with an orbiome::Error.
#include <cstdlib>
#include <sstream>

#include "fuzz_support.hpp"
#include "taxonomy/lineage.hpp"
#include "taxonomy/taxdump.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace orbiome::taxonomy;
    std::string_view const text = orbiome::fuzz::as_text(data, size);
    Lineage const lin = parse_lineage(text);
    for (int r = 0; r < kNumRanks; ++r) {
        std::string const key = collapse_key(lin, static_cast<Rank>(r));
        if (key.empty()) std::abort();
    }
    parse_rank(text);
    orbiome::fuzz::expect_only_orbiome_errors([&] {
        std::istringstream in{std::string(text)};
        Taxonomy const t = Taxonomy::from_lineage_stream(in, "lineages.tsv");
        for (std::uint32_t i = 1; i < t.size(); ++i)
            if (to_int(t.parent(TaxIndex{i})) >= i) std::abort();
    });
    return 0;
}
