#pragma once
/// \file genefamilies.hpp
/// Gene families (HUMAnN 3 layout) from alignments others made: bowtie2 SAM against
/// ChocoPhlAn-style pangenomes (the nucleotide tier) and DIAMOND / BLAST tabular hits against
/// UniRef proteins (the translated tier), with HUMAnN 3.9's hit filters, read weighting and
/// length normalisation, so that the numbers equal HUMAnN 3.9's (docs/function.md).
///
/// Behaviour reproduced from HUMAnN 3.9 (tag v3.9), including its quirks:
///  - nucleotide hits: a gene is allowed when the union of [POS, POS+refspan) over *all* mapped
///    records (no identity filter) covers >= 50 % of its length; coverage is keyed by the gene
///    family name (UniRef90 id), so hits to the same family in several species pool, and the
///    length used is the last one seen. A hit then counts only if identity > 80 (strict; HUMAnN's
///    translated threshold, not its nucleotide one).
///  - translated hits: pident >= 80, evalue <= 1, query coverage >= 90 % (read length from a
///    `|LEN` suffix of the read id), subject coverage >= 50 % of L/3 over the kept hits.
///  - weight of a hit: (pident/100 * alnlen)^2 over the read's accepted hits; each hit adds
///    weight * 1000 / (|L - alnlen| + 1), L in nt, alnlen in nt (SAM) or aa (BLAST-tab).
///  - UNMAPPED is the number of distinct SAM reads with a rejected or unmapped record, less those
///    a translated hit then claims; the community row of a family is the sum of its strata.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace orbiome::function {

/// A gene-family table of one sample: RPK per (family, stratum); stratum "all" is the community.
struct GeneFamilies {
    /// family -> stratum -> RPK. The community value is kept under "all".
    std::map<std::string, std::map<std::string, double>> rpk;
    double unmapped = 0.0;  ///< UNMAPPED: reads (a count) with no accepted hit

    double get(std::string const& stratum, std::string const& family) const;
    /// Every stratum name except "all", sorted.
    std::vector<std::string> strata() const;
};

/// Thresholds of HUMAnN 3.9 in UniRef90 mode (humann.cfg and config.py).
struct QuantifyOptions {
    double identity_threshold = 80.0;         ///< translated threshold, also used for SAM (strict >)
    double nucleotide_subject_coverage = 50.0;
    double nucleotide_query_coverage = 90.0;
    double translated_subject_coverage = 50.0;
    double translated_query_coverage = 90.0;
    double evalue_threshold = 1.0;
};

/// One input file and its kind.
struct AlignmentInput {
    enum class Kind { sam, blast_tab } kind;
    std::string path;
};

/// Counts kept for the log line.
struct QuantifyStats {
    std::uint64_t sam_records = 0, sam_reads = 0, blast_records = 0;
    std::uint64_t accepted_nucleotide = 0, accepted_translated = 0;
};

/// One nucleotide alignment of a read, as HUMAnN reads it from a SAM record: the reference id
/// (pangenome header), 1-based position, reference span (CIGAR M/D/N/=/X), aligned length
/// (CIGAR M/=/X/I/D) and percent identity (MD matches / aligned length).
struct NucleotideRecord {
    std::string read;
    bool mapped = false;
    std::string reference;
    long long pos = 0, refspan = 0;
    double identity = 0.0, alnlen = 0.0;
};

/// The nucleotide tier on alignments made in memory (orbiome's own read mapper): the same
/// filters and arithmetic as SAM input.
GeneFamilies quantify_nucleotide(std::vector<NucleotideRecord> const& records, QuantifyOptions const& o = {},
                                 QuantifyStats* stats = nullptr);

/// Reads every SAM (nucleotide tier) first, then every BLAST-tab (translated tier, which may
/// claim reads the nucleotide tier left unmapped), as HUMAnN does. Throws ParseError naming the
/// file and line for a SAM record with fewer than 11 fields or a mapped record without an MD:Z
/// tag, and for a BLAST-tab line that does not have 12 fields or whose numbers do not parse.
GeneFamilies quantify(std::vector<AlignmentInput> const& inputs, QuantifyOptions const& o = {},
                      QuantifyStats* stats = nullptr);

/// A gene family's name, species stratum and length (nt) from a reference id, as HUMAnN 3.9's
/// `process_reference_annotation` reads it in UniRef90 mode: `id|k__...g__G.s__S|UniRef90_X|
/// UniRef50_Y|LEN` gives (UniRef90_X, g__G.s__S, LEN); `X|LEN` or `LEN|X` gives (X, unclassified,
/// LEN); `X|LEN|BUG` gives (X, BUG, LEN); anything else is (id, unclassified, 0).
struct Annotation {
    std::string gene, bug;
    long long length = 0;
};
Annotation parse_reference(std::string const& reference);

/// Writes `# Gene Family<TAB>COLUMN` then UNMAPPED, then families by community RPK (descending,
/// ties by name) each followed by its strata (same order), values with 10 decimals, as HUMAnN.
/// `comment` (e.g. "#orbiome function quantify 0.x") is written first when not empty.
void write_genefamilies(GeneFamilies const& g, std::string const& path, std::string const& column,
                        std::string const& comment);

/// Reads a gene-family table as HUMAnN 3.9 does with `--input genefamilies.tsv`: `#` lines are
/// skipped, `FAMILY` rows are the community ("all"), `FAMILY|STRATUM` rows strata, a `: name`
/// suffix of the family is dropped, UNMAPPED is the unmapped count. Unlike HUMAnN, a value that
/// is not a finite non-negative number is a ParseError naming the line (HUMAnN reads it as 0).
GeneFamilies read_genefamilies(std::string const& path);

}  // namespace orbiome::function
