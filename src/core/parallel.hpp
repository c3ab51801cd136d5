#pragma once
/// \file parallel.hpp
/// The one parallel-for of orbiome (STYLE.md §8.3), on oneTBB, limited to `n_threads`.
///
/// Work is split into contiguous index ranges; `body(begin, end)` must write only to state
/// owned by those indices, so results never depend on the thread count or scheduling.

#include <cstddef>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "core/tsan_annotations.hpp"

namespace orbiome {

/// Runs body(begin, end) over [0, n) on at most n_threads threads (n_threads <= 1: serially, in
/// the calling thread). `grain` is the smallest range handed to one task.
template <class Body>
void parallel_for(std::size_t n, int n_threads, Body&& body, std::size_t grain = 1) {
    if (n == 0) return;
    if (n_threads <= 1 || n <= grain) {
        body(std::size_t{0}, n);
        return;
    }
    tbb::task_arena arena(n_threads);
    int sync = 0;
    detail::happens_before(&sync);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain), [&](tbb::blocked_range<std::size_t> const& r) {
            detail::happens_after(&sync);
            body(r.begin(), r.end());
            detail::happens_before(&sync);
        });
    });
    detail::happens_after(&sync);
}

}  // namespace orbiome
