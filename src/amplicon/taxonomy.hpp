#pragma once
/// \file taxonomy.hpp
/// 16S taxonomy as DADA2 1.26 `assignTaxonomy` (the RDP naive Bayesian classifier of Wang et al.
/// 2007 as DADA2 implements it: 8-mers present/absent per reference, one class per distinct full
/// lineage, word prior (n + 0.5) / (N + 1), log P(w|G) = log((m + prior) / (M + 1)) in single
/// precision, 100 bootstraps of floor(n / 8) query words) and `addSpecies` (exact substring
/// matching against a species reference).
///
/// Differences from DADA2, on purpose: bootstrap draws and exact ties come from orbiome's seeded
/// streams (one per query), so results are identical across runs and thread counts (DADA2's
/// are not: it breaks ties with std::random_device).

#include <cstdint>
#include <string>
#include <vector>

namespace orbiome::amplicon {

/// A reference: sequences with their lineages (levels, top first).
struct TaxReference {
    std::vector<std::string> seqs;
    std::vector<std::vector<std::string>> lineages;
};

/// DADA2 training FASTA: the header is the lineage, levels separated by ';' (a trailing ';' is
/// allowed). Or, when `taxonomy_tsv` is given, a QIIME 2 style FASTA (header = id) plus a TSV
/// `id<TAB>k__...; p__...` (a header row "Feature ID\tTaxon" is skipped). References shorter
/// than 20 nt are dropped (as DADA2). A lineage with an empty level, a header without ';', or a
/// FASTA id missing from the TSV is a ParseError naming the file and record.
TaxReference read_tax_reference(std::string const& fasta, std::string const& taxonomy_tsv = {});

struct ClassifyOptions {
    int min_boot = 50;
    bool try_rc = false;
    std::uint64_t seed = 0;
    int threads = 1;
};

struct TaxAssignment {
    std::vector<std::string> levels;  ///< the kept levels (bootstrap >= min_boot), top first
    std::vector<std::string> best;    ///< the full lineage of the best class (before the bootstrap cut)
    std::vector<int> boot;            ///< bootstrap (0..100) of every level of the best class
    std::string species;              ///< from addSpecies, "" if none
};

/// assignTaxonomy on each query (queries shorter than 50 nt get no levels).
std::vector<TaxAssignment> assign_taxonomy(std::vector<std::string> const& queries, TaxReference const& ref,
                                           ClassifyOptions const& opt);

/// addSpecies: for each query with a genus, the species whose reference contains the query
/// exactly, if exactly one genus and one species hit (Escherichia and Shigella merged), and the
/// genus agrees with the assigned one. Species FASTA headers: "ID Genus species".
void add_species(std::vector<std::string> const& queries, std::string const& species_fasta,
                 std::vector<TaxAssignment>& tax, bool try_rc);

/// Reads the query FASTA, classifies, optionally adds species, and writes a QIIME 2 style
/// taxonomy TSV: `Feature ID` (the FASTA id), `Taxon` (kept levels joined by "; ", the species
/// appended as one more level; "Unassigned" when no level is kept), `Confidence` (bootstrap
/// fraction of the deepest kept level, or of the first level when unassigned).
void classify_fasta(std::string const& seqs_fasta, TaxReference const& ref, std::string const& species_fasta,
                    ClassifyOptions const& opt, std::string const& out_path);

}  // namespace orbiome::amplicon
