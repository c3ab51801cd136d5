#pragma once
/// \file replicate_analysis.hpp
/// The analyses `power` runs on every simulated study: the same library calls as `orbiome diff`
/// (make_design + run_diff) and `orbiome permanova` (Bray–Curtis + ecology::permanova), so the
/// power reported is that of the analysis the study will run. This file is the simulate
/// domain's only caller of diffabund and ecology.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "simulate/model.hpp"

namespace orbiome::simulate {

/// linda, wilcoxon, welch: per-feature tests, a call is BH q < alpha over the tested features;
/// permanova: one community-level test of the group (Bray–Curtis), a call is p < alpha.
enum class Method { linda, wilcoxon, welch, permanova };

std::string_view method_name(Method m);
/// Parses one name; UsageError listing the methods otherwise.
Method parse_method(std::string_view name);
/// True for tests of the whole community (no per-feature calls).
inline bool is_community(Method m) { return m == Method::permanova; }

struct AnalysisOptions {
    double alpha = 0.05;
    std::size_t permutations = 999;  ///< permanova
};

/// One method's result on one study.
struct MethodOutcome {
    std::vector<bool> called;  ///< per model feature (per-feature methods); empty for community tests
    bool rejected = false;     ///< community tests: p < alpha; per-feature methods: any call
};

/// Runs `m` on the study (groups "test" vs "reference", as `diff --compare test,reference`).
/// `seed` seeds the permutations. Single-threaded: `power` parallelises over replicates.
MethodOutcome analyse(Study const& s, Method m, AnalysisOptions const& o, std::uint64_t seed);

}  // namespace orbiome::simulate
