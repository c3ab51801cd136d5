// orbiome function quantify | pathways | profile: parse, validate, one library call each.
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "function/genefamilies.hpp"
#include "function/pathways.hpp"
#include "function/profile.hpp"

namespace orbiome::cli {

namespace {

/// HUMAnN's column name: the output's base name without `_genefamilies` and the extension.
std::string sample_from_path(std::string const& path, std::string const& suffix) {
    std::string name = std::filesystem::path(path).filename().string();
    if (auto const dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        name.resize(name.size() - suffix.size());
    return name;
}

int cmd_function_quantify(Args const& a) {
    auto app = make_app(a,
                        "Gene families (RPK, HUMAnN 3 layout: community rows, UniRef90_X|g__G.s__S strata, "
                        "UNMAPPED) from alignments others made: bowtie2 SAM against ChocoPhlAn-style pangenomes "
                        "and DIAMOND BLAST tabular (outfmt 6) against UniRef90 proteins, with HUMAnN 3.9's hit "
                        "filters (identity > 80 %, gene coverage >= 50 %, query coverage >= 90 % for translated "
                        "hits), read weighting and length normalisation (docs/function.md). SAM files are read "
                        "first (nucleotide tier); BLAST-tab hits then claim reads the SAM left unmapped.");
    std::vector<std::string> sams, blasts;
    std::string out, sample;
    app->add_option("--sam", sams, "bowtie2 SAM (plain or gzip)")->expected(1, -1);
    app->add_option("--blast-tab", blasts, "BLAST tabular hits, 12 columns (plain or gzip)")->expected(1, -1);
    app->add_option("--out", out, "Gene-family TSV to write")->required();
    app->add_option("--sample", sample, "Sample name for the value column (default: from --out)");
    if (!parse(*app, a)) return 0;
    if (sams.empty() && blasts.empty()) throw UsageError("give at least one --sam FILE or --blast-tab FILE");
    std::vector<function::AlignmentInput> inputs;
    for (auto const& s : sams) inputs.push_back({function::AlignmentInput::Kind::sam, s});
    for (auto const& b : blasts) inputs.push_back({function::AlignmentInput::Kind::blast_tab, b});
    for (auto const& in : inputs) require_readable(in.path);
    function::QuantifyStats st;
    auto const g = function::quantify(inputs, {}, &st);
    if (sample.empty()) sample = sample_from_path(out, "_genefamilies");
    function::write_genefamilies(g, out, sample + "_Abundance-RPKs", output_header(a));
    std::fprintf(stderr,
                 "[orbiome function quantify] %llu SAM records of %llu reads, %llu BLAST-tab hits; accepted %llu "
                 "nucleotide and %llu translated hits; %zu gene families; UNMAPPED %.0f\n",
                 static_cast<unsigned long long>(st.sam_records), static_cast<unsigned long long>(st.sam_reads),
                 static_cast<unsigned long long>(st.blast_records),
                 static_cast<unsigned long long>(st.accepted_nucleotide),
                 static_cast<unsigned long long>(st.accepted_translated), g.rpk.size(), g.unmapped);
    return 0;
}

int cmd_function_pathways(Args const& a) {
    auto app = make_app(a,
                        "Reactions and MetaCyc pathways from a gene-family table, as HUMAnN 3.9 computes them: "
                        "reaction score = sum of its genes' RPK; MinPath's minimal pathway set (an integer program "
                        "solved with GLPK, posed as HUMAnN poses it); gap filling; abundance (harmonic means over "
                        "the pathway's structure) and coverage (chi-square CDF against the median score); UNMAPPED "
                        "and UNINTEGRATED; per stratum and for the community (docs/function.md). Writes "
                        "DIR/NAME_reactions.tsv, DIR/NAME_pathabundance.tsv, DIR/NAME_pathcoverage.tsv.");
    std::string genefamilies, reactions, pathways, fdb, names, minpath = "on", out_dir, sample;
    app->add_option("--genefamilies", genefamilies, "Gene-family TSV (HUMAnN layout, e.g. from function quantify)")
        ->required();
    auto* ropt = app->add_option("--reactions", reactions,
                                 "UniRef -> reaction map: RXN<TAB>EC<TAB>UniRef... (plain, gz or bz2)");
    auto* popt = app->add_option("--pathways", pathways, "Structured MetaCyc pathway file (PWY<TAB>structure)");
    app->add_option("--db", fdb, "Instead of --reactions and --pathways: the maps stored in an FDB from 'orbiome "
                                 "db build-function' (read without its genes; no bz2 to decompress)")
        ->excludes(ropt)
        ->excludes(popt);
    app->add_option("--minpath", minpath, "MinPath's minimal pathway set: on (default, as HUMAnN) or off")
        ->check(CLI::IsMember({"on", "off"}));
    app->add_option("--pathway-names", names, "PWY<TAB>name map (map_metacyc-pwy_name.txt.gz): rows as 'PWY: name'");
    app->add_option("--out-dir", out_dir, "Output folder (created if missing)")->required();
    app->add_option("--sample", sample, "Sample name NAME (default: the gene-family file's name without "
                                        "_genefamilies and extension)");
    function::PathwayOptions o;
    add_threads(*app, o.threads);
    if (!parse(*app, a)) return 0;
    if (fdb.empty() && (reactions.empty() || pathways.empty()))
        throw UsageError("give --reactions MAP and --pathways FILE, or --db FDB");
    require_readable(genefamilies);
    if (!names.empty()) require_readable(names);
    function::FunctionDb maps;
    if (!fdb.empty()) {
        require_readable(fdb);
        maps = function::load_function_db_maps(fdb);
    } else {
        require_readable(reactions);
        require_readable(pathways);
    }
    auto const genes = function::read_genefamilies(genefamilies);
    auto const rmap = fdb.empty() ? function::read_reaction_map(reactions) : function::read_reaction_map(maps);
    auto const db = fdb.empty() ? function::read_pathways(pathways, rmap) : function::read_pathways(maps, rmap);
    auto const pwnames = names.empty() ? std::map<std::string, std::string>{} : function::read_names(names);
    o.minpath = minpath == "on";
    auto const r = function::compute_pathways(genes, rmap, db, o);
    if (sample.empty()) sample = sample_from_path(genefamilies, "_genefamilies");
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) throw IoError(Errc::io, out_dir, "cannot create output folder: " + ec.message());
    std::string const base = (std::filesystem::path(out_dir) / sample).string();
    std::string const header = output_header(a) + " minpath=" + minpath;
    function::write_reactions(r, rmap, base + "_reactions.tsv", sample, header);
    function::write_pathways(r, base + "_pathabundance.tsv", base + "_pathcoverage.tsv", sample, pwnames, header);
    std::fprintf(stderr, "[orbiome function pathways] %zu gene families, %zu reactions scored, %zu pathways present\n",
                 genes.rpk.size(), r.reactions.size(), r.abundance.all.size());
    return 0;
}

int cmd_function_profile(Args const& a) {
    auto app = make_app(a,
                        "Reads -> gene families -> reactions -> MetaCyc pathways for one sample. Tier 1 maps reads to "
                        "the FDB's pangenome genes with orbiome's own seed-and-extend mapper (best end-to-end hit, "
                        "bowtie2 --very-sensitive's scoring), on the species a taxonomic profile names (HUMAnN's "
                        "prescreen, >= 0.01 %) or on all genes; its hits take HUMAnN 3.9's filters. The translated "
                        "tier (--protein-db) is issue #13 and is not run yet: the outputs say so. Writes "
                        "DIR/NAME_genefamilies.tsv, NAME_reactions.tsv, NAME_pathabundance.tsv, NAME_pathcoverage.tsv.");
    function::ProfileOptions o;
    std::string db_path, sample, out_dir, protein_db, minpath = "on";
    app->add_option("--reads", o.reads1, "Reads (FASTQ/FASTA, plain or gzip)")->required();
    app->add_option("--reads2", o.reads2, "Second mates, if paired (each mate is counted as a read, as HUMAnN)");
    app->add_option("--sample", sample, "Sample name NAME")->required();
    app->add_option("--db", db_path, "Functional database from 'orbiome db build-function'")->required();
    app->add_option("--protein-db", protein_db, "Protein database for the translated tier (issue #13: not yet run)");
    app->add_option("--taxonomic-profile", o.taxonomic_profile,
                    "orbiome NAME.abundance.tsv (or a MetaPhlAn profile): index only the species it finds");
    app->add_option("--minpath", minpath, "MinPath: on (default) or off")->check(CLI::IsMember({"on", "off"}));
    app->add_option("--out-dir", out_dir, "Output folder (created if missing)")->required();
    app->add_option("--hits", o.hits_out, "Also write the nucleotide tier's best hit per read (TSV: read, reference, "
                                          "pos, span, identity), before HUMAnN's filters");
    add_threads(*app, o.threads);
    if (!parse(*app, a)) return 0;
    if (!protein_db.empty())
        throw UsageError("--protein-db: the translated tier is not implemented yet (issue #13)",
                         "run without it; reads the nucleotide tier leaves are reported as UNMAPPED");
    require_readable(db_path);
    require_readable(o.reads1);
    if (!o.reads2.empty()) require_readable(o.reads2);
    if (!o.taxonomic_profile.empty()) require_readable(o.taxonomic_profile);
    o.minpath = minpath == "on";
    auto const db = function::load_function_db(db_path);
    auto const r = function::profile_reads(db, o);
    function::write_profile_outputs(r, out_dir, sample,
                                    output_header(a) + " tiers=nucleotide translated=not-run(issue#13) minpath=" + minpath);
    std::fprintf(stderr,
                 "[orbiome function profile] %llu reads, %llu aligned to %zu genes (%zu species), UNMAPPED %.0f, %zu "
                 "gene families, %zu pathways; translated tier not run (issue #13)\n",
                 static_cast<unsigned long long>(r.reads), static_cast<unsigned long long>(r.reads_aligned),
                 r.genes_indexed, r.species_selected.size(), r.genes.unmapped, r.genes.rpk.size(),
                 r.pathways.abundance.all.size());
    return 0;
}

constexpr Command kFunctionCommands[] = {
    {"quantify", "Gene families from SAM / BLAST-tab alignments (HUMAnN 3.9's rules)", &cmd_function_quantify},
    {"pathways", "Reactions and MetaCyc pathways from gene families (MinPath, gap fill)", &cmd_function_pathways},
    {"profile", "Reads -> gene families -> pathways for one sample (nucleotide tier)", &cmd_function_profile},
};

}  // namespace

int cmd_function(Args const& a) { return dispatch(a, kFunctionCommands); }

}  // namespace orbiome::cli
