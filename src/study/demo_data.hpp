#pragma once
/// \file demo_data.hpp
/// The demo studies compiled into the binary, so `orbiome demo` runs anywhere with no files and
/// no network: the RR-5 16S tables (data/rr5/ in the source tree) and the simulated shotgun study
/// from reads (data/shotgun/); provenance in each folder's PROVENANCE.md.

#include <string>
#include <string_view>
#include <vector>

namespace orbiome::study {

/// Names of the embedded files ("rr5/16S_fecal/otu_table.txt", ...).
std::vector<std::string_view> demo_file_names();
/// Contents of an embedded file; throws Error(software) for an unknown name.
std::string_view demo_file(std::string_view name);
/// Writes the embedded files of one demo folder ("rr5" or "shotgun") under `dir`, keeping their
/// paths (dir/rr5/...), atomically per file.
void write_demo_files(std::string const& dir, std::string_view folder = "rr5");
/// Builds the shotgun demo's indexes from its genome slices, which write_demo_files put in
/// `dir`/shotgun/: demo.idx (six gut species, for [profile]) and phix.idx (the PhiX spike-in,
/// QC's host step), where the study file names them. Under a second on one thread.
void build_shotgun_demo_indexes(std::string const& dir, int threads);

}  // namespace orbiome::study
