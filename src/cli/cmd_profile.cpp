#include <chrono>
#include <cstdio>
#include <filesystem>

#include "classify/profile.hpp"
#include "classify/sample_unit.hpp"
#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "orbiome/version.hpp"
#include "seqio/samplesheet.hpp"

namespace orbiome::cli {

namespace {

std::string progress_line(std::string const& sample, classify::ProfileProgress const& p, double secs) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "[orbiome profile %.1fs] %s: %llu fragments (%.1f Mbp), %.0f fragments/s", secs,
                  sample.c_str(), static_cast<unsigned long long>(p.fragments), static_cast<double>(p.bases) / 1e6,
                  secs > 0 ? static_cast<double>(p.fragments) / secs : 0.0);
    return buf;
}

void profile_one(Args const& a, classify::Classifier const& clf, classify::ProfileOptions opt, seqio::SampleReads const& s,
                 std::string const& dir, bool per_read, ProgressFlags const& flags) {
    auto const t0 = std::chrono::steady_clock::now();
    ProgressMeter meter(flags.show());
    classify::ProfileProgress last;
    if (flags.show())
        opt.on_progress = [&](classify::ProfileProgress const& p) {
            last = p;
            meter.update([&](double secs) { return progress_line(s.name, p, secs); });
        };
    classify::SampleUnitOptions unit;
    unit.profile = std::move(opt);
    unit.per_read = per_read;
    unit.tsv_header = output_header(a);
    unit.program = std::string("orbiome ") + kVersion;
    auto const res = classify::profile_sample(clf, s, dir, unit);
    meter.finish([&](double secs) { return progress_line(s.name, last, secs); });
    if (res.n_skipped > 0)
        std::fprintf(stderr, "orbiome profile: warning: %s: skipped %llu malformed fragments (first: %s)\n", s.name.c_str(),
                     static_cast<unsigned long long>(res.n_skipped), res.first_skipped.c_str());
    if (flags.quiet) return;
    double const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "[orbiome profile %.1fs] %s: %llu fragments (%.1f Mbp), %.2f%% classified, %.0f fragments/s\n",
                 secs, s.name.c_str(), static_cast<unsigned long long>(res.n_fragments),
                 static_cast<double>(res.n_bases) / 1e6,
                 res.n_fragments ? 100.0 * static_cast<double>(res.n_classified) / static_cast<double>(res.n_fragments) : 0.0,
                 secs > 0 ? static_cast<double>(res.n_fragments) / secs : 0.0);
}

}  // namespace

int cmd_profile(Args const& a) {
    auto app = make_app(a,
                        "Classify reads against an index (minimizer LCA with a confidence threshold) and estimate "
                        "species abundance by EM. Writes DIR/NAME.kreport (Kraken2 report), DIR/NAME.profile (CAMI "
                        "0.9.1), DIR/NAME.abundance.tsv and, with --per-read, DIR/NAME.reads.tsv.");
    std::string db, reads, reads2, sample, out_dir, sheet;
    classify::ProfileOptions opt;
    bool per_read = false;
    int threads = 1;
    app->add_option("--db", db, "Index built by `orbiome db build`")->required();
    app->add_option("--reads", reads, "FASTQ/FASTA reads (mate 1), plain or gzip; '-' for stdin");
    app->add_option("--reads2", reads2, "Mate 2 file for paired reads");
    app->add_option("--sample", sample, "Sample name (output file prefix)");
    app->add_option("--samplesheet", sheet, "TSV with columns sample, reads[, reads2]; the index is loaded once");
    app->add_option("--out-dir", out_dir, "Output folder (created if missing)")->required();
    app->add_option("--confidence", opt.classify.confidence,
                    "Minimum fraction of a fragment's minimizers in the called clade")->check(CLI::Range(0.0, 1.0));
    app->add_option("--min-hit-groups", opt.classify.min_hit_groups, "Minimizer hits needed to classify a fragment")
        ->check(CLI::NonNegativeNumber);
    app->add_option("--min-species-reads", opt.em.min_reads,
                    "Species with fewer expected reads after EM are dropped and their reads re-assigned")
        ->check(CLI::NonNegativeNumber);
    app->add_flag("--genome-copies", opt.genome_copies, "Divide species abundance by mean genome length");
    app->add_flag("--per-read", per_read, "Also write the Kraken2-style per-read output NAME.reads.tsv");
    app->add_option("--batch-bases", opt.batch_bases, "Bases per pipeline batch (memory per thread)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
    std::string on_invalid = "fail";
    app->add_option("--on-invalid", on_invalid,
                    "A FASTQ record whose quality and sequence lengths differ: 'fail' (stop, the default) or 'skip' "
                    "(drop the fragment, count it and warn); truncation and mates out of step always stop")
        ->check(CLI::IsMember({"fail", "skip"}));
    ProgressFlags progress;
    progress.add_to(*app);
    add_threads(*app, threads);
    if (!parse(*app, a)) return 0;
    opt.n_threads = threads;
    opt.on_invalid = on_invalid == "skip" ? seqio::OnInvalid::skip : seqio::OnInvalid::fail;

    std::vector<seqio::SampleReads> samples;
    if (!sheet.empty()) {
        if (!reads.empty() || !reads2.empty() || !sample.empty())
            throw UsageError("--samplesheet cannot be combined with --reads/--reads2/--sample");
        require_readable(sheet);
        samples = seqio::read_samplesheet(sheet);
    } else {
        if (reads.empty() || sample.empty()) throw UsageError("give --reads and --sample, or --samplesheet");
        samples.push_back({sample, reads, reads2});
    }
    for (auto const& s : samples)
        if (s.name.find('/') != std::string::npos) throw UsageError("sample name '" + s.name + "' contains '/'");
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) throw IoError(Errc::io, out_dir, "cannot create output folder: " + ec.message());

    auto const idx = index::Index::open(db);
    classify::Classifier const clf(idx, opt.classify);
    for (auto const& s : samples) profile_one(a, clf, opt, s, out_dir, per_read, progress);
    return 0;
}

}  // namespace orbiome::cli
