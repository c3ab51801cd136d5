#include "function/text_input.hpp"

#include <bzlib.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>

#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::function {

struct TextInput::Impl {
    gzFile gz = nullptr;
    std::FILE* raw = nullptr;
    BZFILE* bz = nullptr;
    ~Impl() {
        if (bz) {
            int err = 0;
            BZ2_bzReadClose(&err, bz);
        }
        if (raw) std::fclose(raw);
        if (gz) gzclose(gz);
    }
};

TextInput::TextInput(std::string path) : impl_(std::make_unique<Impl>()), path_(std::move(path)) {
    require_readable(path_);
    unsigned char magic[3] = {0, 0, 0};
    if (std::FILE* f = std::fopen(path_.c_str(), "rb")) {
        std::size_t const n = std::fread(magic, 1, 3, f);
        std::fclose(f);
        if (n == 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            impl_->raw = std::fopen(path_.c_str(), "rb");
            int err = 0;
            if (impl_->raw) impl_->bz = BZ2_bzReadOpen(&err, impl_->raw, 0, 0, nullptr, 0);
            if (!impl_->bz) throw IoError(Errc::io, path_, "cannot open as bzip2");
            return;
        }
    }
    impl_->gz = gzopen(path_.c_str(), "rb");  // gzread also reads plain files
    if (!impl_->gz) throw IoError(Errc::no_input, path_, std::string("cannot open: ") + std::strerror(errno));
}

TextInput::TextInput(Memory, std::string name, std::string text)
    : impl_(std::make_unique<Impl>()), path_(std::move(name)), buf_(std::move(text)), eof_(true) {}

TextInput::~TextInput() = default;

std::size_t TextInput::fill() {
    char chunk[1 << 16];
    int n = 0;
    if (impl_->bz) {
        int err = BZ_OK;
        n = BZ2_bzRead(&err, impl_->bz, chunk, sizeof chunk);
        if (err != BZ_OK && err != BZ_STREAM_END)
            throw ParseError(SourceLoc{path_, line_no_ + 1}, "corrupt or truncated bzip2 stream");
        if (err == BZ_STREAM_END) eof_ = true;
    } else {
        n = gzread(impl_->gz, chunk, sizeof chunk);
        if (n < 0) {
            int errnum = 0;
            char const* msg = gzerror(impl_->gz, &errnum);
            throw ParseError(SourceLoc{path_, line_no_ + 1}, std::string("corrupt gzip stream: ") + msg);
        }
        if (n == 0) eof_ = true;
    }
    if (n > 0) buf_.append(chunk, static_cast<std::size_t>(n));
    return static_cast<std::size_t>(n > 0 ? n : 0);
}

bool TextInput::next(std::string& line) {
    for (;;) {
        auto const nl = buf_.find('\n', pos_);
        if (nl != std::string::npos || eof_) {
            if (nl == std::string::npos && pos_ >= buf_.size()) return false;
            std::size_t const end = nl == std::string::npos ? buf_.size() : nl;
            line.assign(buf_, pos_, end - pos_);
            pos_ = nl == std::string::npos ? buf_.size() : nl + 1;
            ++line_no_;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.find('\0') != std::string::npos)
                throw ParseError(SourceLoc{path_, line_no_}, "NUL byte: this is not a text file");
            return true;
        }
        if (pos_ > 0) {
            buf_.erase(0, pos_);
            pos_ = 0;
        }
        fill();
    }
}

}  // namespace orbiome::function
