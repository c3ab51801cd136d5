#include "qc/qc.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <ostream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "qc/trim.hpp"
#include "seqio/fastx_writer.hpp"

namespace orbiome::qc {

namespace {

enum Step : std::size_t { kAdapter, kQuality, kLength, kAmbiguous, kComplexity, kHost, kSteps };
constexpr std::array<char const*, kSteps> kStepNames = {"adapter", "quality", "length", "ambiguous", "complexity", "host"};

// A known adapter found by sequence alone must be compared over this many bases: single reads
// accept a 5-base match at the 3' end (as fastp does; about 0.1 % of reads lose a few bases by
// chance). Paired reads leave read-through to the overlap test, which sees it without guessing
// from a few bases, and search adapters only where the overlap test cannot look: inserts
// shorter than its minimum overlap (adapter dimers).
constexpr std::size_t kMinMatchSingle = 5;
constexpr std::size_t kMinOverlap = 12;

struct Counter {
    std::uint64_t reads_in = 0, reads_out = 0, bases_in = 0, bases_out = 0;
};

struct Slot {
    seqio::ReadBatch b1, b2;
    std::string text1, text2, host1, host2;  // formatted FASTQ of this batch
    std::string gz1, gz2, gzh1, gzh2;        // ... as gzip members
    std::array<Counter, kSteps> counts{};
    std::vector<index::Minimizer> mins;
};

bool is_fastq_batch(seqio::ReadBatch const& b) { return !b.quals.empty() || b.bases.size() == b.size() * seqio::kPad; }

// Illumina 1.3-1.7 wrote phred+64: qualities from '@' (64) up to 'h' (104). Phred+33 data never
// goes beyond 'J' (Q41) on Illumina 1.8+ machines, and always has qualities below '@' (Q31)
// somewhere in a batch of real reads; a batch with neither is taken as phred+64.
void check_encoding(seqio::ReadBatch const& b, std::string const& path) {
    if (b.quals.empty()) return;
    unsigned char lo = 255, hi = 0;
    for (std::size_t i = 0; i < b.size(); ++i)
        for (char c : b.qual(i)) {
            lo = std::min(lo, static_cast<unsigned char>(c));
            hi = std::max(hi, static_cast<unsigned char>(c));
        }
    if (lo >= '@' && hi > 'J')
        throw ParseError(SourceLoc{path}, "qualities look like phred+64 (all >= '@', some > 'J'); only phred+33 is accepted",
                         "convert with `seqtk seq -Q64 -V` or `fastp --phred64`");
}

void check_quals(std::string_view q, seqio::ReadBatch const& b, std::size_t i, std::string const& path) {
    for (char c : q)
        if (c < '!' || c > '~') {
            std::size_t const record = b.first_index + i + 1;
            throw ParseError(SourceLoc{path, 4 * record, record, std::string(b.name(i))},
                             std::string("quality character ") + std::to_string(static_cast<int>(static_cast<unsigned char>(c))) +
                                 " outside phred+33 ('!'..'~')");
        }
}

class Processor {
public:
    Processor(QcOptions const& opt, index::Index const* host, bool paired, std::string r1, std::string r2)
        : opt_(opt), host_(host), paired_(paired), path1_(std::move(r1)), path2_(std::move(r2)) {
        if (opt.builtin_adapters) adapters_ = builtin_adapters();
        adapters_.insert(adapters_.end(), opt.adapters.begin(), opt.adapters.end());
    }

    void process(Slot& s) const {
        s.text1.clear();
        s.text2.clear();
        s.host1.clear();
        s.host2.clear();
        s.counts = {};
        std::size_t const n = s.b1.size();
        std::uint64_t const reads = paired_ ? 2 : 1;
        for (std::size_t i = 0; i < n; ++i) {
            std::string_view const seq1 = s.b1.seq(i), q1 = s.b1.qual(i);
            std::string_view const seq2 = paired_ ? s.b2.seq(i) : std::string_view{};
            std::string_view const q2 = paired_ ? s.b2.qual(i) : std::string_view{};
            check_quals(q1, s.b1, i, path1_);
            if (paired_) check_quals(q2, s.b2, i, path2_);
            std::size_t k1 = seq1.size(), k2 = seq2.size();
            auto enter = [&](Step st) {
                s.counts[st].reads_in += reads;
                s.counts[st].bases_in += k1 + k2;
            };
            auto leave = [&](Step st) {
                s.counts[st].reads_out += reads;
                s.counts[st].bases_out += k1 + k2;
            };

            enter(kAdapter);
            if (paired_ && opt_.pair_overlap)
                if (std::size_t const ins = read_through_insert(seq1, seq2, q1, q2, adapters_, kMinOverlap); ins > 0) {
                    k1 = std::min(k1, ins);
                    k2 = std::min(k2, ins);
                }
            // Without the overlap test (--no-overlap) paired reads are searched like single ones.
            bool const dimers_only = paired_ && opt_.pair_overlap;
            std::size_t const max_pos = dimers_only ? kMinOverlap : static_cast<std::size_t>(-1);
            std::size_t const min_match = dimers_only ? kMinOverlap : kMinMatchSingle;
            for (auto const& a : adapters_) {
                k1 = adapter_start(seq1.substr(0, k1), a, min_match, max_pos);
                if (paired_) k2 = adapter_start(seq2.substr(0, k2), a, min_match, max_pos);
            }
            leave(kAdapter);

            enter(kQuality);
            if (opt_.min_quality > 0) {
                k1 = quality_keep(q1.substr(0, k1));
                if (paired_) k2 = quality_keep(q2.substr(0, k2));
            }
            leave(kQuality);

            std::size_t const min_len = std::max<std::size_t>(opt_.min_length, 1);
            enter(kLength);
            if (k1 < min_len || (paired_ && k2 < min_len)) continue;
            leave(kLength);

            enter(kAmbiguous);
            if (opt_.max_n >= 0) {
                auto const limit = static_cast<std::size_t>(opt_.max_n);
                if (count_ambiguous(seq1.substr(0, k1)) > limit || (paired_ && count_ambiguous(seq2.substr(0, k2)) > limit))
                    continue;
            }
            leave(kAmbiguous);

            enter(kComplexity);
            if (opt_.min_complexity > 0 &&
                (complexity(seq1.substr(0, k1)) < opt_.min_complexity ||
                 (paired_ && complexity(seq2.substr(0, k2)) < opt_.min_complexity)))
                continue;
            leave(kComplexity);

            enter(kHost);
            bool is_host = false;
            if (host_ != nullptr) {
                HostHits h = host_hits(*host_, seq1.substr(0, k1), s.mins);
                if (paired_) h += host_hits(*host_, seq2.substr(0, k2), s.mins);
                is_host = h.host(opt_.host_min_fraction, opt_.host_min_hits);
            }
            std::string& out1 = is_host ? s.host1 : s.text1;
            std::string& out2 = is_host ? s.host2 : s.text2;
            if (!is_host || opt_.write_host) {
                seqio::append_fastq(out1, s.b1.name(i), {}, seq1.substr(0, k1), q1.substr(0, k1));
                if (paired_) seqio::append_fastq(out2, s.b2.name(i), {}, seq2.substr(0, k2), q2.substr(0, k2));
            }
            if (!is_host) leave(kHost);
        }
        compress(s.text1, s.gz1);
        compress(s.text2, s.gz2);
        compress(s.host1, s.gzh1);
        compress(s.host2, s.gzh2);
    }

private:
    std::size_t quality_keep(std::string_view q) const noexcept {
        std::size_t const k = sliding_window_keep(q, opt_.window, opt_.min_quality);
        return k == 0 ? 0 : trailing_keep(q.substr(0, k), opt_.min_quality);
    }
    static void compress(std::string const& text, std::string& gz) {
        gz.clear();
        if (!text.empty()) seqio::gzip_member(text, gz);
    }

    QcOptions const& opt_;
    index::Index const* host_;
    bool paired_;
    std::string path1_, path2_;
    std::vector<std::string> adapters_;
};

void validate(QcInput const& in, QcOptions const& opt) {
    if (in.sample.empty()) throw UsageError("the sample name is empty");
    if (in.sample.find('/') != std::string::npos) throw UsageError("sample name '" + in.sample + "' contains '/'");
    if (in.out_dir.empty()) throw UsageError("the output folder is empty");
    if (opt.window < 1) throw UsageError("--window must be at least 1");
    if (opt.min_quality < 0 || opt.min_quality > 93) throw UsageError("--min-quality must be 0..93");
    if (opt.min_complexity < 0 || opt.min_complexity > 1) throw UsageError("--min-complexity must be in [0, 1]");
    if (opt.host_min_fraction < 0 || opt.host_min_fraction > 1) throw UsageError("host minimizer fraction must be in [0, 1]");
    if (opt.n_threads < 1) throw UsageError("--threads must be at least 1");
    if (opt.batch_bases < 1) throw UsageError("batch size must be at least 1 base");
    if (in.reads.empty()) throw UsageError("no reads given");
    if (!in.reads2.empty() && in.reads2 == in.reads) throw UsageError("--reads and --reads2 are the same file");
}

}  // namespace

HostHits host_hits(index::Index const& host, std::string_view seq, std::vector<index::Minimizer>& mins) {
    mins.clear();
    host.sketcher().sketch(seq, mins);
    HostHits h;
    h.minimizers = static_cast<std::uint32_t>(mins.size());
    for (auto const& m : mins) h.hits += host.lookup(m.key) != 0;
    return h;
}

QcResult run_qc(QcInput const& in, QcOptions const& opt, index::Index const* host, std::string const& tsv_comment) {
    validate(in, opt);
    require_readable(in.reads);
    bool const paired = !in.reads2.empty();
    if (paired) require_readable(in.reads2);
    std::error_code ec;
    std::filesystem::create_directories(in.out_dir, ec);
    if (ec) throw IoError(Errc::io, in.out_dir, "cannot create the output folder: " + ec.message());

    std::string const base = (std::filesystem::path(in.out_dir) / in.sample).string();
    QcResult res;
    std::vector<std::unique_ptr<seqio::FastxWriter>> writers;
    auto open = [&](std::string const& path) {
        writers.push_back(std::make_unique<seqio::FastxWriter>(path, seqio::Compression::gzip));
        return writers.back().get();
    };
    seqio::FastxWriter* w1 = open(base + "_R1.fastq.gz");
    seqio::FastxWriter* w2 = paired ? open(base + "_R2.fastq.gz") : nullptr;
    seqio::FastxWriter* h1 = opt.write_host ? open(base + "_host_R1.fastq.gz") : nullptr;
    seqio::FastxWriter* h2 = opt.write_host && paired ? open(base + "_host_R2.fastq.gz") : nullptr;
    AtomicOutput tsv(base + ".qc.tsv");

    // Each file is read and inflated ahead on its own thread: the pipeline's input stage is
    // serial, and gzip input would otherwise hold the workers up (bench/QC.md).
    seqio::PairedReader reader(in.reads, in.reads2, opt.on_invalid, /*read_ahead=*/true);
    Processor const proc(opt, host, paired, in.reads, in.reads2);
    std::array<Counter, kSteps> total{};
    bool first = true;
    ordered_pipeline<Slot>(
        opt.n_threads,
        [&](Slot& s) {
            if (reader.next_batch(s.b1, s.b2, opt.batch_bases) == 0) return false;
            if (first) {
                if (!is_fastq_batch(s.b1))
                    throw ParseError(SourceLoc{in.reads, 1, 1}, "qc needs FASTQ (base qualities); this is FASTA");
                check_encoding(s.b1, in.reads);
                first = false;
            }
            return true;
        },
        [&](Slot& s) { proc.process(s); },
        [&](Slot& s) {
            w1->write_encoded(s.gz1);
            if (w2) w2->write_encoded(s.gz2);
            if (h1) h1->write_encoded(s.gzh1);
            if (h2) h2->write_encoded(s.gzh2);
            for (std::size_t st = 0; st < kSteps; ++st) {
                total[st].reads_in += s.counts[st].reads_in;
                total[st].reads_out += s.counts[st].reads_out;
                total[st].bases_in += s.counts[st].bases_in;
                total[st].bases_out += s.counts[st].bases_out;
            }
        });

    for (std::size_t st = 0; st < kSteps; ++st)
        res.steps.push_back({kStepNames[st], total[st].reads_in, total[st].reads_out, total[st].bases_in, total[st].bases_out});
    res.steps.push_back({"total", total[kAdapter].reads_in, total[kHost].reads_out, total[kAdapter].bases_in,
                         total[kHost].bases_out});
    res.n_skipped = reader.n_skipped();
    res.first_skipped = reader.first_skipped();
    write_qc_tsv(tsv.stream(), res.steps, tsv_comment);
    for (auto& w : writers) {
        w->commit();
        res.outputs.push_back(w->path());
    }
    tsv.commit();
    res.outputs.push_back(tsv.path());
    return res;
}

std::vector<std::string> read_adapters(std::string const& path) {
    seqio::FastxReader in(path);
    seqio::FastxRecord r;
    std::vector<std::string> out;
    while (in.next(r)) {
        std::string s;
        for (char c : r.seq) {
            char const u = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
            if (u != 'A' && u != 'C' && u != 'G' && u != 'T')
                throw ParseError(SourceLoc{path, in.line(), in.records(), r.name},
                                 std::string("adapter has a base other than ACGT: '") + c + "'");
            s += u;
        }
        if (s.empty()) throw ParseError(SourceLoc{path, in.line(), in.records(), r.name}, "empty adapter sequence");
        out.push_back(std::move(s));
    }
    if (out.empty()) throw ParseError(SourceLoc{path}, "no adapter sequences in the file");
    return out;
}

void write_qc_tsv(std::ostream& os, std::vector<StepCounts> const& steps, std::string const& comment_line) {
    if (!comment_line.empty()) os << comment_line << '\n';
    os << "step\treads_in\treads_out\tbases_in\tbases_out\n";
    for (auto const& s : steps)
        os << s.step << '\t' << s.reads_in << '\t' << s.reads_out << '\t' << s.bases_in << '\t' << s.bases_out << '\n';
}

}  // namespace orbiome::qc
