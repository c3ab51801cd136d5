// PyRandom against CPython 3.11.2 (/usr/bin/python3, Debian 12), outputs printed by:
//   r = random.Random(SEED); [r.getrandbits(32) ...], [r.random() ...], [r.randint(0, 54) ...],
//   [r.normalvariate(0.0, 1.0) ...]; seeds 1982 (LEfSe's), 0 and 2**40 + 5 (a two-word key).
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "diffabund/py_random.hpp"

using orbiome::diffabund::PyRandom;

TEST(PyRandom, RawOutputsEqualCPythonForOneAndTwoWordSeeds) {
    PyRandom a(1982);
    for (std::uint32_t v : {3405221181U, 3412983211U, 3815098737U, 3346778333U}) EXPECT_EQ(a.getrandbits(32), v);
    PyRandom zero(0);
    for (std::uint32_t v : {3626764237U, 1654615998U, 3255389356U}) EXPECT_EQ(zero.getrandbits(32), v);
    PyRandom wide((std::uint64_t{1} << 40) + 5);
    for (std::uint32_t v : {2166296868U, 2220160828U, 1153647273U}) EXPECT_EQ(wide.getrandbits(32), v);
}

TEST(PyRandom, StateRefillAndRejectionSamplingEqualCPython) {
    // 700 draws cross the 624-word refill; randint(3, 3) still consumes draws (getrandbits(1)
    // until 0); randint(0, 2**31 - 1) rejects 32-bit draws >= 2^31.
    PyRandom r(1982);
    for (int i = 0; i < 700; ++i) r.getrandbits(32);
    EXPECT_EQ(r.getrandbits(32), 159169851U);
    EXPECT_EQ(r.randint(3, 3), 3);
    EXPECT_EQ(r.getrandbits(32), 2214947589U);
    EXPECT_EQ(r.randint(0, 2147483647), 1854714848);
}

TEST(PyRandom, RandomRandintAndNormalvariateEqualCPython) {
    PyRandom u(1982);
    for (double v : {0.7928398385245135, 0.888271896386389, 0.07825762789477386}) EXPECT_EQ(u.random(), v);
    PyRandom k(1982);
    std::vector<std::int64_t> got;
    for (int i = 0; i < 12; ++i) got.push_back(k.randint(0, 54));
    EXPECT_EQ(got, (std::vector<std::int64_t>{50, 50, 49, 5, 0, 47, 33, 43, 16, 3, 36, 29}));
    PyRandom g(1982);
    for (double v : {0.052339686434658625, 1.2507839997533787, 0.9320952804028546, -0.24958590722215424})
        EXPECT_EQ(g.normalvariate(0.0, 1.0), v);
    PyRandom s(1982);
    EXPECT_EQ(s.normalvariate(0.0, 0.01), 0.0005233968643465862);
    EXPECT_EQ(s.normalvariate(0.0, 0.01), 0.012507839997533788);
}
