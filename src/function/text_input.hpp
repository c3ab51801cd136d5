#pragma once
/// \file text_input.hpp
/// Line input from a plain, gzip or bzip2 text file (HUMAnN ships its reaction map as .bz2),
/// chosen by the file's magic bytes, with 1-based line numbers for error messages. CR of CRLF
/// line ends is dropped; a NUL byte is a ParseError naming the line.

#include <cstddef>
#include <memory>
#include <string>

namespace orbiome::function {

class TextInput {
public:
    /// Throws IoError (66) if `path` cannot be opened.
    explicit TextInput(std::string path);
    /// Lines of `text` held in memory (a section of an FDB); `name` is used in messages.
    struct Memory {};
    TextInput(Memory, std::string name, std::string text);
    ~TextInput();
    TextInput(TextInput const&) = delete;
    TextInput& operator=(TextInput const&) = delete;

    /// The next line without its terminator; false at end of input. Throws ParseError on a
    /// corrupt compressed stream or a NUL byte, IoError (74) on a read error.
    bool next(std::string& line);
    std::size_t line_no() const { return line_no_; }
    std::string const& path() const { return path_; }

private:
    std::size_t fill();
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string path_;
    std::string buf_;
    std::size_t pos_ = 0;
    bool eof_ = false;
    std::size_t line_no_ = 0;
};

}  // namespace orbiome::function
