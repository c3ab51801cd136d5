#include "align/search.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <limits>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "align/stats.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::align {

namespace {

constexpr std::uint64_t mix64(std::uint64_t k) noexcept {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

// A seed occurring more often than this in the database is too unspecific to follow
// (low-complexity or repeated domains); its hits are skipped, as DIAMOND masks frequent seeds.
constexpr std::uint32_t kMaxSeedHits = 256;
// Banded extension: diagonals up to this far from the seeded one are explored.
constexpr int kBand = 12;
// Ungapped segments scoring below this (raw) are not extended with gaps.
constexpr int kMinUngapped = 30;
// At most this many proteins per read are aligned with gaps (the best ungapped first).
constexpr std::size_t kMaxGapped = 64;

struct Shape {
    std::vector<int> offsets;  // positions of the '1's
    int span = 0;
};

}  // namespace

std::vector<std::string> default_shapes() {
    // Four spaced shapes of weight 8 (spans 10-12), chosen so that two mismatches rarely hit
    // the same positions of all four.
    return {"1101110111", "11100101111", "110101100111", "11011010111"};
}

struct SeedIndex::Impl {
    std::vector<Shape> shapes;
    int bits = 0;                        // directory: top `bits` bits of the hash
    std::vector<std::uint32_t> directory;  // 2^bits + 1 starts
    std::vector<std::uint32_t> checks;     // low 32 bits of each entry's hash
    std::vector<std::uint32_t> positions;  // residue position of the seed's first letter

    // Seed hash of shape s at `p`, or 0 when the seed holds a non-standard residue.
    std::uint64_t hash_at(Residue const* p, std::size_t s) const noexcept {
        std::uint64_t key = 0;
        for (int o : shapes[s].offsets) {
            std::uint8_t const r = reduced(p[o]);
            if (r == 255) return 0;
            key = key * kReducedSize + r;
        }
        return mix64(key * 8 + s + 1) | 1;
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
    std::size_t approx = std::max<std::size_t>(n * n_shapes / 4, 1);
    x.bits = std::max(4, static_cast<int>(std::bit_width(approx)));
    std::size_t const buckets = std::size_t{1} << x.bits;
    int const shift = 64 - x.bits;
    // Two passes (count, then place) so that the build needs no (hash, position) array.
    std::vector<std::uint32_t> counts(buckets + 1, 0);
    auto for_each_seed = [&](auto&& fn) {
        for (std::size_t s = 0; s < n_shapes; ++s) {
            auto const span = static_cast<std::size_t>(x.shapes[s].span);
            for (std::size_t p = 0; p + span <= n; ++p) {
                std::uint64_t const h = x.hash_at(res.data() + p, s);
                if (h) fn(h, static_cast<std::uint32_t>(p));
            }
        }
    };
    for_each_seed([&](std::uint64_t h, std::uint32_t) { ++counts[(h >> shift) + 1]; });
    for (std::size_t b = 0; b < buckets; ++b) counts[b + 1] += counts[b];
    x.directory = counts;
    x.checks.resize(counts[buckets]);
    x.positions.resize(counts[buckets]);
    for_each_seed([&](std::uint64_t h, std::uint32_t p) {
        auto& c = counts[h >> shift];
        x.checks[c] = static_cast<std::uint32_t>(h);
        x.positions[c] = p;
        ++c;
    });
    // Within a bucket, order by (check, position) so that one seed's hits are contiguous and
    // the search visits them in a fixed order.
    tbb::task_arena arena(std::max(threads, 1));
    arena.execute([&] {
        tbb::parallel_for(std::size_t{0}, buckets, [&](std::size_t b) {
            std::uint32_t const lo = x.directory[b], hi = x.directory[b + 1];
            if (hi - lo < 2) return;
            thread_local std::vector<std::uint64_t> tmp;
            tmp.clear();
            for (std::uint32_t i = lo; i < hi; ++i) tmp.push_back(std::uint64_t{x.checks[i]} << 32 | x.positions[i]);
            std::sort(tmp.begin(), tmp.end());
            for (std::uint32_t i = lo; i < hi; ++i) {
                x.checks[i] = static_cast<std::uint32_t>(tmp[i - lo] >> 32);
                x.positions[i] = static_cast<std::uint32_t>(tmp[i - lo]);
            }
        });
    });
}

SeedIndex::~SeedIndex() = default;

std::size_t SeedIndex::entries() const noexcept { return impl_->positions.size(); }
std::size_t SeedIndex::memory_bytes() const noexcept {
    return (impl_->directory.size() + impl_->checks.size() + impl_->positions.size()) * 4;
}

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
    struct Candidate {
        std::uint32_t subject;
        int frame;
        int ungapped;
        long diag;  // subject offset (within the protein) of query position 0
    };
    std::vector<Candidate> candidates;
    std::vector<std::uint8_t> trace;
    std::vector<int> h, e;
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
    sc.h.assign(static_cast<std::size_t>(width + 2), 0);
    sc.e.assign(static_cast<std::size_t>(width + 2), kNeg);
    std::vector<int>& hprev = sc.h;
    std::vector<int>& fprev = sc.e;  // F (vertical gap) of the row above, per column
    thread_local std::vector<int> hcur, fcur;
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
    thread_local Scratch sc;
    auto const& x = index.impl();
    auto const& res = db.residues();
    six_frames(read, sc.frames);
    sc.diagonals.clear();
    int const shift = 64 - x.bits;
    for (int f = 0; f < 6; ++f) {
        auto const& q = sc.frames[f].residues;
        composition_correction(q, sc.corrections[f]);
        for (std::size_t s = 0; s < x.shapes.size(); ++s) {
            auto const span = static_cast<std::size_t>(x.shapes[s].span);
            for (std::size_t i = 0; i + span <= q.size(); ++i) {
                std::uint64_t const h = x.hash_at(q.data() + i, s);
                if (!h) continue;
                std::uint64_t const b = h >> shift;
                std::uint32_t lo = x.directory[b], hi = x.directory[b + 1];
                auto const check = static_cast<std::uint32_t>(h);
                lo = static_cast<std::uint32_t>(std::lower_bound(x.checks.begin() + lo, x.checks.begin() + hi, check) - x.checks.begin());
                std::uint32_t end = lo;
                while (end < hi && x.checks[end] == check) ++end;
                if (end - lo > kMaxSeedHits) continue;
                for (std::uint32_t k = lo; k < end; ++k)
                    sc.diagonals.push_back(std::uint64_t(f) << 56 | (std::uint64_t{x.positions[k]} + kDiagBias - i));
            }
        }
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
