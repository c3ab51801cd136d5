#include "diffabund/py_random.hpp"

#include <bit>
#include <cmath>

#include "core/error.hpp"

namespace orbiome::diffabund {

namespace {

// MT19937 parameters (Matsumoto & Nishimura 1998, Table 2).
constexpr int kShift = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;
constexpr std::uint32_t kTemperB = 0x9d2c5680U;
constexpr std::uint32_t kTemperC = 0xefc60000U;
// Seeding multipliers and the fixed init_genrand seed of init_by_array (reference code).
constexpr std::uint32_t kInitMultiplier = 1812433253U;
constexpr std::uint32_t kArrayMultiplier1 = 1664525U;
constexpr std::uint32_t kArrayMultiplier2 = 1566083941U;
constexpr std::uint32_t kArrayBaseSeed = 19650218U;
// random(): 2^26 and 2^-53; normalvariate: 4 exp(-1/2) / sqrt(2).
constexpr double kTwo26 = 67108864.0;
constexpr double kTwoMinus53 = 1.0 / 9007199254740992.0;
const double kNormalMagic = 4.0 * std::exp(-0.5) / std::sqrt(2.0);

}  // namespace

PyRandom::PyRandom(std::uint64_t seed) {
    std::uint32_t key[2] = {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
    seed_by_array(key, key[1] != 0 ? 2 : 1);
}

void PyRandom::seed_by_array(std::uint32_t const* key, int key_length) {
    mt_[0] = kArrayBaseSeed;
    for (int i = 1; i < kStateSize; ++i)
        mt_[static_cast<std::size_t>(i)] =
            kInitMultiplier * (mt_[static_cast<std::size_t>(i - 1)] ^ (mt_[static_cast<std::size_t>(i - 1)] >> 30)) +
            static_cast<std::uint32_t>(i);
    int i = 1, j = 0;
    auto at = [&](int k) -> std::uint32_t& { return mt_[static_cast<std::size_t>(k)]; };
    for (int k = kStateSize > key_length ? kStateSize : key_length; k > 0; --k) {
        at(i) = (at(i) ^ ((at(i - 1) ^ (at(i - 1) >> 30)) * kArrayMultiplier1)) + key[j] + static_cast<std::uint32_t>(j);
        ++i;
        ++j;
        if (i >= kStateSize) {
            at(0) = at(kStateSize - 1);
            i = 1;
        }
        if (j >= key_length) j = 0;
    }
    for (int k = kStateSize - 1; k > 0; --k) {
        at(i) = (at(i) ^ ((at(i - 1) ^ (at(i - 1) >> 30)) * kArrayMultiplier2)) - static_cast<std::uint32_t>(i);
        ++i;
        if (i >= kStateSize) {
            at(0) = at(kStateSize - 1);
            i = 1;
        }
    }
    at(0) = kUpperMask;  // guarantees a non-zero state
    index_ = kStateSize;
}

void PyRandom::refill() {
    auto twist = [](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
        std::uint32_t const y = (a & kUpperMask) | (b & kLowerMask);
        return c ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
    };
    for (int k = 0; k < kStateSize; ++k) {
        auto const u = static_cast<std::size_t>(k);
        mt_[u] = twist(mt_[u], mt_[static_cast<std::size_t>((k + 1) % kStateSize)],
                       mt_[static_cast<std::size_t>((k + kShift) % kStateSize)]);
    }
    index_ = 0;
}

std::uint32_t PyRandom::next_u32() {
    if (index_ >= kStateSize) refill();
    std::uint32_t y = mt_[static_cast<std::size_t>(index_++)];
    y ^= y >> 11;
    y ^= (y << 7) & kTemperB;
    y ^= (y << 15) & kTemperC;
    y ^= y >> 18;
    return y;
}

std::uint32_t PyRandom::getrandbits(unsigned k) {
    if (k > 32) throw UsageError("PyRandom::getrandbits supports at most 32 bits");
    if (k == 0) return 0;
    return next_u32() >> (32 - k);
}

double PyRandom::random() {
    double const a = static_cast<double>(next_u32() >> 5), b = static_cast<double>(next_u32() >> 6);
    return (a * kTwo26 + b) * kTwoMinus53;
}

std::uint32_t PyRandom::randbelow(std::uint32_t n) {
    if (n == 0) throw UsageError("PyRandom::randbelow needs n >= 1");
    auto const k = static_cast<unsigned>(std::bit_width(n));
    std::uint32_t r = getrandbits(k);
    while (r >= n) r = getrandbits(k);
    return r;
}

std::int64_t PyRandom::randint(std::int64_t a, std::int64_t b) {
    if (b < a || b - a >= static_cast<std::int64_t>(UINT32_MAX)) throw UsageError("PyRandom::randint range out of bounds");
    return a + static_cast<std::int64_t>(randbelow(static_cast<std::uint32_t>(b - a + 1)));
}

double PyRandom::normalvariate(double mu, double sigma) {
    double z = 0;
    for (;;) {
        double const u1 = random(), u2 = 1.0 - random();
        z = kNormalMagic * (u1 - 0.5) / u2;
        if (z * z / 4.0 <= -std::log(u2)) break;
    }
    return mu + z * sigma;
}

}  // namespace orbiome::diffabund
