#include "amplicon/reads.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::amplicon {

namespace {

struct RawRecord {
    std::string name, seq, qual;
};

// Decodes one file's qualities with the offset ShortRead's "Auto" mode would pick.
void decode(std::vector<RawRecord> const& recs, std::string const& path, std::vector<Read>& out) {
    char lo = '~', hi = '!';
    for (std::size_t i = 0; i < recs.size(); ++i)
        for (char c : recs[i].qual) {
            if (c < '!' || c > '~')
                throw ParseError(SourceLoc{path, 0, i + 1, recs[i].name},
                                 "quality character outside '!'..'~': the quality encoding cannot be told");
            lo = std::min(lo, c);
            hi = std::max(hi, c);
        }
    int const offset = (lo > ':' && hi > 'J') ? 64 : 33;
    out.resize(recs.size());
    for (std::size_t i = 0; i < recs.size(); ++i) {
        Read& r = out[i];
        r.name = recs[i].name;
        r.seq = recs[i].seq;
        for (char& c : r.seq) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        r.qual.resize(recs[i].qual.size());
        for (std::size_t j = 0; j < r.qual.size(); ++j) {
            int q = recs[i].qual[j] - offset;
            if (q < 0)
                throw ParseError(SourceLoc{path, 0, i + 1, recs[i].name},
                                 "quality below 0 at Phred+" + std::to_string(offset) +
                                     ": the quality encoding cannot be told");
            r.qual[j] = static_cast<std::uint8_t>(q);
        }
    }
}

}  // namespace

SampleReads read_sample(std::string const& path1, std::string const& path2) {
    seqio::PairedReader reader(path1, path2);
    std::vector<RawRecord> a, b;
    seqio::FastxRecord r1, r2;
    while (reader.next(r1, r2)) {
        if (r1.qual.empty() && !r1.seq.empty())
            throw ParseError(SourceLoc{path1, 0, a.size() + 1, r1.name}, "FASTA input: amplicon denoising needs FASTQ qualities");
        a.push_back({r1.name, r1.seq, r1.qual});
        if (!path2.empty()) b.push_back({r2.name, r2.seq, r2.qual});
    }
    SampleReads s;
    s.paired_input = !path2.empty();
    decode(a, path1, s.fwd);
    if (!path2.empty()) decode(b, path2, s.rev);
    return s;
}

}  // namespace orbiome::amplicon
