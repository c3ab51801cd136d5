#pragma once
// Reading frozen reference outputs and comparing permutation p-values (STYLE §8.6 tolerances).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/text.hpp"

namespace orbiome::testing {

/// Field `col` of the first data row of a reference TSV (header row first).
inline double ref_value(std::string const& path, std::string const& col) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::string h, v;
    std::getline(in, h);
    std::getline(in, v);
    auto hs = split(h, '\t');
    auto vs = split(v, '\t');
    for (std::size_t i = 0; i < hs.size() && i < vs.size(); ++i)
        if (hs[i] == col) return std::stod(std::string(vs[i]));
    ADD_FAILURE() << col << " not in " << path;
    return 0;
}

/// |p - p_ref| <= 4 sqrt(p(1-p)/n) with p the reference; a reference at the resolution floor
/// 1/(n+1) is compared at that floor.
inline void expect_p_close(double p, double p_ref, std::size_t n_perm, std::string const& what) {
    double const q = std::max(p_ref, 1.0 / static_cast<double>(n_perm + 1));
    EXPECT_NEAR(p, p_ref, 4.0 * std::sqrt(q * (1 - q) / static_cast<double>(n_perm))) << what;
}

}  // namespace orbiome::testing
