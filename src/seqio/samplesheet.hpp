#pragma once
/// \file samplesheet.hpp
/// The samplesheet of per-sample commands and study steps (SPEC: `profile --samplesheet`,
/// `[inputs] reads`): a TSV with a header naming the columns `sample`, `reads` and optionally
/// `reads2` (any order, other columns ignored), one sample per line; blank lines and lines
/// starting with '#' are skipped.

#include <string>
#include <vector>

namespace orbiome::seqio {

/// One sample: its name (output prefix) and read files ("" = single-end).
struct SampleReads {
    std::string name, reads, reads2;
};

/// Reads a samplesheet. Throws IoError (66) when absent, ParseError (65) at file:line for a
/// header without `sample` and `reads`, an empty field, a duplicate sample, or no sample at all. Paths are returned as written.
std::vector<SampleReads> read_samplesheet(std::string const& path);

}  // namespace orbiome::seqio
