#pragma once
/// \file blocked.hpp
/// Rank tests with repeated measures: how the subjects (blocks) of a comparison lie across its
/// groups, and the test that layout allows (docs/diff.md "Wilcoxon and Kruskal with --subject"):
///  - every subject has exactly one sample in each group: the paired Wilcoxon signed-rank test
///    (R `wilcox.test(paired = TRUE)`) or, for more groups, the Friedman test (`friedman.test`);
///  - subjects with several samples in a group: the same tests on each subject's mean in each
///    group, over the subjects with samples in every group (the others are left out);
///  - subjects nested in groups: rank-sum / Kruskal–Wallis on one mean per subject.
/// Used by `diff --subject` and by the study's alpha-diversity tests.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "diffabund/stats.hpp"

namespace orbiome::diffabund {

/// The subjects of a comparison's samples across its `k` groups.
struct Blocks {
    std::size_t k = 0;
    std::vector<std::size_t> subject;   ///< per sample: subject index, in order of first appearance
    std::size_t n_subjects = 0;
    std::vector<std::size_t> count;     ///< n_subjects x k: samples of each subject in each group
    std::vector<std::size_t> complete;  ///< subjects with samples in every group
    std::size_t n_repeated = 0;         ///< subjects with more than one sample
    bool nested = false;                ///< every subject lies in one group only
    bool one_each = false;              ///< every subject has exactly one sample in every group
    /// A paired/blocked test (at least 2 complete subjects) or a nested one is possible.
    bool testable() const { return complete.size() >= 2 || nested; }
};

/// `subjects[i]` and `group[i]` (0..k-1) of each sample. O(samples log subjects).
Blocks make_blocks(std::vector<std::string> const& subjects, std::vector<std::size_t> const& group, std::size_t k);

/// The test of values `v` (one per sample) that `b` allows: Wilcoxon (`wilcoxon`; k = 2, the
/// statistic of `test` vs `reference`) or Friedman / Kruskal–Wallis. Requires b.testable().
TestResult blocked_test(std::span<double const> v, std::vector<std::size_t> const& group, Blocks const& b,
                        bool wilcoxon, std::size_t test, std::size_t reference);

/// One line naming the test used, for headers and notes (`subject_column` names the blocks;
/// `test_level` and `reference_level` the paired difference).
std::string blocked_test_note(Blocks const& b, bool wilcoxon, std::string const& subject_column,
                              std::string const& test_level, std::string const& reference_level);

}  // namespace orbiome::diffabund
