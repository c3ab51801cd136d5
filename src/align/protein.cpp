#include "align/protein.hpp"

#include <algorithm>

namespace orbiome::align {

namespace {

// BLOSUM62 (Henikoff & Henikoff 1992) in the order ARNDCQEGHILKMFPSTWYVBJZX*, with NCBI's
// J (I or L) row; '*' against '*' scores 1 (DIAMOND's stop-match score).
constexpr signed char kBlosum62[25][25] = {
    {4, -1, -2, -2, 0, -1, -1, 0, -2, -1, -1, -1, -1, -2, -1, 1, 0, -3, -2, 0, -2, -1, -1, -1, -4},
    {-1, 5, 0, -2, -3, 1, 0, -2, 0, -3, -2, 2, -1, -3, -2, -1, -1, -3, -2, -3, -1, -2, 0, -1, -4},
    {-2, 0, 6, 1, -3, 0, 0, 0, 1, -3, -3, 0, -2, -3, -2, 1, 0, -4, -2, -3, 4, -3, 0, -1, -4},
    {-2, -2, 1, 6, -3, 0, 2, -1, -1, -3, -4, -1, -3, -3, -1, 0, -1, -4, -3, -3, 4, -3, 1, -1, -4},
    {0, -3, -3, -3, 9, -3, -4, -3, -3, -1, -1, -3, -1, -2, -3, -1, -1, -2, -2, -1, -3, -1, -3, -1, -4},
    {-1, 1, 0, 0, -3, 5, 2, -2, 0, -3, -2, 1, 0, -3, -1, 0, -1, -2, -1, -2, 0, -2, 4, -1, -4},
    {-1, 0, 0, 2, -4, 2, 5, -2, 0, -3, -3, 1, -2, -3, -1, 0, -1, -3, -2, -2, 1, -3, 4, -1, -4},
    {0, -2, 0, -1, -3, -2, -2, 6, -2, -4, -4, -2, -3, -3, -2, 0, -2, -2, -3, -3, -1, -4, -2, -1, -4},
    {-2, 0, 1, -1, -3, 0, 0, -2, 8, -3, -3, -1, -2, -1, -2, -1, -2, -2, 2, -3, 0, -3, 0, -1, -4},
    {-1, -3, -3, -3, -1, -3, -3, -4, -3, 4, 2, -3, 1, 0, -3, -2, -1, -3, -1, 3, -3, 3, -3, -1, -4},
    {-1, -2, -3, -4, -1, -2, -3, -4, -3, 2, 4, -2, 2, 0, -3, -2, -1, -2, -1, 1, -4, 3, -3, -1, -4},
    {-1, 2, 0, -1, -3, 1, 1, -2, -1, -3, -2, 5, -1, -3, -1, 0, -1, -3, -2, -2, 0, -3, 1, -1, -4},
    {-1, -1, -2, -3, -1, 0, -2, -3, -2, 1, 2, -1, 5, 0, -2, -1, -1, -1, -1, 1, -3, 2, -1, -1, -4},
    {-2, -3, -3, -3, -2, -3, -3, -3, -1, 0, 0, -3, 0, 6, -4, -2, -2, 1, 3, -1, -3, 0, -3, -1, -4},
    {-1, -2, -2, -1, -3, -1, -1, -2, -2, -3, -3, -1, -2, -4, 7, -1, -1, -4, -3, -2, -2, -3, -1, -1, -4},
    {1, -1, 1, 0, -1, 0, 0, 0, -1, -2, -2, 0, -1, -2, -1, 4, 1, -3, -2, -2, 0, -2, 0, -1, -4},
    {0, -1, 0, -1, -1, -1, -1, -2, -2, -1, -1, -1, -1, -2, -1, 1, 5, -2, -2, 0, -1, -1, -1, -1, -4},
    {-3, -3, -4, -4, -2, -2, -3, -2, -2, -3, -2, -3, -1, 1, -4, -3, -2, 11, 2, -3, -4, -2, -2, -1, -4},
    {-2, -2, -2, -3, -2, -1, -2, -3, 2, -1, -1, -2, -1, 3, -3, -2, -2, 2, 7, -1, -3, -1, -2, -1, -4},
    {0, -3, -3, -3, -1, -2, -2, -3, -3, 3, 1, -2, 1, -1, -2, -2, 0, -3, -1, 4, -3, 2, -2, -1, -4},
    {-2, -1, 4, 4, -3, 0, 1, -1, 0, -3, -4, 0, -3, -3, -2, 0, -1, -4, -3, -3, 4, -3, 0, -1, -4},
    {-1, -2, -3, -3, -1, -2, -3, -4, -3, 3, 3, -3, 2, 0, -3, -2, -1, -2, -1, 2, -3, 3, -3, -1, -4},
    {-1, 0, 0, 1, -3, 4, 4, -2, 0, -3, -3, 1, -1, -3, -1, 0, -1, -2, -2, -2, 0, -3, 4, -1, -4},
    {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -4},
    {-4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, 1},
};

// Robinson-style background of BLOSUM62 itself (the frequencies of its target distribution).
constexpr std::array<double, kStandardAa> kBackground = {
    7.4216205067993410e-02, 5.1614486141284638e-02, 4.4645808512757915e-02, 5.3626000838554413e-02,
    2.4687457167944848e-02, 3.4259650591416023e-02, 5.4311925684587502e-02, 7.4146941452644999e-02,
    2.6212984805266227e-02, 6.7917367618953756e-02, 9.8907868497150955e-02, 5.8155682303079680e-02,
    2.4990197579643110e-02, 4.7418459742284751e-02, 3.8538003320306206e-02, 5.7229029476494421e-02,
    5.0891364550287033e-02, 1.3029956129972148e-02, 3.2281512313758580e-02, 7.2919098205619245e-02};

// Reduced alphabet groups, indexed by code (A R N D C Q E G H I L K M F P S T W Y V).
constexpr std::uint8_t kReduced[kStandardAa] = {10, 0, 0, 0, 1, 0, 0, 2, 3, 4, 4, 0, 5, 6, 9, 10, 10, 8, 7, 4};

constexpr std::array<int, 256> make_codes() {
    std::array<int, 256> t{};
    for (auto& v : t) v = -1;
    for (int i = 0; i < 25; ++i) {
        auto const c = static_cast<unsigned char>(kLetters[i]);
        t[c] = i;
        if (c >= 'A' && c <= 'Z') t[c - 'A' + 'a'] = i;
    }
    t['U'] = t['u'] = t['O'] = t['o'] = kX;
    return t;
}
constexpr std::array<int, 256> kCodes = make_codes();

// 2-bit base codes; 4 = anything else.
constexpr std::array<std::uint8_t, 256> make_bases() {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 4;
    t['A'] = t['a'] = 0;
    t['C'] = t['c'] = 1;
    t['G'] = t['g'] = 2;
    t['T'] = t['t'] = t['U'] = t['u'] = 3;
    return t;
}
constexpr std::array<std::uint8_t, 256> kBases = make_bases();

// The standard code, indexed by 16*b1 + 4*b2 + b3 with A=0 C=1 G=2 T=3.
constexpr char kCodonTable[] = "KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF";

std::array<Residue, 64> make_codon_codes() {
    std::array<Residue, 64> t{};
    for (int i = 0; i < 64; ++i) t[i] = static_cast<Residue>(kCodes[static_cast<unsigned char>(kCodonTable[i])]);
    return t;
}

void translate_codes(std::uint8_t const* b, std::size_t n, std::vector<Residue>& out) {
    static std::array<Residue, 64> const codons = make_codon_codes();
    out.clear();
    for (std::size_t i = 0; i + 2 < n; i += 3) {
        if ((b[i] | b[i + 1] | b[i + 2]) > 3) out.push_back(kX);
        else out.push_back(codons[b[i] * 16 + b[i + 1] * 4 + b[i + 2]]);
    }
}

}  // namespace

int residue_code(char c) noexcept { return kCodes[static_cast<unsigned char>(c)]; }

namespace {
std::array<std::int8_t, 32 * 32> make_score_table() {
    std::array<std::int8_t, 32 * 32> t{};
    t.fill(kDelimiterScore);
    for (int a = 0; a < 25; ++a)
        for (int b = 0; b < 25; ++b) t[static_cast<std::size_t>(a * 32 + b)] = kBlosum62[a][b];
    return t;
}
}  // namespace

std::array<std::int8_t, 32 * 32> const kScoreTable = make_score_table();

std::array<std::uint8_t, 32> const kReducedTable = [] {
    std::array<std::uint8_t, 32> t{};
    t.fill(255);
    for (int i = 0; i < kStandardAa; ++i) t[static_cast<std::size_t>(i)] = kReduced[i];
    return t;
}();

std::array<double, kStandardAa> const& background_frequencies() noexcept { return kBackground; }

void translate(std::string_view dna, std::vector<Residue>& out) {
    std::vector<std::uint8_t> b(dna.size());
    for (std::size_t i = 0; i < dna.size(); ++i) b[i] = kBases[static_cast<unsigned char>(dna[i])];
    translate_codes(b.data(), b.size(), out);
}

void six_frames(std::string_view dna, std::array<Frame, 6>& frames) {
    thread_local std::vector<std::uint8_t> fwd, rev;
    std::size_t const n = dna.size();
    fwd.resize(n);
    rev.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t const c = kBases[static_cast<unsigned char>(dna[i])];
        fwd[i] = c;
        rev[n - 1 - i] = c > 3 ? c : static_cast<std::uint8_t>(3 - c);
    }
    for (int f = 0; f < 3; ++f) {
        auto const off = static_cast<std::size_t>(f);
        frames[f].frame = f;
        frames[f + 3].frame = f + 3;
        if (off >= n) {
            frames[f].residues.clear();
            frames[f + 3].residues.clear();
            continue;
        }
        translate_codes(fwd.data() + off, n - off, frames[f].residues);
        translate_codes(rev.data() + off, n - off, frames[f + 3].residues);
    }
    // DIAMOND 2.1 fills the reverse frames from the read's end and, when the length is 1 more
    // than a multiple of 3, takes the last residue of the second reverse frame from the same
    // codon (bases 2-4) as the first reverse frame's. Reproduced for identical scores.
    if (n % 3 == 1 && !frames[4].residues.empty()) frames[4].residues.back() = frames[3].residues.back();
}

std::pair<long, long> read_coordinates(int frame, std::size_t first, std::size_t last, std::size_t read_len) noexcept {
    auto const off = static_cast<long>(frame % 3);
    auto const a = off + 3 * static_cast<long>(first), b = off + 3 * static_cast<long>(last) + 2;
    if (frame < 3) return {a + 1, b + 1};
    auto const n = static_cast<long>(read_len);
    return {n - a, n - b};
}

std::string to_letters(std::vector<Residue> const& codes) {
    std::string s;
    s.reserve(codes.size());
    for (auto c : codes) s.push_back(c < 25 ? kLetters[c] : '|');
    return s;
}

}  // namespace orbiome::align
