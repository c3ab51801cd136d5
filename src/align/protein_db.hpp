#pragma once
/// \file protein_db.hpp
/// A protein database (PDB) for `orbiome align`: names and residue codes of every protein,
/// built from protein FASTA or from CDS nucleotide FASTA translated in frame 1.
///
/// File layout (little-endian): magic "ORBPDB1\n", u64 protein count, u64 residue count,
/// u64 name bytes, then the name bytes ('\n' after each name), u64 offsets (count + 1), the
/// residues (with a kDelimiter before every protein and one at the end), and a u64 FNV-1a
/// checksum of everything before it. The seed index is rebuilt at load: it is cheap next
/// to a search and keeps the file independent of the seed shapes.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "align/protein.hpp"

namespace orbiome::align {

class ProteinDb {
public:
    /// Reads protein FASTA (`translate` = false) or CDS nucleotide FASTA (`translate` = true)
    /// files, plain or gzip. Names are the header up to the first whitespace (UniRef ids such
    /// as "UniRef90_X|1098" are kept whole). A CDS loses its final stop codon. Throws
    /// ParseError (file:line: record N ('name')) on an empty record, a letter that is not an
    /// amino acid, or a protein file that holds nucleotides.
    /// Duplicate names are kept (HUMAnN's demo UniRef file has them; DIAMOND accepts them).
    static ProteinDb build(std::vector<std::string> const& files, bool translate);
    /// Opens a PDB written by `save`; IoError / ParseError if missing, not a PDB, or corrupt.
    static ProteinDb load(std::string const& path);
    /// Writes the PDB atomically.
    void save(std::string const& path) const;

    std::size_t size() const noexcept { return offsets_.size() - 1; }
    /// Residues of all proteins, each preceded by a kDelimiter, with one more at the end.
    std::vector<Residue> const& residues() const noexcept { return residues_; }
    /// Protein i occupies residues()[offset(i), offset(i) + length(i)).
    std::uint32_t offset(std::size_t i) const noexcept { return offsets_[i]; }
    std::uint32_t length(std::size_t i) const noexcept { return offsets_[i + 1] - offsets_[i] - 1; }
    std::string_view name(std::size_t i) const noexcept {
        return {names_.data() + name_offsets_[i], name_offsets_[i + 1] - name_offsets_[i] - 1};
    }
    /// Total residues of the proteins (the database size in e-values).
    std::uint64_t letters() const noexcept { return letters_; }
    /// The protein holding residue position `pos` (not a delimiter). O(log n).
    std::size_t protein_at(std::uint32_t pos) const noexcept;

    /// Adds one protein (codes); for tests and builders.
    void add(std::string_view name, std::span<Residue const> codes);

private:
    ProteinDb();
    std::vector<char> names_;
    std::vector<std::uint32_t> name_offsets_{0};
    std::vector<std::uint32_t> offsets_;
    std::vector<Residue> residues_;
    std::uint64_t letters_ = 0;

public:
    /// An empty database (then `add`).
    static ProteinDb empty() { return ProteinDb(); }
};

}  // namespace orbiome::align
