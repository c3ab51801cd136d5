#pragma once
/// \file demo_data.hpp
/// The RR-5 16S tables compiled into the binary (data/rr5/ in the source tree; provenance in
/// data/rr5/PROVENANCE.md), so `orbiome demo` runs anywhere with no files and no network.

#include <string>
#include <string_view>
#include <vector>

namespace orbiome::study {

/// Names of the embedded files ("rr5/16S_fecal/otu_table.txt", ...).
std::vector<std::string_view> demo_file_names();
/// Contents of an embedded file; throws Error(software) for an unknown name.
std::string_view demo_file(std::string_view name);
/// Writes every embedded file under `dir` (keeping the rr5/... paths), atomically per file.
void write_demo_files(std::string const& dir);

}  // namespace orbiome::study
