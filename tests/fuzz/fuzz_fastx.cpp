// Fuzzes the FASTA/FASTQ reader (plain or gzip, detected from the bytes) through a memfd: every
// record it accepts must have a name and, for FASTQ, qualities as long as the sequence.
#include <cstdlib>

#include "fuzz_support.hpp"
#include "seqio/fastx.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static orbiome::fuzz::MemFile file;
    std::string const& path = file.write(data, size);
    orbiome::fuzz::expect_only_orbiome_errors([&] {
        orbiome::seqio::FastxReader reader(path);
        orbiome::seqio::FastxRecord rec;
        while (reader.next(rec))
            if (!rec.qual.empty() && rec.qual.size() != rec.seq.size()) std::abort();
    });
    return 0;
}
