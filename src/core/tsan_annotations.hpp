#pragma once
/// \file tsan_annotations.hpp
/// oneTBB from Debian is not built with ThreadSanitizer, so TSan cannot see the ordering TBB
/// guarantees (a parallel_for's tasks run after the call starts and finish before it returns; a
/// pipeline's stages see a slot in order). `happens_before(x)` / `happens_after(x)` state it
/// for sync object `x`; outside TSan builds they compile to nothing.

#if defined(__SANITIZE_THREAD__)
#define ORBIOME_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ORBIOME_TSAN 1
#endif
#endif

#ifdef ORBIOME_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace orbiome::detail {

#ifdef ORBIOME_TSAN
inline void happens_before(void const* sync) { __tsan_release(const_cast<void*>(sync)); }
inline void happens_after(void const* sync) { __tsan_acquire(const_cast<void*>(sync)); }
#else
inline void happens_before(void const*) {}
inline void happens_after(void const*) {}
#endif

}  // namespace orbiome::detail
