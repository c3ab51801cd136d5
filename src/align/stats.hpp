#pragma once
/// \file stats.hpp
/// Alignment statistics: Karlin-Altschul bit scores, e-values with the finite-size correction
/// of Park, Sheetlin, Ma, Mott & Spouge (BMC Bioinformatics 2012), and the per-position
/// composition correction of Hauser, Steinegger & Söding (2016), all as DIAMOND 2.1 applies
/// them to BLOSUM62 with gap open 11 / extend 1, so that scores and e-values agree with it.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "align/protein.hpp"

namespace orbiome::align {

inline constexpr int kGapOpen = 11;    ///< BLAST convention: a gap of length k costs open + k * extend
inline constexpr int kGapExtend = 1;
/// Gapped Karlin-Altschul parameters of BLOSUM62 11/1 (NCBI BLAST's table).
inline constexpr double kLambda = 0.267;
inline constexpr double kK = 0.041;

/// Bit score of a raw score: (lambda * S - ln K) / ln 2.
double bit_score(int raw) noexcept;

/// E-value of raw score `raw` for a query (frame) of `query_len` residues against a subject of
/// `subject_len` residues in a database of `db_letters` residues: the expected number of
/// chance hits of the pair with the finite-size (edge-effect) correction, scaled by
/// db_letters / subject_len (DIAMOND's convention).
double evalue(int raw, std::size_t query_len, std::size_t subject_len, std::uint64_t db_letters) noexcept;

/// Smallest raw score whose e-value is <= `max_evalue` for these lengths (a filter bound).
int min_raw_score(double max_evalue, std::size_t query_len, std::size_t subject_len, std::uint64_t db_letters) noexcept;

/// Hauser composition correction of a query: a score added at every aligned (match or
/// substitution) query position, rounded to an integer, from the mean BLOSUM62 score of the
/// residue against the other residues in a window of 40 around it versus its mean score
/// against the background. Positions holding non-standard residues get 0.
void composition_correction(std::vector<Residue> const& query, std::vector<int>& out);

}  // namespace orbiome::align
