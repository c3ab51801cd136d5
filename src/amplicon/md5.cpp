#include "amplicon/md5.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace orbiome::amplicon {

namespace {

constexpr std::array<std::uint32_t, 64> kShift = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

// K[i] = floor(2^32 * |sin(i + 1)|), per RFC 1321.
std::array<std::uint32_t, 64> const& constants() {
    static std::array<std::uint32_t, 64> const k = [] {
        std::array<std::uint32_t, 64> t{};
        for (std::size_t i = 0; i < 64; ++i)
            t[i] = static_cast<std::uint32_t>(std::floor(std::abs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
        return t;
    }();
    return k;
}

std::uint32_t rotl(std::uint32_t x, std::uint32_t c) { return (x << c) | (x >> (32 - c)); }

}  // namespace

std::string md5_hex(std::string_view data) {
    auto const& K = constants();
    std::uint32_t a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
    std::vector<std::uint8_t> msg(data.begin(), data.end());
    std::uint64_t const bits = static_cast<std::uint64_t>(data.size()) * 8;
    msg.push_back(0x80);
    while (msg.size() % 64 != 56) msg.push_back(0);
    for (int i = 0; i < 8; ++i) msg.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
    for (std::size_t off = 0; off < msg.size(); off += 64) {
        std::uint32_t m[16];
        for (std::size_t i = 0; i < 16; ++i)
            m[i] = std::uint32_t{msg[off + 4 * i]} | (std::uint32_t{msg[off + 4 * i + 1]} << 8) |
                   (std::uint32_t{msg[off + 4 * i + 2]} << 16) | (std::uint32_t{msg[off + 4 * i + 3]} << 24);
        std::uint32_t a = a0, b = b0, c = c0, d = d0;
        for (std::uint32_t i = 0; i < 64; ++i) {
            std::uint32_t f, g;
            if (i < 16) {
                f = (b & c) | (~b & d);
                g = i;
            } else if (i < 32) {
                f = (d & b) | (~d & c);
                g = (5 * i + 1) % 16;
            } else if (i < 48) {
                f = b ^ c ^ d;
                g = (3 * i + 5) % 16;
            } else {
                f = c ^ (b | ~d);
                g = (7 * i) % 16;
            }
            f = f + a + K[i] + m[g];
            a = d;
            d = c;
            c = b;
            b = b + rotl(f, kShift[i]);
        }
        a0 += a;
        b0 += b;
        c0 += c;
        d0 += d;
    }
    static char const* const hex = "0123456789abcdef";
    std::string out;
    for (std::uint32_t v : {a0, b0, c0, d0})
        for (int i = 0; i < 4; ++i) {
            auto const byte = static_cast<std::uint8_t>(v >> (8 * i));
            out.push_back(hex[byte >> 4]);
            out.push_back(hex[byte & 15]);
        }
    return out;
}

}  // namespace orbiome::amplicon
