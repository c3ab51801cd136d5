#pragma once
/// \file md5.hpp
/// MD5 (RFC 1321) as lowercase hex: q2-dada2 names each ASV by the MD5 of its sequence.

#include <string>
#include <string_view>

namespace orbiome::amplicon {

std::string md5_hex(std::string_view data);

}  // namespace orbiome::amplicon
