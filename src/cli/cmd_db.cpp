#include <bit>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "core/atomic_output.hpp"
#include "align/protein_db.hpp"
#include "core/error.hpp"
#include "function/profile.hpp"
#include "index/index.hpp"
#include "taxonomy/taxdump.hpp"

namespace orbiome::cli {

namespace {

int cmd_db_build(Args const& a) {
    auto app = make_app(a,
                        "Build a minimizer index of reference genomes: every canonical k-mer that is the minimizer "
                        "of a window of w k-mers maps to the lowest common ancestor of the taxa containing it.");
    std::vector<std::string> genomes;
    std::string taxdump, lineages, seqmap, out;
    int k = index::kDefaultK, w = index::kDefaultW, threads = 1;
    int spaces = index::kDefaultSpaces;
    std::uint64_t seed = index::kDefaultSeed;
    app->add_option("--genomes", genomes, "FASTA files or folders of them (plain or gzip)")->required()->expected(1, -1);
    auto* td = app->add_option("--taxdump", taxdump, "Folder with NCBI nodes.dmp and names.dmp");
    auto* li = app->add_option("--lineages", lineages, "Lineage TSV: taxid<TAB>lineage (domain..species)");
    td->excludes(li);
    app->add_option("--seqid2taxid", seqmap, "TSV: sequence_id<TAB>taxid")->required();
    app->add_option("--out", out, "Index file to write")->required();
    app->add_option("--kmer", k, "k-mer length (odd, <= 31)");
    app->add_option("--window", w, "Minimizer window, in k-mers");
    app->add_option("--seed", seed, "Hash seed");
    auto* spaces_opt = app->add_option("--spaces", spaces,
                    "Spaced seed: this many wildcard bases (every other base around the k-mer's middle, at most "
                    "k/4) are ignored when hashing, so a mismatch there still matches; 0 = exact k-mers "
                    "(default " + std::to_string(index::kDefaultSpaces) + ", or k/4 when smaller)");
    ProgressFlags progress;
    progress.add_to(*app);
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;
    if (taxdump.empty() == lineages.empty())
        throw UsageError("give exactly one of --taxdump DIR or --lineages TSV");

    auto const t0 = std::chrono::steady_clock::now();
    index::BuildInput in;
    in.genome_files = index::expand_genome_paths(genomes);
    require_readable(seqmap);
    in.seqid2taxid = index::read_seqid2taxid(seqmap);
    in.seqid2taxid_file = seqmap;
    if (!taxdump.empty()) {
        auto const tax = taxonomy::Taxonomy::from_ncbi_dump(taxdump + "/nodes.dmp", taxdump + "/names.dmp");
        in.taxonomy = index::taxon_specs(tax);
        in.taxonomy_file = taxdump + "/nodes.dmp";
    } else {
        auto const tax = taxonomy::Taxonomy::from_lineage_tsv(lineages);
        in.taxonomy = index::taxon_specs(tax);
        in.taxonomy_file = lineages;
    }
    in.k = k;
    in.w = w;
    in.seed = seed;
    if (spaces_opt->count() > 0) in.spaces = spaces;
    ProgressMeter meter(progress.show());
    auto line = [](index::BuildProgress const& p, double secs) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "[orbiome db build %.1fs] %llu of %llu genome files scanned (%.1f Mbp, %.1f Mbp/s)",
                      secs, static_cast<unsigned long long>(p.files_done), static_cast<unsigned long long>(p.files_total),
                      static_cast<double>(p.bases_done) / 1e6, secs > 0 ? static_cast<double>(p.bases_done) / 1e6 / secs : 0.0);
        return std::string(buf);
    };
    if (progress.show())
        in.on_progress = [&](index::BuildProgress const& p) { meter.update([&](double secs) { return line(p, secs); }); };
    auto const idx = index::Index::build(in, threads);
    index::BuildProgress const all{in.genome_files.size(), in.genome_files.size(), idx.header().n_bases};
    meter.finish([&](double secs) { return line(all, secs); });
    idx.save(out);
    if (progress.quiet) return 0;
    double const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "[orbiome db build %.1fs] %zu files, %llu sequences, %llu bp, %llu minimizers, %llu taxa\n",
                 secs, in.genome_files.size(), static_cast<unsigned long long>(idx.header().n_sequences),
                 static_cast<unsigned long long>(idx.header().n_bases),
                 static_cast<unsigned long long>(idx.header().n_keys),
                 static_cast<unsigned long long>(idx.header().n_taxa - 1));
    return 0;
}

int cmd_db_info(Args const& a) {
    auto app = make_app(a, "Print an index's parameters and size (and verify its checksum).");
    std::string db;
    app->add_option("DB", db, "Index file")->required();
    if (!parse(*app, a)) return 0;
    auto const idx = index::Index::open(db);
    auto const& h = idx.header();
    auto const& tax = idx.taxonomy();
    std::size_t n_species = 0;
    for (index::TaxIndex t = 1; t < tax.size(); ++t) n_species += tax.rank(t) == "species";
    std::cout << "file\t" << db << '\n'
              << "format_version\t" << h.format_version << '\n'
              << "hash\tmurmur3-fmix64(canonical-2bit-kmer ^ seed) (id " << h.hash_id << ")\n"
              << "k\t" << h.k << '\n'
              << "window\t" << h.w << '\n'
              << "seed\t" << h.seed << '\n'
              << "spaces\t" << std::popcount(h.wildcards) << '\n'
              << "spaced_seed\t" << index::spaced_seed_pattern(static_cast<int>(h.k), h.wildcards) << '\n'
              << "sequences\t" << h.n_sequences << '\n'
              << "bases\t" << h.n_bases << '\n'
              << "minimizers\t" << h.n_keys << '\n'
              << "capacity\t" << h.capacity << '\n'
              << "load_factor\t" << static_cast<double>(h.n_keys) / static_cast<double>(h.capacity) << '\n'
              << "value_bits\t" << h.value_bits << '\n'
              << "fingerprint_bits\t" << 32 - h.value_bits << '\n'
              << "taxa\t" << h.n_taxa - 1 << '\n'
              << "species\t" << n_species << '\n'
              << "table_bytes\t" << idx.table_bytes() << '\n'
              << "file_bytes\t" << std::filesystem::file_size(db) << '\n'
              << "checksum\tok\n";
    return 0;
}

int cmd_db_build_function(Args const& a) {
    auto app = make_app(a,
                        "Build a functional database (FDB) for 'orbiome function profile': pangenome genes with "
                        "ChocoPhlAn headers (id|k__..g__G.s__S|UniRef90_X|UniRef50_Y|LEN), the UniRef -> reaction "
                        "map and the structured pathway file, in one checksummed file.");
    std::vector<std::string> pangenomes;
    std::string reactions, pathways, out;
    app->add_option("--pangenomes", pangenomes, "Pangenome FASTA files (plain or gzip)")->required()->expected(1, -1);
    app->add_option("--reactions", reactions, "UniRef -> reaction map (plain, gz or bz2)")->required();
    app->add_option("--pathways", pathways, "Structured MetaCyc pathway file")->required();
    app->add_option("--out", out, "FDB file to write")->required();
    if (!parse(*app, a)) return 0;
    for (auto const& p : pangenomes) require_readable(p);
    require_readable(reactions);
    require_readable(pathways);
    function::build_function_db(pangenomes, reactions, pathways, out);
    return 0;
}

int cmd_db_build_protein(Args const& a) {
    auto app = make_app(a,
                        "Build a protein database (PDB) for 'orbiome align' from protein FASTA, or from CDS "
                        "nucleotide FASTA with --translate (standard code, frame 1, final stop dropped). Names are "
                        "kept up to the first whitespace (UniRef90_X ids stay gene ids).");
    std::vector<std::string> proteins, cds;
    std::string out;
    auto* p = app->add_option("--proteins", proteins, "Protein FASTA files (plain or gzip)")->expected(1, -1);
    auto* t = app->add_option("--translate", cds, "CDS nucleotide FASTA files to translate (plain or gzip)")->expected(1, -1);
    p->excludes(t);
    app->add_option("--out", out, "PDB file to write")->required();
    if (!parse(*app, a)) return 0;
    if (proteins.empty() == cds.empty()) throw UsageError("give --proteins FASTA... or --translate CDS_FASTA...");
    auto const& files = proteins.empty() ? cds : proteins;
    for (auto const& f : files) require_readable(f);
    auto const db = align::ProteinDb::build(files, !cds.empty());
    db.save(out);
    std::fprintf(stderr, "[orbiome db build-protein] %zu proteins, %llu residues\n", db.size(),
                 static_cast<unsigned long long>(db.letters()));
    return 0;
}

constexpr Command kDbCommands[] = {
    {"build", "Build a minimizer index from genomes, a taxonomy and a sequence-to-taxon map", &cmd_db_build},
    {"info", "Print an index's parameters and size", &cmd_db_info},
    {"build-function", "Build a functional database (pangenomes, reaction map, pathways)", &cmd_db_build_function},
    {"build-protein", "Build a protein database for 'orbiome align' (protein or CDS FASTA)", &cmd_db_build_protein},
};

}  // namespace

int cmd_db(Args const& a) { return dispatch(a, kDbCommands); }

}  // namespace orbiome::cli
