// run_costliest_first: every task once, costliest first on one thread, the lowest failing task's
// exception whatever the thread count.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "amplicon/schedule.hpp"

using orbiome::amplicon::run_costliest_first;

TEST(Schedule, OneThreadRunsTasksCostliestFirstTiesByIndex) {
    std::vector<std::size_t> order;
    run_costliest_first({3, 9, 3, 1, 9}, 1, [&](std::size_t k) { order.push_back(k); });
    EXPECT_EQ(order, (std::vector<std::size_t>{1, 4, 0, 2, 3}));
}

TEST(Schedule, EveryTaskRunsOnceOnAnyThreadCount) {
    std::vector<std::uint64_t> costs;
    for (std::uint64_t i = 0; i < 200; ++i) costs.push_back((i * 37) % 11);
    for (int threads : {1, 2, 3, 8}) {
        std::vector<int> runs(costs.size(), 0);  // each slot written by its own task only
        run_costliest_first(costs, threads, [&](std::size_t k) { runs[k] += 1; });
        for (int r : runs) EXPECT_EQ(r, 1) << threads;
    }
    run_costliest_first({}, 2, [](std::size_t) { FAIL(); });
}

TEST(Schedule, TheLowestFailingTaskIsReported) {
    for (int threads : {1, 2, 4}) {
        try {
            run_costliest_first({1, 5, 2, 8, 3}, threads, [](std::size_t k) {
                if (k == 2 || k == 3) throw std::runtime_error("task " + std::to_string(k));
            });
            FAIL() << "no exception";
        } catch (std::runtime_error const& e) {
            EXPECT_STREQ(e.what(), "task 2") << threads;
        }
    }
}
