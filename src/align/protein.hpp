#pragma once
/// \file protein.hpp
/// Amino-acid alphabet, BLOSUM62 and translation of DNA in six frames (issue #13).
///
/// Residues are coded 0..24 in the order `ARNDCQEGHILKMFPSTWYVBJZX*` (the order NCBI and
/// DIAMOND use for BLOSUM62), so that codes 0..19 are the twenty standard amino acids. Code
/// 25 (`kDelimiter`) separates database proteins: it scores `kDelimiterScore` against
/// everything, so no extension ever crosses from one protein into the next.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::align {

using Residue = std::uint8_t;

inline constexpr int kAlphabet = 26;           ///< 25 letters + the delimiter
inline constexpr int kStandardAa = 20;         ///< codes below this are the 20 amino acids
inline constexpr Residue kX = 23;              ///< unknown residue
inline constexpr Residue kStop = 24;           ///< '*', a stop codon
inline constexpr Residue kDelimiter = 25;      ///< between database proteins
inline constexpr int kDelimiterScore = -64;
inline constexpr char kLetters[] = "ARNDCQEGHILKMFPSTWYVBJZX*";

/// Code of a protein letter (either case; U and O are read as X, as BLAST and DIAMOND do);
/// -1 for anything that is not an amino-acid letter or '*'.
int residue_code(char c) noexcept;

/// BLOSUM62 as a 32 x 32 table indexed by code (row * 32 + column), the delimiter row and
/// column holding kDelimiterScore; for the inner loops.
extern std::array<std::int8_t, 32 * 32> const kScoreTable;

/// BLOSUM62 score of two residue codes (the delimiter scores kDelimiterScore). O(1).
inline int blosum62(Residue a, Residue b) noexcept { return kScoreTable[a * 32u + b]; }

/// Letters of the 11-letter reduced alphabet DIAMOND's seeds use ([KREDQN] [C] [G] [H] [ILV]
/// [M] [F] [Y] [W] [P] [STA]): the group of each code, or 255 for codes a seed may not
/// contain (B J Z X * and the delimiter).
inline constexpr int kReducedSize = 11;
extern std::array<std::uint8_t, 32> const kReducedTable;
inline std::uint8_t reduced(Residue r) noexcept { return kReducedTable[r & 31u]; }

/// BLOSUM62 background frequencies of the 20 amino acids (the frequencies the matrix was
/// built from), in code order.
std::array<double, kStandardAa> const& background_frequencies() noexcept;

/// Translates `dna` from offset 0 with the standard genetic code; a codon with a base other
/// than ACGTU (either case) becomes X. A trailing partial codon is dropped.
void translate(std::string_view dna, std::vector<Residue>& out);

/// One reading frame of a read: frames 0..2 are forward from offset 0, 1, 2; frames 3..5 the
/// reverse complement from offset 0, 1, 2.
struct Frame {
    int frame = 0;
    std::vector<Residue> residues;
};

/// Translates all six frames of `dna` into `frames` (vectors are reused). For a length of
/// 3k + 1 the last residue of frame 4 follows DIAMOND's translation (see protein.cpp).
void six_frames(std::string_view dna, std::array<Frame, 6>& frames);

/// 1-based read coordinates (qstart, qend) of frame residues [first, last] for a read of
/// `read_len` bases; on reverse frames qstart > qend (BLAST's convention).
std::pair<long, long> read_coordinates(int frame, std::size_t first, std::size_t last, std::size_t read_len) noexcept;

/// Protein letters of codes, for messages and tests.
std::string to_letters(std::vector<Residue> const& codes);

}  // namespace orbiome::align
