#include "diffabund/blocked.hpp"

#include <map>

namespace orbiome::diffabund {

Blocks make_blocks(std::vector<std::string> const& subjects, std::vector<std::size_t> const& group, std::size_t k) {
    Blocks b;
    b.k = k;
    std::map<std::string, std::size_t> index;
    b.subject.resize(subjects.size());
    for (std::size_t i = 0; i < subjects.size(); ++i)
        b.subject[i] = index.try_emplace(subjects[i], index.size()).first->second;
    b.n_subjects = index.size();
    b.count.assign(b.n_subjects * k, 0);
    for (std::size_t i = 0; i < subjects.size(); ++i) ++b.count[b.subject[i] * k + group[i]];
    std::size_t in_one_group = 0;
    b.one_each = true;
    for (std::size_t s = 0; s < b.n_subjects; ++s) {
        std::size_t groups = 0, samples = 0;
        bool single = true;
        for (std::size_t g = 0; g < k; ++g) {
            groups += b.count[s * k + g] > 0;
            samples += b.count[s * k + g];
            single = single && b.count[s * k + g] == 1;
        }
        if (groups == k) b.complete.push_back(s);
        in_one_group += groups == 1;
        b.n_repeated += samples > 1;
        b.one_each = b.one_each && groups == k && single;
    }
    b.nested = in_one_group == b.n_subjects;
    return b;
}

TestResult blocked_test(std::span<double const> v, std::vector<std::size_t> const& group, Blocks const& b,
                        bool wilcoxon, std::size_t test, std::size_t reference) {
    std::size_t const k = b.k;
    std::vector<double> cell(b.n_subjects * k, 0.0);  // mean of each subject in each group
    for (std::size_t i = 0; i < v.size(); ++i) cell[b.subject[i] * k + group[i]] += v[i];
    for (std::size_t x = 0; x < cell.size(); ++x)
        cell[x] = b.count[x] ? cell[x] / static_cast<double>(b.count[x]) : 0.0;
    if (b.complete.size() >= 2) {
        if (wilcoxon) {
            std::vector<double> diff;
            for (std::size_t s : b.complete) diff.push_back(cell[s * k + test] - cell[s * k + reference]);
            return wilcoxon_signed_rank(diff);
        }
        std::vector<double> y;
        for (std::size_t s : b.complete)
            y.insert(y.end(), cell.begin() + static_cast<std::ptrdiff_t>(s * k),
                     cell.begin() + static_cast<std::ptrdiff_t>((s + 1) * k));
        return friedman(y, b.complete.size(), k);
    }
    std::vector<double> mean;
    std::vector<std::size_t> of;
    for (std::size_t s = 0; s < b.n_subjects; ++s)
        for (std::size_t g = 0; g < k; ++g)
            if (b.count[s * k + g]) mean.push_back(cell[s * k + g]), of.push_back(g);
    if (!wilcoxon) return kruskal_wallis(mean, of);
    std::vector<double> x, y;
    for (std::size_t i = 0; i < mean.size(); ++i) (of[i] == test ? x : y).push_back(mean[i]);
    return wilcoxon_rank_sum(x, y);
}

std::string blocked_test_note(Blocks const& b, bool wilcoxon, std::string const& subject_column,
                              std::string const& test_level, std::string const& reference_level) {
    std::string const subject = "subject '" + subject_column + "'";
    std::size_t const q = b.n_subjects;
    if (b.complete.size() >= 2 && b.one_each)
        return wilcoxon ? "test: paired Wilcoxon signed-rank (R wilcox.test paired = TRUE), " + subject + ": " +
                              std::to_string(q) + " subjects with one sample in each group; statistic: V of " +
                              test_level + " - " + reference_level
                        : "test: Friedman rank-sum (R friedman.test), blocks = " + subject + ": " + std::to_string(q) +
                              " subjects with one sample in each group; statistic: chi-squared, df = " +
                              std::to_string(b.k - 1);
    if (b.complete.size() >= 2) {
        std::string const left_out = b.complete.size() < q ? "; " + std::to_string(q - b.complete.size()) +
                                                                 " subject(s) without a sample in every group left out"
                                                           : std::string();
        return std::string("test: ") +
               (wilcoxon ? "paired Wilcoxon signed-rank (R wilcox.test paired = TRUE)"
                         : "Friedman rank-sum (R friedman.test)") +
               " on the mean of each " + subject + " in each group: " + std::to_string(b.complete.size()) +
               " subjects" + left_out + "; statistic: " + (wilcoxon ? "V" : "chi-squared");
    }
    return "test: subjects nested in groups (" + subject + "): " +
           (wilcoxon ? std::string("Wilcoxon rank-sum") : std::string("Kruskal-Wallis")) +
           " on the mean of each subject, n = " + std::to_string(q) + " subjects";
}

}  // namespace orbiome::diffabund
