#include "seqio/fastx_writer.hpp"

#include <cerrno>
#include <cstring>

#include <zlib.h>

#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::seqio {

namespace {
// Text is compressed in blocks of this size: large enough that the 18-byte member header and
// trailer are negligible (< 0.01 %), small enough to stay in cache.
constexpr std::size_t kBlock = 1u << 20;
}  // namespace

Compression compression_for(std::string_view path) noexcept {
    return path.size() >= 3 && path.substr(path.size() - 3) == ".gz" ? Compression::gzip : Compression::plain;
}

namespace {
// "<marker>name[ comment]\n<seq>\n": the part FASTA and FASTQ records share.
void append_header_and_bases(std::string& out, char marker, std::string_view name, std::string_view comment,
                             std::string_view seq) {
    out += marker;
    out += name;
    if (!comment.empty()) {
        out += ' ';
        out += comment;
    }
    out += '\n';
    out += seq;
    out += '\n';
}
}  // namespace

void append_fastq(std::string& out, std::string_view name, std::string_view comment, std::string_view seq,
                  std::string_view qual) {
    append_header_and_bases(out, '@', name, comment, seq);
    out += "+\n";
    out += qual;
    out += '\n';
}

void append_fasta(std::string& out, std::string_view name, std::string_view comment, std::string_view seq) {
    append_header_and_bases(out, '>', name, comment, seq);
}

void gzip_member(std::string_view text, std::string& out, int level) {
    z_stream zs{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's; memLevel 8 is zlib's default.
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error(Errc::software, {}, "zlib deflateInit2 failed");
    std::size_t const start = out.size();
    out.resize(start + deflateBound(&zs, static_cast<uLong>(text.size())));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + start);
    zs.avail_out = static_cast<uInt>(out.size() - start);
    int const rc = deflate(&zs, Z_FINISH);
    std::size_t const n = zs.total_out;
    deflateEnd(&zs);
    // deflateBound guarantees room for the whole stream, so anything but Z_STREAM_END is a bug.
    if (rc != Z_STREAM_END) throw Error(Errc::software, {}, "zlib deflate did not finish");
    out.resize(start + n);
}

FastxWriter::FastxWriter(std::string path, Compression compression, int level)
    : out_(std::make_unique<AtomicOutput>(std::move(path))), compression_(compression), level_(level) {
    if (level < 0 || level > 9) throw UsageError("gzip level must be 0..9, got " + std::to_string(level));
    buf_.reserve(kBlock + 4096);
}

FastxWriter::FastxWriter(std::string path) : FastxWriter(path, compression_for(path)) {}

FastxWriter::~FastxWriter() = default;

std::string const& FastxWriter::path() const noexcept { return out_->path(); }

void FastxWriter::put(std::string_view bytes) {
    auto& s = out_->stream();
    s.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!s) {
        int const err = errno;
        throw IoError(Errc::io, out_->path(),
                      std::string("write failed: ") + (err != 0 ? std::strerror(err) : "I/O error"),
                      "check free disk space");
    }
}

void FastxWriter::flush_buffer() {
    if (buf_.empty()) return;
    if (compression_ == Compression::gzip) {
        encoded_.clear();
        gzip_member(buf_, encoded_, level_);
        put(encoded_);
    } else {
        put(buf_);
    }
    buf_.clear();
}

void FastxWriter::write(FastxRecord const& r) {
    std::size_t const before = buf_.size();
    if (r.qual.empty()) append_fasta(buf_, r.name, r.comment, r.seq);
    else append_fastq(buf_, r.name, r.comment, r.seq, r.qual);
    text_bytes_ += buf_.size() - before;
    if (buf_.size() >= kBlock) flush_buffer();
}

void FastxWriter::write_text(std::string_view text) {
    buf_ += text;
    text_bytes_ += text.size();
    if (buf_.size() >= kBlock) flush_buffer();
}

void FastxWriter::write_encoded(std::string_view bytes) {
    flush_buffer();
    put(bytes);
}

void FastxWriter::commit() {
    flush_buffer();
    out_->commit();
}

}  // namespace orbiome::seqio
