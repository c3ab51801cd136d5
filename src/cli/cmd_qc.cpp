#include <chrono>
#include <cstdio>
#include <optional>

#include "cli/cli.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "index/index.hpp"
#include "qc/qc.hpp"

namespace orbiome::cli {

int cmd_qc(Args const& a) {
    auto app = make_app(a,
                        "Read QC of one sample: adapter trimming (TruSeq/Nextera, --adapters, mate overlap), "
                        "Trimmomatic-style sliding-window and trailing quality trimming, length, N and "
                        "low-complexity filters, host depletion against an orbiome index. Writes "
                        "DIR/NAME_R1.fastq.gz [DIR/NAME_R2.fastq.gz] and DIR/NAME.qc.tsv (see docs/reads.md).");
    qc::QcInput in;
    qc::QcOptions opt;
    std::string host_db, adapters;
    bool no_adapters = false;
    int threads = 1;
    app->add_option("--reads", in.reads, "FASTQ reads (mate 1), plain or gzip, phred+33")->required();
    app->add_option("--reads2", in.reads2, "Mate 2 FASTQ for paired reads");
    app->add_option("--sample", in.sample, "Sample name (output file prefix)")->required();
    app->add_option("--out-dir", in.out_dir, "Output folder (created if missing)")->required();
    app->add_option("--host-db", host_db, "Index of the host genome (`orbiome db build`); reads classified as host are removed");
    app->add_flag("--write-host", opt.write_host, "Also write the host reads: DIR/NAME_host_R1.fastq.gz [..._R2]");
    app->add_option("--adapters", adapters, "FASTA of adapter sequences, searched besides the built-in ones");
    app->add_flag("--no-builtin-adapters", no_adapters,
                  "Search only --adapters (and, for pairs, the mate overlap), not the built-in TruSeq/Nextera set");
    app->add_flag("!--no-overlap", opt.pair_overlap, "Do not trim read-through found by overlapping the mates");
    app->add_option("--min-quality", opt.min_quality,
                    "Sliding-window mean and trailing base quality (Trimmomatic SLIDINGWINDOW:W:Q TRAILING:Q); 0 = off")
        ->check(CLI::Range(0, 93));
    app->add_option("--window", opt.window, "Sliding-window width")->check(CLI::Range(1, 1000));
    app->add_option("--min-length", opt.min_length, "Remove reads (pairs) shorter than this after trimming");
    app->add_option("--max-n", opt.max_n, "Remove reads with more non-ACGT bases than this; -1 = off")
        ->check(CLI::Range(-1, 1 << 30));
    app->add_option("--min-complexity", opt.min_complexity,
                    "Remove reads whose complexity (fraction of bases differing from the next, fastp) is lower; 0 = off")
        ->check(CLI::Range(0.0, 1.0));
    app->add_option("--host-min-fraction", opt.host_min_fraction,
                    "Host call: fraction of a pair's (both mates' pooled) minimizers found in the host index")
        ->check(CLI::Range(0.0, 1.0));
    app->add_option("--host-min-hits", opt.host_min_hits, "Host call: and at least this many minimizer hits in the pair");
    std::string on_invalid = "fail";
    app->add_option("--on-invalid", on_invalid,
                    "A FASTQ record whose quality and sequence lengths differ: 'fail' (the default) or 'skip' (drop "
                    "the fragment, count it and warn); truncation and mates out of step always stop")
        ->check(CLI::IsMember({"fail", "skip"}));
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;
    opt.n_threads = threads;
    opt.builtin_adapters = !no_adapters;
    opt.on_invalid = on_invalid == "skip" ? seqio::OnInvalid::skip : seqio::OnInvalid::fail;
    if (opt.write_host && host_db.empty()) throw UsageError("--write-host needs --host-db");

    // Inputs are checked before the (possibly large) index is mapped, so a typo fails at once.
    require_readable(in.reads);
    if (!in.reads2.empty()) require_readable(in.reads2);
    if (!adapters.empty()) opt.adapters = qc::read_adapters(adapters);
    std::optional<index::Index> host;
    if (!host_db.empty()) host = index::Index::open(host_db);

    auto const t0 = std::chrono::steady_clock::now();
    auto const res = qc::run_qc(in, opt, host ? &*host : nullptr, output_header(a));
    if (res.n_skipped > 0)
        std::fprintf(stderr, "orbiome qc: warning: %s: skipped %llu malformed fragments (first: %s)\n", in.sample.c_str(),
                     static_cast<unsigned long long>(res.n_skipped), res.first_skipped.c_str());
    double const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto const& tot = res.steps.back();
    std::fprintf(stderr, "[orbiome qc %.1fs] %s: %llu of %llu reads kept (%.2f%%), %.1f of %.1f Mbp\n", secs,
                 in.sample.c_str(), static_cast<unsigned long long>(tot.reads_out),
                 static_cast<unsigned long long>(tot.reads_in),
                 tot.reads_in ? 100.0 * static_cast<double>(tot.reads_out) / static_cast<double>(tot.reads_in) : 0.0,
                 static_cast<double>(tot.bases_out) / 1e6, static_cast<double>(tot.bases_in) / 1e6);
    return 0;
}

}  // namespace orbiome::cli
