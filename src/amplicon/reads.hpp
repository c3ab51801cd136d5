#pragma once
/// \file reads.hpp
/// A sample's amplicon reads held in memory (amplicon samples are small: 1e3-1e5 reads), with
/// qualities decoded to Phred scores the way ShortRead's "Auto" mode decides the offset, which
/// is what DADA2 uses when it reads FASTQ.

#include <cstdint>
#include <string>
#include <vector>

namespace orbiome::amplicon {

/// One read: bases (upper case, as read) and Phred scores (same length).
struct Read {
    std::string name;
    std::string seq;
    std::vector<std::uint8_t> qual;
};

/// The reads of one sample: forward, and reverse mates when paired (`rev.size() == fwd.size()`).
struct SampleReads {
    std::vector<Read> fwd;
    std::vector<Read> rev;
    bool paired() const noexcept { return !rev.empty() || paired_input; }
    bool paired_input = false;
};

/// Reads one FASTQ (or a pair in lockstep) fully. Quality offset: Phred+64 only if every
/// quality character of the file is above ':' and some is above 'J' (ShortRead "Auto"),
/// else Phred+33. A quality character outside '!'..'~', or a FASTA file, is a ParseError
/// naming the file and record (the encoding cannot be told). Mates out of step or of different
/// counts are ParseErrors from the reader.
SampleReads read_sample(std::string const& path1, std::string const& path2);

}  // namespace orbiome::amplicon
