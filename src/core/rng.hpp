#pragma once
/// \file rng.hpp
/// Seeded random numbers whose draws do not depend on thread count (STYLE.md §8.3).
///
/// `Rng::stream(seed, index)` gives the generator for work item `index` (a permutation, a
/// sample): the same (seed, index) always yields the same sequence, whichever thread runs it.
/// The generator is xoshiro256** (Blackman & Vigna, 2018) seeded through SplitMix64.

#include <cstdint>

namespace orbiome {

class Rng {
public:
    using result_type = std::uint64_t;
    explicit Rng(std::uint64_t seed) {
        for (auto& s : s_) s = splitmix64(seed);
    }
    /// The independent stream for item `index` under `seed`.
    static Rng stream(std::uint64_t seed, std::uint64_t index) {
        std::uint64_t x = seed ^ 0x9E3779B97F4A7C15ULL;
        std::uint64_t const mixed = splitmix64(x) ^ (index * 0xD1B54A32D192ED03ULL);
        return Rng(mixed);
    }
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }

    result_type operator()() {
        std::uint64_t const result = rotl(s_[1] * 5, 7) * 9;
        std::uint64_t const t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform integer in [0, bound), bound > 0, without modulo bias (Lemire's method).
    std::uint64_t below(std::uint64_t bound) {
        __uint128_t m = static_cast<__uint128_t>((*this)()) * bound;
        auto low = static_cast<std::uint64_t>(m);
        if (low < bound) {
            std::uint64_t const threshold = (0 - bound) % bound;
            while (low < threshold) {
                m = static_cast<__uint128_t>((*this)()) * bound;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return static_cast<std::uint64_t>(m >> 64);
    }

    /// Uniform double in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

    /// Fisher–Yates shuffle of [first, last) — the library's only shuffle, so that permutation
    /// tests are reproducible across standard libraries (std::shuffle's algorithm is unspecified).
    template <class It>
    void shuffle(It first, It last) {
        auto const n = static_cast<std::uint64_t>(last - first);
        for (std::uint64_t i = n; i > 1; --i) {
            std::uint64_t const j = below(i);
            std::swap(first[static_cast<long>(i - 1)], first[static_cast<long>(j)]);
        }
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::uint64_t s_[4];
};

}  // namespace orbiome
