#pragma once
/// \file profile.hpp
/// Reads -> gene families -> reactions -> pathways with orbiome's own nucleotide tier: a
/// functional database (FDB: pangenome genes with ChocoPhlAn-style headers, the reaction map and
/// the pathway file in one checksummed file) and a read mapper that stands in for HUMAnN's
/// `bowtie2 --very-sensitive` (best end-to-end ungapped hit per read, bowtie2's quality-aware
/// mismatch penalties and its minimum score -0.6 - 0.6 * read length). Its hits go through the
/// same HUMAnN 3.9 filters as SAM input (genefamilies.hpp). The translated tier is issue #13:
/// until it lands, reads the nucleotide tier leaves are UNMAPPED and the outputs say so.

#include <cstdint>
#include <string>
#include <vector>

#include "function/genefamilies.hpp"
#include "function/pathways.hpp"

namespace orbiome::function {

struct FunctionDb {
    std::vector<std::string> headers;  ///< gene ids (FASTA header up to the first space)
    std::vector<std::string> seqs;     ///< upper-case bases; anything but ACGT is N
    std::string reactions_name, reactions_text;
    std::string pathways_name, pathways_text;
};

/// Reads pangenome FASTA files (plain or gzip), checks that the reaction map and the pathway
/// file parse, and writes the FDB atomically.
void build_function_db(std::vector<std::string> const& pangenomes, std::string const& reactions,
                       std::string const& pathways, std::string const& out);
/// Loads and verifies (checksum) an FDB; a truncated or foreign file is a ParseError.
FunctionDb load_function_db(std::string const& path);
/// Loads and verifies only the reaction map and pathway file of an FDB (headers and seqs stay
/// empty): what `function pathways --db` needs, without reading the genes.
FunctionDb load_function_db_maps(std::string const& path);
/// The FDB's reaction map and pathway file, parsed (messages name the files they came from).
ReactionMap read_reaction_map(FunctionDb const& db);
PathwayDb read_pathways(FunctionDb const& db, ReactionMap const& reactions);

struct ProfileOptions {
    std::string reads1, reads2;
    std::string taxonomic_profile;     ///< orbiome NAME.abundance.tsv or a MetaPhlAn profile; empty = all genes
    double prescreen_threshold = 0.01; ///< percent relative abundance a species needs (HUMAnN's default)
    bool minpath = true;
    int threads = 1;
    std::string hits_out;              ///< optional TSV of tier-1 hits (read, reference, pos, span, identity)
};

struct ProfileResult {
    GeneFamilies genes;
    PathwayResult pathways;
    ReactionMap reactions;
    std::uint64_t reads = 0, reads_aligned = 0;  ///< reads in, reads with a hit passing bowtie2's min score
    std::size_t genes_indexed = 0;
    std::vector<std::string> species_selected;   ///< prescreen result ("all" when no profile)
};

/// The whole profile of one sample. Results do not depend on `threads`.
ProfileResult profile_reads(FunctionDb const& db, ProfileOptions const& o);

/// Writes DIR/NAME_genefamilies.tsv, NAME_reactions.tsv, NAME_pathabundance.tsv and
/// NAME_pathcoverage.tsv (each whole or not at all), creating DIR; `comment` is each file's first
/// line. This and `profile_reads` are the calls a study step makes per sample.
void write_profile_outputs(ProfileResult const& r, std::string const& out_dir, std::string const& sample,
                           std::string const& comment);

/// The reads' nucleotide hits alone (one record per read, unmapped ones included), for tests
/// and benchmarks of the mapper against bowtie2.
std::vector<NucleotideRecord> map_reads(FunctionDb const& db, std::vector<std::size_t> const& genes,
                                        ProfileOptions const& o, std::uint64_t* n_reads = nullptr);

}  // namespace orbiome::function
