#pragma once
/// \file demo_power.hpp
/// The RR-5 fecal demo's "how many mice" panel (issue #16; docs/power.md): `orbiome power` run
/// on the demo's own data, added to its study directory and report.

#include <cstdint>
#include <string>

namespace orbiome::cli {

/// Simulated studies per group size of the panel: enough for a 95 % interval of about +-0.07
/// around a power of 0.5, in about a second of CPU for linda and wilcoxon at n = 5..40.
inline constexpr std::size_t kDemoPowerReplicates = 200;

/// In the study directory `dir` written by the fecal demo: reads the fold changes LinDA
/// estimated for Lactobacillus and Dorea in ISS vs ISS_G (diff/ISS_vs_ISS_G.genus.linda.tsv),
/// fits the simulator to the 10 ground-control (ISS_G) mice of the filtered genus table, runs
/// `power` (linda, wilcoxon; n = 5..40 per group; kDemoPowerReplicates; `seed`), writes
/// power/power.tsv, adds it to manifest.json (kind `power`) and rewrites report.html. The
/// other files are not changed. Same output for any `threads`.
void add_demo_power(std::string const& dir, std::uint64_t seed, int threads);

}  // namespace orbiome::cli
