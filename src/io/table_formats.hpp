#pragma once
/// \file table_formats.hpp
/// The table-format registry (internal to io). One file per format (format_*.cpp, biom_*.cpp)
/// defines one FormatHandler; table_io.cpp lists them once. Sniffing asks every handler how sure
/// it is that a file is in its format and takes the most confident (ties: the earlier entry), so
/// a new format is one file plus one line in the list, not a new branch in a fixed if-chain.

#include <string>
#include <string_view>

#include "io/table_io.hpp"
#include "io/table_text.hpp"

namespace orbiome::io::detail {

/// What a sniffer sees: the first bytes, and for text files their first lines with the header
/// located (null for binary content).
struct SniffInput {
    std::string_view head;                ///< first few KiB, as bytes
    TextLines const* text = nullptr;      ///< null unless the content is text
    HeaderLayout const* layout = nullptr; ///< null unless the content is text
};

/// Sniff confidences: how specific the evidence is.
inline constexpr int kNotThisFormat = 0;
inline constexpr int kFallback = 1;        ///< any text table (plain TSV)
inline constexpr int kShape = 70;          ///< column counts (R's header one cell short)
inline constexpr int kHeaderNames = 50;    ///< rank-named columns (GeneLab; R's shape wins)
inline constexpr int kSignature = 90;      ///< a format's own header or id syntax
inline constexpr int kMagic = 100;         ///< a binary signature or JSON object

struct FormatHandler {
    TableFormat format;
    int (*sniff)(SniffInput const& in);
    /// Reads the whole file; `options` carries the format-specific choices (HUMAnN strata).
    table::FeatureTable (*read)(std::string const& path, TableReadOptions const& options);
    /// Null when orbiome does not write the format.
    void (*write)(table::FeatureTable const& t, std::string const& path, std::string const& generated_by);
};

extern FormatHandler const kTsvFormat;
extern FormatHandler const kRTableFormat;
extern FormatHandler const kGenelabFormat;
extern FormatHandler const kMetaphlanFormat;
extern FormatHandler const kHumannFormat;
extern FormatHandler const kBiomJsonFormat;
extern FormatHandler const kBiomHdf5Format;
extern FormatHandler const kOrbiomeProfileFormat;
extern FormatHandler const kCamiFormat;

}  // namespace orbiome::io::detail
