#pragma once
/// \file py_random.hpp
/// CPython's `random.Random` (3.x), the subset LEfSe 1.1.2 calls, so that `diff --method lefse`
/// draws exactly the jitter and bootstrap samples `lefse_run.py` draws after `random.seed(1982)`.
///
/// Generator: MT19937 (Matsumoto & Nishimura, ACM TOMACS 8:3–30, 1998), with the reference
/// `init_genrand` / `init_by_array` seeding. CPython semantics reproduced (Lib/random.py and
/// Modules/_randommodule.c, read for behaviour):
///  - `seed(n)` for an int n: key = the 32-bit words of |n|, least significant first (n = 0 gives
///    the key {0}), then `init_by_array(key)`;
///  - `getrandbits(k)`, 0 <= k <= 32: the next 32-bit output shifted right by 32 - k (k = 0: 0,
///    no draw);
///  - `random()`: (a * 2^26 + b) / 2^53 with a = next >> 5, b = next >> 6 (53 random bits);
///  - `_randbelow(n)`: k = bit length of n, draw getrandbits(k) until it is < n (rejection);
///  - `randint(a, b)` = a + _randbelow(b - a + 1);
///  - `normalvariate(mu, sigma)`: Kinderman–Monahan ratio of uniforms (ACM TOMS 3:257–260, 1977):
///    repeat u1 = random(), u2 = 1 - random(), z = 4 e^-0.5 / sqrt(2) (u1 - 0.5) / u2 until
///    z^2 / 4 <= -ln u2; return mu + z sigma.
/// Frozen CPython 3.11 outputs are checked in tests/unit/diffabund/py_random_test.cpp.

#include <array>
#include <cstdint>

namespace orbiome::diffabund {

class PyRandom {
public:
    /// As `random.Random(seed)` / `random.seed(seed)` for a non-negative Python int.
    explicit PyRandom(std::uint64_t seed);

    /// Next raw 32-bit MT19937 output (`genrand_uint32`).
    std::uint32_t next_u32();
    /// `getrandbits(k)`, k in [0, 32].
    std::uint32_t getrandbits(unsigned k);
    /// `random()`: uniform double in [0, 1) with 53 random bits.
    double random();
    /// `_randbelow(n)`, n >= 1: uniform integer in [0, n).
    std::uint32_t randbelow(std::uint32_t n);
    /// `randint(a, b)`, a <= b, b - a < 2^32 - 1: uniform integer in [a, b].
    std::int64_t randint(std::int64_t a, std::int64_t b);
    /// `normalvariate(mu, sigma)`.
    double normalvariate(double mu, double sigma);

private:
    static constexpr int kStateSize = 624;
    void seed_by_array(std::uint32_t const* key, int key_length);
    void refill();
    std::array<std::uint32_t, kStateSize> mt_{};
    int index_ = kStateSize;
};

}  // namespace orbiome::diffabund
