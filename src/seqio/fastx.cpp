#include "seqio/fastx.hpp"

#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>

#include <unistd.h>
#include <zlib.h>

#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::seqio {

namespace {
// Kraken2 reads in blocks of at least 64 KiB because smaller gzread calls spend most of their
// time in call overhead; 1 MiB also amortises the inflate window refills.
constexpr std::size_t kReadChunk = 1u << 20;
constexpr unsigned kGzBuffer = 1u << 18;

gzFile as_gz(void* p) { return static_cast<gzFile>(p); }

void split_header(std::string_view h, std::string& name, std::string& comment) {
    std::size_t ws = 0;
    while (ws < h.size() && h[ws] != ' ' && h[ws] != '\t') ++ws;
    name.assign(h.data(), ws);
    std::size_t c = ws;
    while (c < h.size() && (h[c] == ' ' || h[c] == '\t')) ++c;
    comment.assign(h.data() + c, h.size() - c);
}
}  // namespace

void ReadBatch::clear() noexcept {
    first_index = 0;
    bases.clear();
    offsets.assign(1, 0);
    quals.clear();
    name_offsets.assign(1, 0);
    names.clear();
}

void ReadBatch::push(FastxRecord const& r) {
    bases.insert(bases.end(), r.seq.begin(), r.seq.end());
    bases.insert(bases.end(), kPad, '\0');
    if (!r.qual.empty()) {
        quals.resize(offsets.back());
        quals.insert(quals.end(), r.qual.begin(), r.qual.end());
        quals.insert(quals.end(), kPad, '\0');
    }
    if (bases.size() > std::numeric_limits<std::uint32_t>::max())
        throw Error(Errc::software, {}, "read batch exceeds 4 GiB");
    offsets.push_back(static_cast<std::uint32_t>(bases.size()));
    names.insert(names.end(), r.name.begin(), r.name.end());
    name_offsets.push_back(static_cast<std::uint32_t>(names.size()));
}

// One gzread: the bytes and zlib's state after it (errno saved for Z_ERRNO).
struct FastxReader::Chunk {
    std::vector<char> data;
    int n = 0;
    int errnum = Z_OK;
    std::string message;
    int sys_errno = 0;

    static Chunk read(gzFile gz, std::vector<char> buf) {
        Chunk c;
        c.data = std::move(buf);
        c.data.resize(kReadChunk);
        errno = 0;
        c.n = gzread(gz, c.data.data(), static_cast<unsigned>(c.data.size()));
        c.sys_errno = errno;
        char const* msg = gzerror(gz, &c.errnum);
        if (msg != nullptr) c.message = msg;
        return c;
    }
    // After this chunk the stream has nothing more to give: its end, an error, or a truncation.
    bool last() const noexcept { return n <= 0 || errnum != Z_OK; }
};

namespace {
// Buffers the read-ahead thread fills while the caller parses one (4 MiB in flight).
constexpr std::size_t kAheadBuffers = 3;
}  // namespace

// The read-ahead thread and the chunks it has read, in order; it stops after the last chunk or
// when the reader is destroyed (which joins it before closing the stream). Asked for more after
// the last chunk (a caller reading on after an error), it repeats the last chunk's state, as
// zlib would.
struct FastxReader::ReadAhead {
    std::mutex m;
    std::condition_variable cv;
    std::deque<Chunk> ready;
    std::vector<std::vector<char>> spare;
    bool stop = false;
    bool finished = false;
    Chunk final_state;  // the last chunk's state, without its bytes
    std::thread thread;

    explicit ReadAhead(gzFile gz) : spare(kAheadBuffers) {
        thread = std::thread([this, gz] {
            for (;;) {
                std::vector<char> buf;
                {
                    std::unique_lock lock(m);
                    cv.wait(lock, [&] { return stop || !spare.empty(); });
                    if (stop) return;
                    buf = std::move(spare.back());
                    spare.pop_back();
                }
                Chunk c = Chunk::read(gz, std::move(buf));
                bool const last = c.last();
                {
                    std::lock_guard lock(m);
                    if (last) {
                        finished = true;
                        final_state = {{}, std::min(c.n, 0), c.errnum, c.message, c.sys_errno};
                    }
                    ready.push_back(std::move(c));
                }
                cv.notify_all();
                if (last) return;
            }
        });
    }
    ~ReadAhead() {
        {
            std::lock_guard lock(m);
            stop = true;
        }
        cv.notify_all();
        thread.join();
    }
    Chunk take(std::vector<char> used) {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return !ready.empty() || finished; });
        if (ready.empty()) {
            Chunk again = final_state;
            again.data = std::move(used);
            return again;
        }
        Chunk c = std::move(ready.front());
        ready.pop_front();
        spare.push_back(std::move(used));
        lock.unlock();
        cv.notify_all();
        return c;
    }
};

FastxReader::FastxReader(std::string path, OnInvalid on_invalid, bool read_ahead)
    : path_(std::move(path)), on_invalid_(on_invalid), buf_(kReadChunk) {
    if (path_ == "-") {
        gz_ = gzdopen(dup(fileno(stdin)), "rb");
    } else {
        require_readable(path_);
        gz_ = gzopen(path_.c_str(), "rb");
    }
    if (gz_ == nullptr) throw IoError(Errc::no_input, path_, "cannot open for reading");
    gzbuffer(as_gz(gz_), kGzBuffer);
    if (read_ahead) ahead_ = std::make_unique<ReadAhead>(as_gz(gz_));
}

FastxReader::~FastxReader() {
    ahead_.reset();  // joins the thread before the stream it reads is closed
    if (gz_ != nullptr) gzclose(as_gz(gz_));
}

FastxReader::Chunk FastxReader::next_chunk() {
    if (ahead_) return ahead_->take(std::move(buf_));
    return Chunk::read(as_gz(gz_), std::move(buf_));
}

void FastxReader::fail(std::string const& message, std::string const& name, std::size_t record) const {
    throw ParseError(SourceLoc{path_, line_, record, name}, message);
}

bool FastxReader::fill() {
    if (eof_) return false;
    if (truncated_)
        throw ParseError(SourceLoc{path_, line_ + 1, n_records_ + 1},
                         "gzip stream ends before its end marker (truncated file)",
                         "the file may be truncated; test it with `gzip -t " + path_ + "`");
    Chunk c = next_chunk();
    buf_ = std::move(c.data);
    int const n = c.n;
    int const errnum = c.errnum;
    if (n < 0 || (errnum != Z_OK && errnum != Z_BUF_ERROR)) {
        if (errnum == Z_ERRNO) throw IoError(Errc::io, path_, std::string("read failed: ") + std::strerror(c.sys_errno));
        throw ParseError(SourceLoc{path_, line_ + 1, n_records_ + 1}, "corrupt gzip data (" + c.message + ")",
                         "test the file with `gzip -t " + path_ + "`");
    }
    // zlib hands out what it could inflate and flags the missing end of the stream; the records
    // read so far are parsed, then the next refill stops the run instead of ending quietly short.
    if (errnum == Z_BUF_ERROR) truncated_ = true;
    if (n == 0 && truncated_) return fill();
    pos_ = 0;
    end_ = static_cast<std::size_t>(n);
    if (n == 0) eof_ = true;
    return n > 0;
}

bool FastxReader::get_line(std::string& out) {
    out.clear();
    bool any = false;
    for (;;) {
        if (pos_ == end_ && !fill()) {
            if (!any) return false;
            break;
        }
        any = true;
        char const* start = buf_.data() + pos_;
        auto const* nl = static_cast<char const*>(std::memchr(start, '\n', end_ - pos_));
        std::size_t const len = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
        out.append(start, len);
        pos_ += len;
        if (nl) {
            ++pos_;
            break;
        }
    }
    ++line_;
    if (!out.empty() && out.back() == '\r') out.pop_back();
    if (std::memchr(out.data(), '\0', out.size()) != nullptr)
        fail("binary data (NUL byte) in a sequence file", {}, n_records_ + 1);
    return true;
}

bool FastxReader::next(FastxRecord& rec) {
    std::size_t const record = n_records_ + 1;
    invalid_ = false;
    std::string& header = line_buf_;
    if (has_pending_) {
        header.swap(pending_header_);
        has_pending_ = false;
    } else {
        do {
            if (!get_line(header)) return false;
        } while (header.empty());
    }
    if (!sniffed_) {
        if (header[0] == '@') fastq_ = true;
        else if (header[0] != '>')
            fail(std::string("not FASTA or FASTQ: a record must start with '>' or '@', found '") + header[0] + "'", {},
                 record);
        sniffed_ = true;
    }
    char const marker = fastq_ ? '@' : '>';
    if (header[0] != marker)
        fail(std::string("expected '") + marker + "' at the start of a record, found '" + header.substr(0, 20) + "'",
             {}, record);
    split_header(std::string_view(header).substr(1), rec.name, rec.comment);
    rec.seq.clear();
    rec.qual.clear();
    if (fastq_) {
        if (!get_line(rec.seq)) fail("record cut short: end of file after the header (truncated file?)", rec.name, record);
        std::string& plus = pending_header_;
        if (!get_line(plus)) fail("record cut short: end of file after the sequence (truncated file?)", rec.name, record);
        if (plus.empty() || plus[0] != '+')
            fail("missing '+' line after the sequence (multi-line FASTQ is not supported)", rec.name, record);
        if (!get_line(rec.qual))
            fail("record cut short: end of file after the '+' line (truncated file?)", rec.name, record);
        if (rec.qual.size() != rec.seq.size() && on_invalid_ == OnInvalid::skip) invalid_ = true;
        else if (rec.qual.size() != rec.seq.size())
            fail("quality length " + std::to_string(rec.qual.size()) + " != sequence length " +
                     std::to_string(rec.seq.size()),
                 rec.name, record);
    } else {
        std::string& line = pending_header_;
        while (get_line(line)) {
            if (!line.empty() && line[0] == '>') {
                has_pending_ = true;
                break;
            }
            rec.seq += line;
        }
    }
    ++n_records_;
    return true;
}

std::string_view mate_base_name(std::string_view name) noexcept {
    if (name.size() >= 2 && name[name.size() - 2] == '/' && (name.back() == '1' || name.back() == '2'))
        name.remove_suffix(2);
    return name;
}

PairedReader::PairedReader(std::string const& path1, std::string const& path2, OnInvalid on_invalid,
                           bool read_ahead)
    : r1_(std::make_unique<FastxReader>(path1, on_invalid, read_ahead)) {
    if (!path2.empty()) r2_ = std::make_unique<FastxReader>(path2, on_invalid, read_ahead);
}

bool PairedReader::next(FastxRecord& a, FastxRecord& b) {
    for (;;) {
        std::uint64_t const record = n_fragments_ + n_skipped_ + 1;
        bool const has1 = r1_->next(a);
        bool has2 = has1;
        if (r2_) {
            has2 = r2_->next(b);
            if (has1 != has2) {
                auto const& shorter = has1 ? *r2_ : *r1_;
                auto const& longer = has1 ? *r1_ : *r2_;
                throw ParseError(SourceLoc{shorter.path(), shorter.line(), record},
                                 "mates out of step: file ends after " + std::to_string(record - 1) +
                                     " records but " + longer.path() + " has more");
            }
            if (has1 && mate_base_name(a.name) != mate_base_name(b.name))
                throw ParseError(SourceLoc{r2_->path(), r2_->line(), record, b.name},
                                 "mates out of step: name does not match '" + a.name + "' in " + r1_->path());
        }
        if (!has1) return false;
        FastxReader const* bad = r1_->last_invalid() ? r1_.get() : r2_ && r2_->last_invalid() ? r2_.get() : nullptr;
        if (bad == nullptr) {
            ++n_fragments_;
            return true;
        }
        if (n_skipped_++ == 0)
            first_skipped_ = bad->path() + ":" + std::to_string(bad->line()) + ": record " + std::to_string(record) +
                             " ('" + (bad == r1_.get() ? a.name : b.name) + "')";
    }
}

std::size_t PairedReader::next_batch(ReadBatch& b1, ReadBatch& b2, std::size_t max_bases) {
    b1.clear();
    b2.clear();
    b1.first_index = b2.first_index = n_fragments_;
    std::size_t n = 0;
    std::size_t bases = 0;
    while (bases < max_bases && next(rec1_, rec2_)) {
        b1.push(rec1_);
        bases += rec1_.seq.size() + 1;
        if (r2_) {
            b2.push(rec2_);
            bases += rec2_.seq.size();
        }
        ++n;
    }
    return n;
}

}  // namespace orbiome::seqio
