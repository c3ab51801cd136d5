#pragma once
/// \file pipeline.hpp
/// The ordered read -> process -> write pipeline of orbiome (STYLE.md §8.3), on oneTBB's
/// `parallel_pipeline` (minimap2's `kt_pipeline` pattern).
///
/// `read` and `write` run one at a time, in input order; `process` runs on up to `n_threads`
/// threads. At most `2 * n_threads` slots are in flight, so memory is bounded by the slot size,
/// not by the input size. Slots are reused (their vectors keep capacity). With n_threads <= 1
/// everything runs in the calling thread, in order. Exceptions from any stage stop the pipeline
/// and are rethrown to the caller (oneTBB cancels the remaining work).

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "core/tsan_annotations.hpp"

namespace orbiome {

/// Runs the pipeline over slots of type `Slot` (default-constructible).
///  - `read(Slot&) -> bool`: fills the slot with the next chunk; false = end of input (the slot
///    is then discarded). Called serially in order.
///  - `process(Slot&)`: transforms a filled slot; called concurrently on different slots.
///  - `write(Slot&)`: consumes a processed slot; called serially in the order of `read`.
namespace detail {
/// States `happens_before(sync)` when it leaves scope, also when a stage throws: oneTBB waits
/// for the stages still running before it rethrows, but TSan does not see oneTBB's own sync.
struct ReleaseOnExit {
    void const* sync;
    ~ReleaseOnExit() { happens_before(sync); }
};
}  // namespace detail

template <class Slot, class Read, class Process, class Write>
void ordered_pipeline(int n_threads, Read&& read, Process&& process, Write&& write) {
    if (n_threads <= 1) {
        Slot slot;
        while (read(slot)) {
            process(slot);
            write(slot);
        }
        return;
    }
    std::size_t const n_slots = 2 * static_cast<std::size_t>(n_threads);
    std::vector<std::unique_ptr<Slot>> pool;
    std::vector<Slot*> free_list;
    for (std::size_t i = 0; i < n_slots; ++i) {
        pool.push_back(std::make_unique<Slot>());
        free_list.push_back(pool.back().get());
    }
    std::mutex free_mutex;
    // The input filter can take a slot only when one is free: the token limit equals the pool
    // size, and a slot returns to the pool when the write filter is done with it.
    auto take = [&]() -> Slot* {
        std::lock_guard<std::mutex> lock(free_mutex);
        Slot* s = free_list.back();
        free_list.pop_back();
        return s;
    };
    auto give_back = [&](Slot* s) {
        std::lock_guard<std::mutex> lock(free_mutex);
        free_list.push_back(s);
    };
    tbb::task_arena arena(n_threads);
    int read_stage = 0, write_stage = 0;  // TSan sync objects of the two serial stages
    detail::happens_before(&read_stage);
    // On return or on an exception from any stage, the caller then owns every slot again.
    struct AcquireAll {
        std::vector<std::unique_ptr<Slot>> const& pool;
        int const *read_stage, *write_stage;
        ~AcquireAll() {
            detail::happens_after(write_stage);
            detail::happens_after(read_stage);
            for (auto const& s : pool) detail::happens_after(s.get());
        }
    } const acquire_all{pool, &read_stage, &write_stage};
    arena.execute([&] {
        tbb::parallel_pipeline(
            n_slots,
            tbb::make_filter<void, Slot*>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& fc) -> Slot* {
                                              detail::happens_after(&read_stage);
                                              detail::ReleaseOnExit const stage{&read_stage};
                                              Slot* s = take();
                                              detail::ReleaseOnExit const slot{s};
                                              if (!read(*s)) {
                                                  give_back(s);
                                                  fc.stop();
                                                  return nullptr;
                                              }
                                              return s;
                                          }) &
                tbb::make_filter<Slot*, Slot*>(tbb::filter_mode::parallel,
                                               [&](Slot* s) {
                                                   detail::happens_after(s);
                                                   detail::ReleaseOnExit const slot{s};
                                                   process(*s);
                                                   return s;
                                               }) &
                tbb::make_filter<Slot*, void>(tbb::filter_mode::serial_in_order, [&](Slot* s) {
                    detail::happens_after(s);
                    detail::happens_after(&write_stage);
                    detail::ReleaseOnExit const stage{&write_stage}, slot{s};
                    write(*s);
                    give_back(s);
                }));
    });
}

}  // namespace orbiome
