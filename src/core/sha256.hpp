#pragma once
/// \file sha256.hpp
/// SHA-256 (FIPS 180-4) of files and strings, for the input checksums in provenance.json.

#include <cstdint>
#include <string>
#include <string_view>

namespace orbiome {

/// Incremental SHA-256. Not thread-safe; one hasher per stream.
class Sha256 {
public:
    Sha256();
    void update(std::string_view data);
    /// Lower-case hex digest; the hasher must not be updated afterwards.
    std::string hex_digest();

private:
    void block(unsigned char const* p);
    std::uint32_t h_[8];
    unsigned char buf_[64];
    std::size_t buf_len_ = 0;
    std::uint64_t total_ = 0;
};

/// Hex SHA-256 of a string.
std::string sha256_hex(std::string_view data);
/// Hex SHA-256 of a file's bytes. Throws IoError when it cannot be read.
std::string sha256_file(std::string const& path);

}  // namespace orbiome
