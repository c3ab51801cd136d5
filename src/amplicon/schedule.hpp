#pragma once
/// \file schedule.hpp
/// Per-sample work of uneven size on a few threads, costliest first.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <numeric>
#include <vector>

#include "core/parallel.hpp"

namespace orbiome::amplicon {

/// Runs body(k) for every k in [0, costs.size()) on up to `threads` threads, in order of
/// decreasing cost (ties by k), each thread taking the next task as soon as it is free: a round
/// of samples ends with the small ones instead of waiting on a large one started last. body must
/// write only to state owned by k, so results do not depend on the schedule; the exception of
/// the lowest failing k is rethrown.
template <class Body>
void run_costliest_first(std::vector<std::uint64_t> const& costs, int threads, Body&& body) {
    std::size_t const n = costs.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
    std::vector<std::exception_ptr> errors(n);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t j = next.fetch_add(1); j < n; j = next.fetch_add(1)) {
            try {
                body(order[j]);
            } catch (...) {
                errors[order[j]] = std::current_exception();
            }
        }
    };
    std::size_t const workers = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(threads, 1)));
    parallel_for(workers, static_cast<int>(workers), [&](std::size_t b, std::size_t e) {
        for (std::size_t w = b; w < e; ++w) work();
    });
    for (auto const& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace orbiome::amplicon
