// orbiome amplicon denoise|classify: parse, validate, one library call each
// (amplicon::denoise + write_denoise_outputs; amplicon::classify).
#include <cmath>
#include <iostream>
#include <mutex>

#include "amplicon/denoise.hpp"
#include "amplicon/taxonomy.hpp"
#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace orbiome::cli {

namespace {

// "F,R" or one value for both directions.
template <class T, class Parse>
std::pair<T, T> pair_option(std::string const& text, char const* flag, Parse parse_one) {
    auto const comma = text.find(',');
    try {
        if (comma == std::string::npos) {
            T v = parse_one(text);
            return {v, v};
        }
        if (text.find(',', comma + 1) != std::string::npos) throw std::invalid_argument("three values");
        return {parse_one(text.substr(0, comma)), parse_one(text.substr(comma + 1))};
    } catch (std::invalid_argument const&) {
        throw UsageError(std::string(flag) + " takes one value or two separated by a comma (got '" + text + "')");
    } catch (std::out_of_range const&) {
        throw UsageError(std::string(flag) + " value out of range ('" + text + "')");
    }
}

std::size_t parse_count(std::string const& s) {
    std::size_t pos = 0;
    long long v = std::stoll(s, &pos);
    if (pos != s.size() || v < 0) throw std::invalid_argument(s);
    return static_cast<std::size_t>(v);
}

double parse_ee(std::string const& s) {
    if (s == "inf" || s == "Inf") return -1;
    std::size_t pos = 0;
    double v = std::stod(s, &pos);
    if (pos != s.size() || !(v >= 0) || !std::isfinite(v)) throw std::invalid_argument(s);
    return v;
}

int cmd_amplicon_denoise(Args const& a) {
    auto app = make_app(a,
                        "16S amplicon reads to an ASV table, as DADA2 1.26: primer removal, filterAndTrim, learnErrors,\n"
                        "dada per sample, mergePairs (paired), consensus chimera removal, sequence table. Feature ids are\n"
                        "the MD5 of the ASV sequence (as q2-dada2). Defaults are DADA2's: --trunc-q 2, no truncation,\n"
                        "no maxEE limit (inf), minLen 20, maxN 0, phiX removed, --min-overlap 12, --pool none.\n"
                        "The sample sheet is a TSV with columns sample, reads and (paired) reads2.");
    std::string sheet, out_dir, primers, trim_left = "0", trunc_len = "0", max_ee = "inf", pool = "none";
    int trunc_q = 2, min_overlap = 12, threads = 1;
    ProgressFlags pf;
    app->add_option("--samplesheet", sheet, "TSV: sample, reads[, reads2]")->required();
    app->add_option("--out-dir", out_dir, "Output directory")->required();
    app->add_option("--primers", primers, "FWD,REV primers (IUPAC) to remove from the read starts; reads without them are dropped");
    app->add_option("--trim-left", trim_left, "Bases to remove from the start: F[,R] (default 0)");
    app->add_option("--trunc-len", trunc_len, "Truncate to this length, dropping shorter reads: F[,R] (default 0 = none)");
    app->add_option("--max-ee", max_ee, "Maximum expected errors: F[,R] (default inf)");
    app->add_option("--trunc-q", trunc_q, "Truncate at the first base with quality <= Q (default 2)");
    app->add_option("--min-overlap", min_overlap, "Minimum overlap of merged pairs (default 12)");
    app->add_option("--pool", pool, "none (each sample alone) or pseudo (DADA2 pseudo-pooling)");
    add_threads(*app, threads);
    pf.add_to(*app);
    if (!parse(*app, a)) return 0;

    amplicon::DenoiseOptions o;
    auto const tl = pair_option<std::size_t>(trim_left, "--trim-left", parse_count);
    auto const tr = pair_option<std::size_t>(trunc_len, "--trunc-len", parse_count);
    auto const ee = pair_option<double>(max_ee, "--max-ee", parse_ee);
    o.filter.fwd.trim_left = tl.first;
    o.filter.rev.trim_left = tl.second;
    o.filter.fwd.trunc_len = tr.first;
    o.filter.rev.trunc_len = tr.second;
    o.filter.fwd.max_ee = ee.first;
    o.filter.rev.max_ee = ee.second;
    if (trunc_q < 0) throw UsageError("--trunc-q must be >= 0");
    o.filter.fwd.trunc_q = o.filter.rev.trunc_q = trunc_q;
    if (min_overlap < 1) throw UsageError("--min-overlap must be >= 1");
    o.min_overlap = min_overlap;
    if (pool == "none")
        o.pool = amplicon::Pool::none;
    else if (pool == "pseudo")
        o.pool = amplicon::Pool::pseudo;
    else
        throw UsageError("--pool must be none or pseudo (got '" + pool + "')");
    if (!primers.empty()) {
        auto const comma = primers.find(',');
        o.primer_fwd = primers.substr(0, comma);
        if (comma != std::string::npos) o.primer_rev = primers.substr(comma + 1);
        for (std::string* p : {&o.primer_fwd, &o.primer_rev})
            for (char& c : *p) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    o.threads = threads;
    std::mutex mu;
    std::string const cmd = a.name;
    if (pf.show())
        o.progress = [&](std::string const& m) {
            std::lock_guard<std::mutex> lock(mu);
            std::cerr << "orbiome " << cmd << ": " << m << '\n';
        };
    o.warn = [&](std::string const& m) {
        std::lock_guard<std::mutex> lock(mu);
        std::cerr << "orbiome " << cmd << ": warning: " << m << '\n';
    };
    auto const samples = amplicon::read_samplesheet(sheet);
    auto const res = amplicon::denoise(samples, o);
    amplicon::write_denoise_outputs(res, out_dir, output_header(a));
    if (!pf.quiet)
        std::cerr << "orbiome " << cmd << ": " << res.table.seqs.size() << " ASVs (" << res.n_bimeras
                  << " bimeras removed) in " << samples.size() << " samples; error model: " << res.err_fwd.rounds
                  << " rounds" << (res.err_fwd.converged ? "" : " (not converged)") << "; outputs in " << out_dir << '\n';
    return 0;
}

int cmd_amplicon_classify(Args const& a) {
    auto app = make_app(a,
                        "Taxonomy of ASVs with the RDP naive Bayesian classifier as DADA2 1.26 assignTaxonomy (8-mers,\n"
                        "100 bootstraps, levels kept while the bootstrap >= --min-boot), plus exact species matching as\n"
                        "addSpecies (--species). References: a DADA2 training FASTA (lineage in the header), or a QIIME 2\n"
                        "FASTA with --ref-taxonomy TSV. Seeded: identical across runs and thread counts.\n"
                        "Output columns as QIIME 2: Feature ID, Taxon, Confidence.");
    std::string seqs, ref, ref_tax, species, out;
    amplicon::ClassifyOptions o;
    long long seed = -1;
    app->add_option("--seqs", seqs, "Query FASTA (e.g. asv.fasta of amplicon denoise)")->required();
    app->add_option("--ref", ref, "Reference FASTA")->required();
    app->add_option("--ref-taxonomy", ref_tax, "QIIME 2 taxonomy TSV for --ref (id, lineage)");
    app->add_option("--species", species, "Species reference FASTA (headers 'ID Genus species') for addSpecies");
    app->add_option("--min-boot", o.min_boot, "Minimum bootstrap (0-100) to keep a level (default 50)");
    app->add_flag("--try-rc", o.try_rc, "Also try the reverse complement of each query");
    app->add_option("--seed", seed, "Random seed of the bootstraps")->required();
    app->add_option("--out", out, "Output taxonomy TSV")->required();
    add_threads(*app, o.threads);
    if (!parse(*app, a)) return 0;
    if (o.min_boot < 0 || o.min_boot > 100) throw UsageError("--min-boot must be between 0 and 100");
    if (seed < 0) throw UsageError("--seed must be >= 0");
    o.seed = static_cast<std::uint64_t>(seed);
    auto const reference = amplicon::read_tax_reference(ref, ref_tax);
    amplicon::classify_fasta(seqs, reference, species, o, out);
    return 0;
}

constexpr Command kAmpliconCommands[] = {
    {"denoise", "Reads to an ASV table (DADA2 1.26 filter, denoise, merge, chimeras)", &cmd_amplicon_denoise},
    {"classify", "Taxonomy of ASVs (DADA2 assignTaxonomy / addSpecies)", &cmd_amplicon_classify},
};

}  // namespace

int cmd_amplicon(Args const& a) { return dispatch(a, kAmpliconCommands); }

}  // namespace orbiome::cli
