// The functional database file (FDB): build, load, load the maps alone.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "function/profile.hpp"
#include "function/text_input.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::function {

namespace {

// FDB layout (little-endian u64 lengths): magic, then the maps section (reaction map name and
// text, pathway file name and text) and its checksum, then the genes section (count, then each
// header and sequence) and a checksum of the whole file. The maps come first so that `function
// pathways --db` reads and verifies only them (a few hundred KB), never the genes.
constexpr char kMagic[8] = {'O', 'R', 'B', 'F', 'D', 'B', '0', '2'};

/// FNV-1a over 8-byte words (then the tail bytes): a checksum against truncation and
/// corruption, 8x faster than bytewise on the tens of MB of an FDB.
std::uint64_t checksum(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 1099511628211ULL;
    }
    for (; i < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 1099511628211ULL;
    return h;
}

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_str(std::string& out, std::string const& s) {
    put_u64(out, s.size());
    out += s;
}

std::string slurp(TextInput& in) {
    std::string text, line;
    while (in.next(line)) {
        text += line;
        text += '\n';
    }
    return text;
}

/// Reads an FDB front to back, checking every length against the file's size. Bytes are read
/// from the file as they are needed, so a reader that stops after the maps reads only those.
class FdbReader {
public:
    explicit FdbReader(std::string path) : path_(std::move(path)), in_(open_input(path_)) {
        in_.seekg(0, std::ios::end);
        size_ = static_cast<std::uint64_t>(in_.tellg());
        in_.seekg(0);
        need(sizeof kMagic);
        if (std::memcmp(data_.data(), kMagic, sizeof kMagic) != 0) bad("bad header or an older format: rebuild it");
        pos_ = sizeof kMagic;
    }
    [[noreturn]] void bad(std::string const& what) const {
        throw ParseError(SourceLoc{path_}, "not a valid orbiome functional database (" + what + ")",
                         "build one with 'orbiome db build-function'");
    }
    /// Reads the rest of the file at once (a whole load).
    void read_all() { need(size_ - pos_); }
    std::uint64_t u64() {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
        pos_ += 8;
        return v;
    }
    std::string str() {
        std::uint64_t const n = u64();
        need(n);
        std::string s = data_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    /// Checks the stored checksum of everything before it.
    void verify() {
        std::uint64_t const want = checksum(std::string_view(data_).substr(0, pos_));
        if (u64() != want) bad("checksum mismatch: truncated or corrupt");
    }

private:
    void need(std::uint64_t n) {
        if (n > size_ - pos_) bad("truncated");
        if (pos_ + n <= data_.size()) return;
        std::uint64_t const add =
            std::min<std::uint64_t>(size_ - data_.size(), std::max<std::uint64_t>(pos_ + n - data_.size(), 1 << 16));
        std::size_t const old = data_.size();
        data_.resize(old + add);
        in_.read(data_.data() + old, static_cast<std::streamsize>(add));
        if (!in_) bad("truncated");
    }
    std::string path_;
    std::ifstream in_;
    std::uint64_t size_ = 0, pos_ = 0;
    std::string data_;  // the file's first bytes, as far as read
};

void read_maps(FdbReader& r, FunctionDb& db) {
    db.reactions_name = r.str();
    db.reactions_text = r.str();
    db.pathways_name = r.str();
    db.pathways_text = r.str();
    r.verify();
}

}  // namespace

void build_function_db(std::vector<std::string> const& pangenomes, std::string const& reactions,
                       std::string const& pathways, std::string const& out) {
    FunctionDb db;
    for (auto const& path : pangenomes) {
        seqio::FastxReader reader(path);
        seqio::FastxRecord rec;
        while (reader.next(rec)) {
            std::string seq(rec.seq.size(), 'N');
            for (std::size_t i = 0; i < rec.seq.size(); ++i) {
                char const c = static_cast<char>(std::toupper(static_cast<unsigned char>(rec.seq[i])));
                if (c == 'A' || c == 'C' || c == 'G' || c == 'T') seq[i] = c;
            }
            db.headers.push_back(rec.name);
            db.seqs.push_back(std::move(seq));
        }
    }
    if (db.headers.empty()) throw ParseError(SourceLoc{pangenomes.front()}, "no sequences in the pangenome files");
    TextInput rin(reactions);
    db.reactions_text = slurp(rin);
    TextInput pin(pathways);
    db.pathways_text = slurp(pin);
    // Both must parse now, with their own file names in any error.
    TextInput rcheck(TextInput::Memory{}, reactions, db.reactions_text);
    auto const rm = read_reaction_map(rcheck);
    TextInput pcheck(TextInput::Memory{}, pathways, db.pathways_text);
    (void)read_pathways(pcheck, rm);

    std::string blob(kMagic, sizeof kMagic);
    put_str(blob, reactions);
    put_str(blob, db.reactions_text);
    put_str(blob, pathways);
    put_str(blob, db.pathways_text);
    put_u64(blob, checksum(blob));
    put_u64(blob, db.headers.size());
    for (std::size_t i = 0; i < db.headers.size(); ++i) {
        put_str(blob, db.headers[i]);
        put_str(blob, db.seqs[i]);
    }
    put_u64(blob, checksum(blob));
    AtomicOutput o(out);
    o.stream().write(blob.data(), static_cast<std::streamsize>(blob.size()));
    o.commit();
}

FunctionDb load_function_db(std::string const& path) {
    FdbReader r(path);
    r.read_all();
    FunctionDb db;
    read_maps(r, db);
    std::uint64_t const n = r.u64();
    for (std::uint64_t i = 0; i < n; ++i) {
        db.headers.push_back(r.str());
        db.seqs.push_back(r.str());
    }
    r.verify();
    return db;
}

FunctionDb load_function_db_maps(std::string const& path) {
    FdbReader r(path);
    FunctionDb db;
    read_maps(r, db);
    return db;
}

ReactionMap read_reaction_map(FunctionDb const& db) {
    TextInput in(TextInput::Memory{}, db.reactions_name, db.reactions_text);
    return read_reaction_map(in);
}

PathwayDb read_pathways(FunctionDb const& db, ReactionMap const& reactions) {
    TextInput in(TextInput::Memory{}, db.pathways_name, db.pathways_text);
    return read_pathways(in, reactions);
}

}  // namespace orbiome::function
