#include "align/protein_db.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::align {

namespace {

constexpr char kMagic[8] = {'O', 'R', 'B', 'P', 'D', 'B', '1', '\n'};

std::uint64_t fnv1a(std::uint64_t h, void const* data, std::size_t n) {
    auto const* p = static_cast<unsigned char const*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

// Whether a sequence is made of nucleotide letters only (a CDS given as a protein file).
bool looks_like_dna(std::string_view s) {
    if (s.size() < 30) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        switch (c | 0x20) {
        case 'a': case 'c': case 'g': case 't': case 'n': return true;
        default: return false;
        }
    });
}

}  // namespace

ProteinDb::ProteinDb() : offsets_{1}, residues_{kDelimiter} {}

void ProteinDb::add(std::string_view name, std::span<Residue const> codes) {
    names_.insert(names_.end(), name.begin(), name.end());
    names_.push_back('\n');
    name_offsets_.push_back(static_cast<std::uint32_t>(names_.size()));
    residues_.insert(residues_.end(), codes.begin(), codes.end());
    residues_.push_back(kDelimiter);
    offsets_.push_back(static_cast<std::uint32_t>(residues_.size()));
    letters_ += codes.size();
}

std::size_t ProteinDb::protein_at(std::uint32_t pos) const noexcept {
    auto const it = std::upper_bound(offsets_.begin(), offsets_.end(), pos);
    return static_cast<std::size_t>(it - offsets_.begin()) - 1;
}

ProteinDb ProteinDb::build(std::vector<std::string> const& files, bool translate_cds) {
    ProteinDb db;
    seqio::FastxRecord rec;
    std::vector<Residue> codes;
    for (auto const& file : files) {
        seqio::FastxReader reader(file);
        while (reader.next(rec)) {
            SourceLoc const where{file, reader.line(), reader.records(), rec.name};
            if (rec.seq.empty()) throw ParseError(where, "empty sequence record");
            codes.clear();
            if (translate_cds) {
                translate(rec.seq, codes);
                if (!codes.empty() && codes.back() == kStop) codes.pop_back();
                if (codes.empty()) throw ParseError(where, "CDS shorter than one codon");
            } else {
                if (looks_like_dna(rec.seq))
                    throw ParseError(where, "this record is nucleotide sequence, not protein",
                                     "for CDS files use 'orbiome db build-protein --translate'");
                for (std::size_t i = 0; i < rec.seq.size(); ++i) {
                    char const c = rec.seq[i];
                    int const code = residue_code(c);
                    if (code < 0) {
                        if (c == '-' || c == '.') continue;  // alignment gaps carry no residue
                        std::string shown = (c >= 33 && c < 127) ? std::string("'") + c + "'" : "byte " + std::to_string(static_cast<unsigned char>(c));
                        throw ParseError(where, shown + " at position " + std::to_string(i + 1) + " is not an amino-acid letter");
                    }
                    codes.push_back(static_cast<Residue>(code));
                }
                if (codes.empty()) throw ParseError(where, "record has no amino-acid letters");
            }
            if (db.residues_.size() + codes.size() + 1 >= UINT32_MAX)
                throw ParseError(where, "database exceeds 4 billion residues");
            db.add(rec.name, codes);
        }
    }
    if (db.size() == 0) throw ParseError(SourceLoc{files.empty() ? std::string() : files[0]}, "no protein sequences");
    return db;
}

void ProteinDb::save(std::string const& path) const {
    AtomicOutput out(path);
    auto& s = out.stream();
    std::uint64_t h = 1469598103934665603ULL;
    auto put = [&](void const* p, std::size_t n) {
        s.write(static_cast<char const*>(p), static_cast<std::streamsize>(n));
        h = fnv1a(h, p, n);
    };
    std::uint64_t const n = size(), r = residues_.size(), nb = names_.size();
    put(kMagic, sizeof kMagic);
    put(&n, 8);
    put(&r, 8);
    put(&nb, 8);
    put(names_.data(), names_.size());
    put(offsets_.data(), offsets_.size() * 4);
    put(residues_.data(), residues_.size());
    s.write(reinterpret_cast<char const*>(&h), 8);
    out.commit();
}

ProteinDb ProteinDb::load(std::string const& path) {
    auto in = open_input(path);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto bad = [&](std::string const& why) -> ParseError {
        return ParseError(SourceLoc{path}, "not a valid protein database (" + why + ")",
                          "build one with 'orbiome db build-protein'");
    };
    if (bytes.size() < 40 || std::memcmp(bytes.data(), kMagic, 8) != 0) throw bad("wrong magic");
    std::uint64_t stored = 0;
    std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
    if (fnv1a(1469598103934665603ULL, bytes.data(), bytes.size() - 8) != stored) throw bad("checksum mismatch");
    std::uint64_t n = 0, r = 0, nb = 0;
    std::memcpy(&n, bytes.data() + 8, 8);
    std::memcpy(&r, bytes.data() + 16, 8);
    std::memcpy(&nb, bytes.data() + 24, 8);
    if (32 + nb + (n + 1) * 4 + r + 8 != bytes.size()) throw bad("sizes do not add up");
    ProteinDb db;
    char const* p = bytes.data() + 32;
    db.names_.assign(p, p + nb);
    p += nb;
    db.offsets_.resize(n + 1);
    std::memcpy(db.offsets_.data(), p, (n + 1) * 4);
    p += (n + 1) * 4;
    db.residues_.assign(p, p + r);
    db.name_offsets_.assign(1, 0);
    for (std::size_t i = 0; i < db.names_.size(); ++i)
        if (db.names_[i] == '\n') db.name_offsets_.push_back(static_cast<std::uint32_t>(i + 1));
    if (db.name_offsets_.size() != n + 1) throw bad("name count");
    for (std::size_t i = 0; i < n; ++i) {
        if (db.offsets_[i + 1] <= db.offsets_[i] || db.offsets_[i + 1] > r) throw bad("offsets");
        db.letters_ += db.offsets_[i + 1] - db.offsets_[i] - 1;
    }
    return db;
}

}  // namespace orbiome::align
