#include "core/atomic_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace orbiome {

namespace {
bool is_special_existing(std::string const& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false;
    return !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}
}  // namespace

AtomicOutput::AtomicOutput(std::string path) : path_(std::move(path)) {
    if (path_.empty()) throw UsageError("output path is empty");
    direct_ = is_special_existing(path_);
    write_path_ = direct_ ? path_ : path_ + ".tmp." + std::to_string(::getpid());
    out_.open(write_path_, std::ios::binary | std::ios::trunc);
    if (!out_) {
        int const err = errno;
        throw IoError(Errc::io, path_, std::string("cannot create output: ") + std::strerror(err),
                      "check that the directory exists and is writable");
    }
}

AtomicOutput::~AtomicOutput() {
    if (committed_) return;
    if (out_.is_open()) out_.close();
    if (!direct_) std::remove(write_path_.c_str());
}

void AtomicOutput::commit() {
    if (out_.is_open()) {
        out_.flush();
        bool const ok = static_cast<bool>(out_);
        out_.close();
        if (!ok || out_.fail()) {
            if (!direct_) std::remove(write_path_.c_str());
            committed_ = true;
            throw IoError(Errc::io, path_, "write failed (disk full or I/O error)");
        }
    }
    if (!direct_ && std::rename(write_path_.c_str(), path_.c_str()) != 0) {
        int const err = errno;
        std::remove(write_path_.c_str());
        committed_ = true;
        throw IoError(Errc::io, path_, std::string("cannot rename output into place: ") + std::strerror(err));
    }
    committed_ = true;
}

std::ifstream open_input(std::string const& path) {
    require_readable(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(Errc::io, path, std::string("cannot open: ") + std::strerror(errno));
    return in;
}

void require_readable(std::string const& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw IoError(Errc::no_input, path, "no such file");
    if (std::filesystem::is_directory(path, ec)) throw IoError(Errc::no_input, path, "is a directory, expected a file");
    if (::access(path.c_str(), R_OK) != 0)
        throw IoError(Errc::no_input, path, std::string("cannot read: ") + std::strerror(errno));
}

}  // namespace orbiome
