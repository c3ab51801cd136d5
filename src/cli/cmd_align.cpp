#include <chrono>
#include <cstdio>
#include <string>

#include "align/search.hpp"
#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::cli {

int cmd_align(Args const& a) {
    auto app = make_app(a,
                        "Align DNA reads to a protein database in six frames (DIAMOND blastx's scoring: BLOSUM62, "
                        "gap 11/1, composition correction, its e-values) and write BLAST tabular (outfmt 6: qseqid "
                        "sseqid pident length mismatch gapopen qstart qend sstart send evalue bitscore).");
    std::string db_path, reads1, reads2, out;
    align::AlignOptions opt;
    app->add_option("--db", db_path, "Protein database from 'orbiome db build-protein'")->required();
    app->add_option("--reads", reads1, "Reads, FASTQ or FASTA (plain or gzip)")->required();
    app->add_option("--reads2", reads2, "Mate reads; each mate is a separate query");
    app->add_option("--out", out, "Hits file to write (BLAST tabular)")->required();
    app->add_option("--evalue", opt.max_evalue, "Report hits with e-value at most this (default 0.001)");
    app->add_option("--min-identity", opt.min_identity, "Report hits with at least this % identity");
    app->add_option("--max-target-seqs,-k", opt.max_target_seqs, "Proteins reported per read (default 25)");
    app->add_option("--top", opt.top, "Report proteins within this % of the read's best bit score (overrides -k)");
    ProgressFlags progress;
    progress.add_to(*app);
    add_threads(*app, opt.threads);
    if (!parse(*app, a)) return 0;
    opt.validate();
    require_readable(db_path);
    require_readable(reads1);
    if (!reads2.empty()) require_readable(reads2);

    auto const t0 = std::chrono::steady_clock::now();
    auto const db = align::ProteinDb::load(db_path);
    align::SeedIndex const index(db, align::default_shapes(), opt.threads);
    ProgressMeter meter(progress.show());
    auto line = [](std::uint64_t reads, std::uint64_t aligned, double secs) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "[orbiome align %.1fs] %llu reads searched, %llu aligned (%.0f reads/s)", secs,
                      static_cast<unsigned long long>(reads), static_cast<unsigned long long>(aligned),
                      secs > 0 ? static_cast<double>(reads) / secs : 0.0);
        return std::string(buf);
    };
    if (progress.show())
        opt.on_progress = [&](std::uint64_t r, std::uint64_t al) { meter.update([&](double s) { return line(r, al, s); }); };
    auto const sum = align::align_reads(db, index, reads1, reads2, out, opt);
    meter.finish([&](double s) { return line(sum.reads, sum.aligned, s); });
    if (progress.quiet) return 0;
    double const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "[orbiome align %.1fs] %llu reads, %llu aligned (%.1f%%), %llu hits; %zu proteins, %zu seeds\n", secs,
                 static_cast<unsigned long long>(sum.reads), static_cast<unsigned long long>(sum.aligned),
                 sum.reads ? 100.0 * static_cast<double>(sum.aligned) / static_cast<double>(sum.reads) : 0.0,
                 static_cast<unsigned long long>(sum.hits), db.size(), index.entries());
    return 0;
}

}  // namespace orbiome::cli
