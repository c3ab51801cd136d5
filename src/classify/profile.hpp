#pragma once
/// \file profile.hpp
/// One sample end to end: stream reads through the ordered pipeline (read -> classify -> write,
/// `core/pipeline.hpp`), count calls per taxon, estimate species abundance by EM
/// (`abundance/em.hpp`), and write the four outputs of `orbiome profile`:
///
///  - Kraken2 report (`NAME.kreport`): 6 tab-separated columns — percent of all fragments in the
///    clade ("%6.2f"), fragments in the clade, fragments assigned directly, rank code, taxid, name
///    indented by two spaces per level below the root. An "unclassified" row (taxid 0, code U)
///    comes first when any fragment is unclassified; clades with no fragment are omitted;
///    siblings are ordered by clade count (descending), then taxid. Rank codes are always filled,
///    unlike Kraken2 2.1.2: U, R (root), D (superkingdom/domain), K, P, C, O, F, G, S; a node with
///    any other rank takes its nearest ranked ancestor's code plus its distance below it ("S1"
///    for a strain, "R1" for a clade under the root).
///  - Kraken2 per-read output (`NAME.reads.tsv`, with --per-read): `C`/`U`, fragment name (mate
///    suffix removed), taxid, length ("150" or "150|150"), then runs of minimizer hits
///    "taxid:count" (0 = miss), mates separated by "|:|".
///  - CAMI/bioboxes profile 0.9.1 (`NAME.profile`): header lines `@SampleID`, `@Version:0.9.1`,
///    `@Ranks`, `@TaxonomyID`, `@__program__`, then `@@TAXID RANK TAXPATH TAXPATHSN PERCENTAGE`;
///    a row per taxon at each standard rank (superkingdom .. species) with non-zero estimated
///    abundance; species percentages are the EM abundances x 100, higher ranks the sums of their
///    species, each rounded down to 1e-6 so every rank sums to at most 100.
///  - Abundance TSV (`NAME.abundance.tsv`, SPEC): `taxid rank name lineage reads fraction
///    abundance taxon_reads em_reads`; `reads` = fragments in the clade, `fraction` = reads / all
///    fragments, `abundance` = EM species abundance summed over the clade (species rows sum to
///    1; genome-copy abundance when length-normalised), `em_reads` = expected fragments from EM.
///
/// Memory is independent of the number of reads: per-taxon counters and EM equivalence classes.
/// Output is byte-identical for any thread count and batch size.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "abundance/em.hpp"
#include "classify/classifier.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::classify {

/// Fragments and bases consumed so far by a running `profile_reads`.
struct ProfileProgress {
    std::uint64_t fragments = 0;
    std::uint64_t bases = 0;
};

/// Options of one profiling run.
struct ProfileOptions {
    ClassifyOptions classify;
    abundance::EmOptions em;
    bool genome_copies = false;          ///< divide EM read abundance by mean genome length
    int n_threads = 1;
    std::size_t batch_bases = 1u << 20;  ///< bases per pipeline batch (both mates)
    seqio::OnInvalid on_invalid = seqio::OnInvalid::fail;  ///< malformed records: stop or skip
    /// Called after each batch, in input order, from the one thread that writes (never
    /// concurrently); it sees counts only, so it cannot change any output. Empty = not called.
    std::function<void(ProfileProgress const&)> on_progress;
};

/// Counts and estimates of one sample.
struct ProfileResult {
    std::uint64_t n_fragments = 0;
    std::uint64_t n_classified = 0;
    std::uint64_t n_bases = 0;
    std::uint64_t n_skipped = 0;             ///< fragments dropped as malformed (OnInvalid::skip)
    std::string first_skipped;               ///< where the first was ("file:line: record N ('name')")
    std::vector<std::uint64_t> taxon_reads;  ///< per TaxIndex; [0] = unclassified
    std::vector<std::uint64_t> clade_reads;  ///< per TaxIndex, subtree sums; [0] = unclassified
    std::vector<double> em_reads;            ///< per TaxIndex (species only)
    std::vector<double> abundance;           ///< per TaxIndex, clade sums of species abundance
};

/// Classifies every fragment of `reads1` (and `reads2`, "" for single-end), writing per-read
/// lines to `per_read` when non-null, and estimates abundance. Throws ParseError for malformed
/// input (naming file, line and record) and IoError for failed reads or writes.
ProfileResult profile_reads(Classifier const& clf, std::string const& reads1, std::string const& reads2,
                            ProfileOptions const& opt, std::ostream* per_read);

/// Writes the Kraken2-compatible report described in the file comment.
void write_kreport(std::ostream& out, index::TaxTree const& tax, ProfileResult const& res);
/// Writes the CAMI 0.9.1 profile. `program` goes into `@__program__`.
void write_cami_profile(std::ostream& out, index::TaxTree const& tax, ProfileResult const& res,
                        std::string const& sample, std::string const& program);
/// Writes the abundance TSV after the `header_line` (e.g. "#orbiome profile 0.1.0").
void write_abundance_tsv(std::ostream& out, index::TaxTree const& tax, ProfileResult const& res,
                         std::string const& header_line);

/// Kraken2 rank code of every node (see the file comment); [0] = "U".
std::vector<std::string> rank_codes(index::TaxTree const& tax);
/// Greengenes-prefixed lineage of a node from its ranked ancestors ("k__Bacteria;...;s__X y").
std::string lineage_of(index::TaxTree const& tax, TaxIndex t);

}  // namespace orbiome::classify
