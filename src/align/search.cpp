#include "align/search.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <limits>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "align/stats.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "index/minimizer.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::align {

namespace {

// A seed occurring more often than this in the database is too unspecific to follow
// (low-complexity or repeated domains); its hits are skipped, as DIAMOND masks frequent seeds.
constexpr std::uint32_t kMaxSeedHits = 256;
// Banded extension: diagonals up to this far from the seeded one are explored.
constexpr int kBand = 8;
// Ungapped segments scoring below this (raw) are not extended with gaps.
constexpr int kMinUngapped = 30;
// At most this many proteins per read are aligned with gaps (the best ungapped first).
constexpr std::size_t kMaxGapped = 64;
// Proteins whose best ungapped segment scores at least this % of the read's best are aligned
// with gaps even beyond --max-target-seqs.
constexpr int kGappedPercent = 75;

// Database positions indexed: every kDbStride-th.
constexpr std::size_t kDbStride = 2;

struct Shape {
    std::vector<int> offsets;  // positions of the '1's
    int span = 0;
};

}  // namespace

std::vector<std::string> default_shapes() {
    // Three spaced shapes of weight 10 (spans 13-14), placed so that two substitutions in a
    // window rarely break all three.
    return {"1110110111011", "11011100101111", "11110010101111"};
}

struct SeedIndex::Impl {
    std::vector<Shape> shapes;
    int bits = 0;                          // directory: top `bits` bits of the hash
    std::vector<std::uint32_t> directory;  // 2^bits + 1 starts into `entries`
    std::vector<std::uint64_t> entries;    // low 32 bits of the seed's hash << 32 | residue position

    // Seed hash of shape s at `p`, or 0 when the seed holds a non-standard residue.
    std::uint64_t hash_at(Residue const* p, std::size_t s) const noexcept {
        std::uint64_t key = 0;
        for (int o : shapes[s].offsets) {
            std::uint8_t const r = reduced(p[o]);
            if (r == 255) return 0;
            key = key * kReducedSize + r;
        }
        return index::hash_kmer(key * 8 + s + 1, 0) | 1;  // murmur3 fmix64, as the minimizer index
    }
};

SeedIndex::SeedIndex(ProteinDb const& db, std::vector<std::string> shapes, int threads) : impl_(std::make_unique<Impl>()) {
    auto& x = *impl_;
    for (auto const& s : shapes) {
        Shape sh;
        for (int i = 0; i < static_cast<int>(s.size()); ++i)
            if (s[static_cast<std::size_t>(i)] == '1') sh.offsets.push_back(i);
        sh.span = static_cast<int>(s.size());
        x.shapes.push_back(std::move(sh));
    }
    auto const& res = db.residues();
    std::size_t const n = res.size();
    std::size_t const n_shapes = x.shapes.size();
    // Only every kDbStride-th database position is indexed: a homologous read region has
    // seed matches at many positions, so it is still found, with half the memory and build.
    std::size_t approx = std::max<std::size_t>(n * n_shapes / kDbStride / 4, 1);
    x.bits = std::max(4, static_cast<int>(std::bit_width(approx)));
    std::size_t const buckets = std::size_t{1} << x.bits;
    int const shift = 64 - x.bits;
    // Two passes (count, then place) so that the build needs no (hash, position) array.
    std::vector<std::uint32_t> counts(buckets + 1, 0);
    auto for_each_seed = [&](auto&& fn) {
        for (std::size_t s = 0; s < n_shapes; ++s) {
            auto const span = static_cast<std::size_t>(x.shapes[s].span);
            for (std::size_t p = 0; p + span <= n; p += kDbStride) {
                std::uint64_t const h = x.hash_at(res.data() + p, s);
                if (h) fn(h, static_cast<std::uint32_t>(p));
            }
        }
    };
    for_each_seed([&](std::uint64_t h, std::uint32_t) { ++counts[(h >> shift) + 1]; });
    for (std::size_t b = 0; b < buckets; ++b) counts[b + 1] += counts[b];
    x.directory = counts;
    x.entries.resize(counts[buckets]);
    for_each_seed([&](std::uint64_t h, std::uint32_t p) { x.entries[counts[h >> shift]++] = (h << 32) | p; });
    // Within a bucket, order by (check, position) so that one seed's hits are contiguous and
    // the search visits them in a fixed order.
    tbb::task_arena arena(std::max(threads, 1));
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets, 4096), [&](tbb::blocked_range<std::size_t> const& r) {
            for (std::size_t b = r.begin(); b != r.end(); ++b)
                std::sort(x.entries.begin() + x.directory[b], x.entries.begin() + x.directory[b + 1]);
        });
    });
}

SeedIndex::~SeedIndex() = default;

std::size_t SeedIndex::entries() const noexcept { return impl_->entries.size(); }
std::size_t SeedIndex::memory_bytes() const noexcept { return impl_->directory.size() * 4 + impl_->entries.size() * 8; }

void AlignOptions::validate() const {
    if (!(max_evalue > 0)) throw UsageError("--evalue must be > 0");
    if (min_identity < 0 || min_identity > 100) throw UsageError("--min-identity must be in [0, 100]");
    if (max_target_seqs < 1) throw UsageError("--max-target-seqs must be >= 1");
    if (top > 100) throw UsageError("--top must be in [0, 100]");
    if (threads < 1) throw UsageError("--threads must be >= 1");
}

namespace {

// Per-thread scratch of one read's search.
struct Scratch {
    std::array<Frame, 6> frames;
    std::array<std::vector<int>, 6> corrections;
    std::vector<std::uint64_t> diagonals;  // frame << 56 | (subject position of query 0 + kDiagBias)
    struct Seed {
        std::uint64_t hash;
        std::uint32_t i;
        int frame;
    };
    std::vector<Seed> seeds;
    struct Candidate {
        std::uint32_t subject;
        int frame;
        int ungapped;
        long diag;  // subject offset (within the protein) of query position 0
    };
    std::vector<Candidate> candidates;
    std::vector<std::uint8_t> trace;
    std::vector<int> hprev, fprev, hcur, fcur;
};
constexpr std::uint64_t kDiagBias = 1u << 20;

int substitution(Residue q, Residue s, int corr) noexcept {
    int const b = blosum62(q, s);
    return s == kDelimiter ? b : b + corr;
}

// Best-scoring ungapped segment of `q` on the database diagonal whose query position 0 sits
// at residue `start` (may be before the array: those columns count as delimiters).
int ungapped(std::vector<Residue> const& q, std::vector<int> const& corr, std::vector<Residue> const& res, long start,
             int* best_end) {
    int best = 0, run = 0;
    *best_end = -1;
    long const n = static_cast<long>(res.size());
    for (std::size_t i = 0; i < q.size(); ++i) {
        long const p = start + static_cast<long>(i);
        Residue const s = (p < 0 || p >= n) ? kDelimiter : res[static_cast<std::size_t>(p)];
        run = std::max(0, run + substitution(q[i], s, corr[i]));
        if (run > best) {
            best = run;
            *best_end = static_cast<int>(i);
        }
    }
    return best;
}

// Trace bits of a cell: 2 bits of where H came from (0 stop, 1 diagonal, 2 E, 3 F), then
// whether E and F extended an open gap.
constexpr std::uint8_t kFromDiag = 1, kFromE = 2, kFromF = 3, kEExtend = 4, kFExtend = 8;

// Banded local alignment of query frame `q` with protein `s` around diagonal `diag`
// (subject offset of query position 0). Fills the hit's score and alignment fields.
bool banded_align(std::vector<Residue> const& q, std::vector<int> const& corr, Residue const* s, long slen,
                  long diag, Scratch& sc, Hit& hit) {
    long const m = static_cast<long>(q.size());
    int const width = 2 * kBand + 1;
    constexpr int kNeg = std::numeric_limits<int>::min() / 4;
    sc.trace.assign(static_cast<std::size_t>(m * width), 0);
    // Rows are query positions; column c of row i is subject position j = i + diag - kBand + c.
    sc.hprev.assign(static_cast<std::size_t>(width + 2), 0);
    sc.fprev.assign(static_cast<std::size_t>(width + 2), kNeg);  // F (vertical gap) of the row above
    std::vector<int>& hprev = sc.hprev;
    std::vector<int>& fprev = sc.fprev;
    std::vector<int>& hcur = sc.hcur;
    std::vector<int>& fcur = sc.fcur;
    hcur.assign(static_cast<std::size_t>(width + 2), 0);
    fcur.assign(static_cast<std::size_t>(width + 2), kNeg);
    int best = 0;
    long bi = -1, bc = -1;
    int const open = kGapOpen + kGapExtend, ext = kGapExtend;
    for (long i = 0; i < m; ++i) {
        int e = kNeg;  // E: horizontal gap (gap in the query), along the row
        for (int c = 0; c < width; ++c) {
            long const j = i + diag - kBand + c;
            std::uint8_t tr = 0;
            if (j < 0 || j >= slen) {
                hcur[c + 1] = 0;
                fcur[c + 1] = kNeg;
                e = kNeg;
                sc.trace[static_cast<std::size_t>(i * width + c)] = 0;
                continue;
            }
            // Diagonal predecessor (i-1, j-1) is column c of the previous row; vertical (i-1, j)
            // is column c+1 of the previous row; horizontal (i, j-1) is column c-1 of this row.
            int const diag_h = (i > 0) ? hprev[c + 1] : 0;
            int const up_h = (i > 0 && c + 1 < width) ? hprev[c + 2] : kNeg;
            int const up_f = (i > 0 && c + 1 < width) ? fprev[c + 2] : kNeg;
            int const f_open = up_h - open, f_ext = up_f - ext;
            int const f = std::max(f_open, f_ext);
            if (f_ext > f_open) tr |= kFExtend;
            int const left_h = c > 0 ? hcur[c] : kNeg;
            int const e_open = left_h - open, e_ext = e - ext;
            e = std::max(e_open, e_ext);
            if (e_ext > e_open) tr |= kEExtend;
            int const d = diag_h + substitution(q[static_cast<std::size_t>(i)], s[j], corr[static_cast<std::size_t>(i)]);
            int hv = 0;
            std::uint8_t from = 0;
            if (d > hv) { hv = d; from = kFromDiag; }
            if (e > hv) { hv = e; from = kFromE; }
            if (f > hv) { hv = f; from = kFromF; }
            hcur[c + 1] = hv;
            fcur[c + 1] = f;
            sc.trace[static_cast<std::size_t>(i * width + c)] = static_cast<std::uint8_t>(tr | from);
            if (hv > best) {
                best = hv;
                bi = i;
                bc = c;
            }
        }
        std::swap(hprev, hcur);
        std::swap(fprev, fcur);
    }
    if (best <= 0) return false;
    // Traceback from the best cell.
    long i = bi, c = bc;
    int state = 0;  // 0 = H, 1 = in E (horizontal), 2 = in F (vertical)
    int length = 0, matches = 0, mismatches = 0, opens = 0;
    long qi_end = bi, sj_end = bi + diag - kBand + bc, qi_start = bi, sj_start = sj_end;
    while (i >= 0) {
        std::uint8_t const tr = sc.trace[static_cast<std::size_t>(i * width + c)];
        long const j = i + diag - kBand + c;
        if (state == 0) {
            int const from = tr & 3;
            if (from == 0) break;
            if (from == kFromDiag) {
                ++length;
                if (q[static_cast<std::size_t>(i)] == s[j]) ++matches;
                else ++mismatches;
                qi_start = i;
                sj_start = j;
                --i;  // same column c in the previous row
                continue;
            }
            state = from == kFromE ? 1 : 2;
            continue;
        }
        if (state == 1) {  // gap in the query: consume subject j
            ++length;
            bool const extended = tr & kEExtend;
            --c;
            if (!extended) {
                ++opens;
                state = 0;
            }
            continue;
        }
        // state 2: gap in the subject: consume query i
        ++length;
        bool const extended = tr & kFExtend;
        --i;
        ++c;
        if (!extended) {
            ++opens;
            state = 0;
        }
    }
    hit.raw_score = best;
    hit.length = length;
    hit.matches = matches;
    hit.mismatches = mismatches;
    hit.gap_opens = opens;
    hit.qstart = qi_start;  // frame residues for now; mapped to read bases by the caller
    hit.qend = qi_end;
    hit.sstart = static_cast<std::uint32_t>(sj_start + 1);
    hit.send = static_cast<std::uint32_t>(sj_end + 1);
    return true;
}

}  // namespace

std::vector<Hit> search_read(ProteinDb const& db, SeedIndex const& index, std::string_view read, AlignOptions const& opt) {
    thread_local Scratch scratch;
    Scratch& sc = scratch;
    auto const& x = index.impl();
    auto const& res = db.residues();
    six_frames(read, sc.frames);
    sc.diagonals.clear();
    sc.seeds.clear();
    int const shift = 64 - x.bits;
    // Phase 1: every seed of every frame, prefetching its directory slot; phase 2 reads the
    // buckets. The lookups are memory-bound, so issuing them together hides the latency.
    for (int f = 0; f < 6; ++f) {
        auto const& q = sc.frames[f].residues;
        composition_correction(q, sc.corrections[f]);
        for (std::size_t s = 0; s < x.shapes.size(); ++s) {
            auto const span = static_cast<std::size_t>(x.shapes[s].span);
            for (std::size_t i = 0; i + span <= q.size(); ++i) {
                std::uint64_t const h = x.hash_at(q.data() + i, s);
                if (!h) continue;
                __builtin_prefetch(x.directory.data() + (h >> shift));
                sc.seeds.push_back({h, static_cast<std::uint32_t>(i), f});
            }
        }
    }
    for (auto const& seed : sc.seeds) __builtin_prefetch(x.entries.data() + x.directory[seed.hash >> shift]);
    for (auto const& seed : sc.seeds) {
        std::uint64_t const b = seed.hash >> shift;
        auto const* first = x.entries.data() + x.directory[b];
        auto const* last = x.entries.data() + x.directory[b + 1];
        std::uint64_t const check = seed.hash << 32;
        auto const* it = std::lower_bound(first, last, check);
        auto const* end = it;
        while (end < last && (*end >> 32) == (check >> 32)) ++end;
        if (static_cast<std::size_t>(end - it) > kMaxSeedHits) continue;
        for (; it < end; ++it)
            sc.diagonals.push_back(std::uint64_t(seed.frame) << 56 | ((*it & 0xffffffffULL) + kDiagBias - seed.i));
    }
    std::sort(sc.diagonals.begin(), sc.diagonals.end());
    sc.diagonals.erase(std::unique(sc.diagonals.begin(), sc.diagonals.end()), sc.diagonals.end());
    sc.candidates.clear();
    for (std::uint64_t const d : sc.diagonals) {
        int const f = static_cast<int>(d >> 56);
        long const start = static_cast<long>(d & ((std::uint64_t{1} << 56) - 1)) - static_cast<long>(kDiagBias);
        int end = -1;
        int const score = ungapped(sc.frames[f].residues, sc.corrections[f], res, start, &end);
        if (score < kMinUngapped) continue;
        auto const subject = static_cast<std::uint32_t>(db.protein_at(static_cast<std::uint32_t>(start + end)));
        sc.candidates.push_back({subject, f, score, start - static_cast<long>(db.offset(subject))});
    }
    // Best diagonal per (protein, frame), then the best proteins first.
    std::sort(sc.candidates.begin(), sc.candidates.end(), [](auto const& a, auto const& b) {
        if (a.subject != b.subject) return a.subject < b.subject;
        if (a.frame != b.frame) return a.frame < b.frame;
        if (a.ungapped != b.ungapped) return a.ungapped > b.ungapped;
        return a.diag < b.diag;
    });
    sc.candidates.erase(std::unique(sc.candidates.begin(), sc.candidates.end(),
                                    [](auto const& a, auto const& b) { return a.subject == b.subject && a.frame == b.frame; }),
                        sc.candidates.end());
    std::stable_sort(sc.candidates.begin(), sc.candidates.end(), [](auto const& a, auto const& b) { return a.ungapped > b.ungapped; });
    if (sc.candidates.size() > kMaxGapped) sc.candidates.resize(kMaxGapped);
    // Gaps can join segments, but a protein whose best segment scores far below the read's
    // best one cannot overtake it: only those within kGappedPercent are aligned with gaps,
    // plus enough others to fill --max-target-seqs.
    if (!sc.candidates.empty()) {
        int const floor = sc.candidates.front().ungapped * kGappedPercent / 100;
        std::size_t keep = 0;
        while (keep < sc.candidates.size() &&
               (sc.candidates[keep].ungapped >= floor || (opt.top < 0 && keep < static_cast<std::size_t>(opt.max_target_seqs))))
            ++keep;
        sc.candidates.resize(keep);
    }

    std::vector<Hit> hits;
    for (auto const& cand : sc.candidates) {
        auto const& q = sc.frames[cand.frame].residues;
        Hit hit;
        Residue const* s = res.data() + db.offset(cand.subject);
        long const slen = db.length(cand.subject);
        if (!banded_align(q, sc.corrections[cand.frame], s, slen, cand.diag, sc, hit)) continue;
        hit.subject = cand.subject;
        hit.evalue = evalue(hit.raw_score, q.size(), static_cast<std::size_t>(slen), db.letters());
        if (hit.evalue > opt.max_evalue) continue;
        if (hit.identity() < opt.min_identity) continue;
        hit.bits = bit_score(hit.raw_score);
        auto const [qs, qe] = read_coordinates(cand.frame, static_cast<std::size_t>(hit.qstart), static_cast<std::size_t>(hit.qend), read.size());
        hit.qstart = qs;
        hit.qend = qe;
        hits.push_back(hit);
    }
    // One alignment per protein (its best frame), best first; ties by database order.
    std::sort(hits.begin(), hits.end(), [](Hit const& a, Hit const& b) {
        if (a.subject != b.subject) return a.subject < b.subject;
        return a.raw_score > b.raw_score;
    });
    hits.erase(std::unique(hits.begin(), hits.end(), [](Hit const& a, Hit const& b) { return a.subject == b.subject; }), hits.end());
    std::stable_sort(hits.begin(), hits.end(), [](Hit const& a, Hit const& b) { return a.raw_score > b.raw_score; });
    if (!hits.empty() && opt.top >= 0) {
        double const floor = hits.front().bits * (1.0 - opt.top / 100.0);
        hits.erase(std::find_if(hits.begin(), hits.end(), [&](Hit const& h) { return h.bits < floor; }), hits.end());
    } else if (hits.size() > static_cast<std::size_t>(opt.max_target_seqs)) {
        hits.resize(static_cast<std::size_t>(opt.max_target_seqs));
    }
    return hits;
}

void format_hits(std::string_view query_name, std::vector<Hit> const& hits, ProteinDb const& db, std::string& out) {
    char buf[256];
    for (auto const& h : hits) {
        out.append(query_name);
        out.push_back('\t');
        out.append(db.name(h.subject));
        int const n = std::snprintf(buf, sizeof buf, "\t%.1f\t%d\t%d\t%d\t%ld\t%ld\t%u\t%u\t%.2e\t%.1f\n", h.identity(), h.length,
                                    h.mismatches, h.gap_opens, h.qstart, h.qend, h.sstart, h.send, h.evalue, h.bits);
        out.append(buf, static_cast<std::size_t>(n));
    }
}

AlignSummary align_reads(ProteinDb const& db, SeedIndex const& index, std::string const& reads1, std::string const& reads2,
                         std::string const& out_path, AlignOptions const& opt) {
    opt.validate();
    seqio::PairedReader reader(reads1, reads2, seqio::OnInvalid::fail, true);
    AtomicOutput out(out_path);
    AlignSummary sum;
    struct Slot {
        seqio::ReadBatch b1, b2;
        std::string text;
        std::uint64_t reads = 0, aligned = 0, hits = 0;
    };
    constexpr std::size_t kBatchBases = 1 << 18;
    auto run_one = [&](Slot& slot, std::string_view name, std::string_view seq) {
        auto const hits = search_read(db, index, seq, opt);
        ++slot.reads;
        if (hits.empty()) return;
        ++slot.aligned;
        slot.hits += hits.size();
        format_hits(name, hits, db, slot.text);
    };
    ordered_pipeline<Slot>(
        opt.threads, [&](Slot& slot) { return reader.next_batch(slot.b1, slot.b2, kBatchBases) > 0; },
        [&](Slot& slot) {
            slot.text.clear();
            slot.reads = slot.aligned = slot.hits = 0;
            for (std::size_t i = 0; i < slot.b1.size(); ++i) {
                run_one(slot, slot.b1.name(i), slot.b1.seq(i));
                if (reader.paired()) run_one(slot, slot.b2.name(i), slot.b2.seq(i));
            }
        },
        [&](Slot& slot) {
            out.stream() << slot.text;
            sum.reads += slot.reads;
            sum.aligned += slot.aligned;
            sum.hits += slot.hits;
            if (opt.on_progress) opt.on_progress(sum.reads, sum.aligned);
        });
    out.commit();
    return sum;
}

}  // namespace orbiome::align
