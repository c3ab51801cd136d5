#include "function/profile.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <set>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "function/text_input.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::function {

namespace {

constexpr int kK = 15;                       // seed length
constexpr std::uint32_t kMaxOcc = 64;        // seeds more frequent than this are skipped
constexpr std::uint32_t kMask = (1u << (2 * kK)) - 1;

/// Base codes A C G T -> 0..3, anything else -1 (a table: the mapper asks this per base).
constexpr std::array<std::int8_t, 256> kCode = [] {
    std::array<std::int8_t, 256> t{};
    t.fill(-1);
    t['A'] = t['a'] = 0;
    t['C'] = t['c'] = 1;
    t['G'] = t['g'] = 2;
    t['T'] = t['t'] = 3;
    return t;
}();
int code(char c) { return kCode[static_cast<unsigned char>(c)]; }

/// Asks the kernel for huge pages over [p, p + n) before it is first touched: every read looks
/// up ~170 random seeds in tables of tens of MB, and with 4 KiB pages most lookups also miss the
/// TLB. Only a hint: where refused, nothing changes but speed.
void advise_huge_pages(void* p, std::size_t n) {
    auto const page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    auto const b = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page * page;
    auto const e = (reinterpret_cast<std::uintptr_t>(p) + n) / page * page;
    if (e > b) (void)madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
}

/// Seeds of the selected genes: every 2nd position's 15-mer (reads query every position, so a
/// 16-base exact match always hits), sorted for binary search.
struct SeedIndex {
    std::string ref;                         // genes concatenated, separated by one 'N'
    std::vector<std::uint32_t> gene_start;   // start of gene i in ref (plus a final sentinel)
    std::vector<std::size_t> gene_id;        // db index of gene i
    std::vector<std::uint64_t> seeds;        // (kmer << 32) | position
    std::vector<std::uint32_t> bucket;       // first seed whose kmer >> kBucketShift is >= b
};
constexpr int kBucketShift = 2 * kK - 20;    // 2^20 buckets on a k-mer's leading 10 bases

SeedIndex build_index(FunctionDb const& db, std::vector<std::size_t> const& genes, int threads) {
    SeedIndex ix;
    for (std::size_t g : genes) {
        ix.gene_start.push_back(static_cast<std::uint32_t>(ix.ref.size()));
        ix.gene_id.push_back(g);
        ix.ref += db.seqs[g];
        ix.ref += 'N';
    }
    ix.gene_start.push_back(static_cast<std::uint32_t>(ix.ref.size()));
    // Two passes over the genes: count seeds per bucket (a k-mer's leading 10 bases), then place
    // them, so only each small bucket needs sorting (a counting sort; 5 M seeds for B. dorei).
    // Both passes run on contiguous chunks of the reference in parallel, each chunk with its own
    // counts, so chunk c places its seeds after those of chunks < c in every bucket.
    constexpr std::size_t kBuckets = std::size_t{1} << 20;
    std::size_t const n_chunks = static_cast<std::size_t>(std::clamp(threads, 1, 4));
    std::size_t const chunk_len = (ix.ref.size() + n_chunks - 1) / n_chunks;
    // Seeds starting in [from, to): every 2nd position's k-mer of valid bases.
    auto for_each_seed = [&](std::size_t from, std::size_t to, auto&& f) {
        std::uint32_t kmer = 0;
        int valid = 0;
        std::size_t const end = std::min(ix.ref.size(), to + kK - 1);
        for (std::size_t i = from; i < end; ++i) {
            int const c = code(ix.ref[i]);
            if (c < 0) {
                valid = 0;
                continue;
            }
            kmer = ((kmer << 2) | static_cast<std::uint32_t>(c)) & kMask;
            if (++valid >= kK && (i + 1 - kK) % 2 == 0) f(kmer, static_cast<std::uint32_t>(i + 1 - kK));
        }
    };
    std::vector<std::vector<std::uint32_t>> counts(n_chunks);
    parallel_for(n_chunks, threads, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t c = c0; c < c1; ++c) {
            counts[c].assign(kBuckets, 0);
            auto& n = counts[c];
            for_each_seed(c * chunk_len, (c + 1) * chunk_len,
                          [&n](std::uint32_t kmer, std::uint32_t) { ++n[kmer >> kBucketShift]; });
        }
    });
    ix.bucket.reserve(kBuckets + 1);
    advise_huge_pages(ix.bucket.data(), (kBuckets + 1) * sizeof(std::uint32_t));
    ix.bucket.assign(kBuckets + 1, 0);
    for (std::size_t b = 0; b < kBuckets; ++b) {
        std::uint32_t at = ix.bucket[b];
        for (auto& n : counts) {  // counts become each chunk's next free slot per bucket
            std::uint32_t const k = n[b];
            n[b] = at;
            at += k;
        }
        ix.bucket[b + 1] = at;
    }
    ix.seeds.reserve(ix.bucket[kBuckets]);
    advise_huge_pages(ix.seeds.data(), ix.bucket[kBuckets] * sizeof(std::uint64_t));
    ix.seeds.resize(ix.bucket[kBuckets]);
    parallel_for(n_chunks, threads, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t c = c0; c < c1; ++c) {
            auto& next = counts[c];
            for_each_seed(c * chunk_len, (c + 1) * chunk_len, [&](std::uint32_t kmer, std::uint32_t pos) {
                ix.seeds[next[kmer >> kBucketShift]++] = (static_cast<std::uint64_t>(kmer) << 32) | pos;
            });
        }
    });
    counts = {};
    // Seeds are distinct (the position is part of the key), so the order is the same for any
    // thread count.
    parallel_for(kBuckets, threads, [&](std::size_t b0, std::size_t b1) {
        for (std::size_t b = b0; b < b1; ++b)
            std::sort(ix.seeds.begin() + ix.bucket[b], ix.seeds.begin() + ix.bucket[b + 1]);
    }, 4096);
    return ix;
}

char complement(char c) {
    switch (c) {
        case 'A': return 'T';
        case 'C': return 'G';
        case 'G': return 'C';
        case 'T': return 'A';
        case 'a': return 't';
        case 'c': return 'g';
        case 'g': return 'c';
        case 't': return 'a';
        default: return 'N';
    }
}

struct Hit {
    bool ok = false;
    int score = std::numeric_limits<int>::min();
    std::size_t gene = 0;        // index into SeedIndex genes
    long long pos = 0;           // 1-based within the gene
    long long span = 0;
    long long matches = 0;
    long long columns = 0;  // aligned length: CIGAR M + I + D
};

/// bowtie2's mismatch penalty for a base of quality q (MX=6, MN=2), N penalty 1.
int mismatch_penalty(char qual) {
    int q = qual ? qual - 33 : 40;
    q = std::clamp(q, 0, 40);
    return 2 + (4 * q) / 40;
}

/// Whether a diagonal within kBand of `d` (and inside [r0, r1)) matches the read exactly over 20
/// bases starting at a bowtie2 seed offset. gapped_hit's traceback accepts a hit only through
/// such a run, so without one its alignment cannot count: skipping it changes no result and
/// spares the dynamic programme for reads of other species (most reads that reach it).
constexpr long long kBand = 8;
constexpr long long kSeedLen = 20;
bool seed_in_band(SeedIndex const& ix, std::string_view s, long long d, long long r0, long long r1,
                  long long seed_interval) {
    long long const n = static_cast<long long>(s.size());
    for (long long o = 0; o + kSeedLen <= n; o += seed_interval)
        for (long long k = -kBand; k <= kBand; ++k) {
            long long const p = d + k + o;
            if (p < r0 || p + kSeedLen > r1) continue;
            long long t = 0;
            while (t < kSeedLen) {
                int const a = code(s[static_cast<std::size_t>(o + t)]);
                if (a < 0 || a != code(ix.ref[static_cast<std::size_t>(p + t)])) break;
                ++t;
            }
            if (t == kSeedLen) return true;
        }
    return false;
}

/// End-to-end gapped alignment of the oriented read `s` around diagonal `d` (band kBand) inside
/// gene [gs, ge), with bowtie2's scores: mismatch by quality, N 1, gap open 5 + 3 per base in
/// read and reference (--rdg/--rfg 5,3), no gap within 4 bases of the read's ends (--gbar 4).
/// Returns a hit when it reaches `min_score` and holds an exact 20-mer at a seed offset.
Hit gapped_hit(SeedIndex const& ix, std::string_view s, std::string_view q, long long d, long long gs, long long ge,
               std::size_t g, int min_score, long long seed_interval) {
    long long const n = static_cast<long long>(s.size());
    long long const r0 = std::max(gs, d - kBand), r1 = std::min(ge, d + n + kBand);
    if (r1 - r0 < n - kBand) return {};
    if (!seed_in_band(ix, s, d, r0, r1, seed_interval)) return {};
    long long const m = r1 - r0;
    constexpr int kNeg = -1000000;
    // Banded storage: row i keeps columns j = i + (d - r0) + k for k in [-kBand, kBand] at
    // k + kBand + 1, with one never-written (kNeg) cell each side, so the neighbours of a band
    // cell need no bounds test; cells outside the window stay kNeg. Buffers are reused per thread.
    constexpr long long kWidth = 2 * kBand + 3;
    std::size_t const cells = static_cast<std::size_t>((n + 1) * kWidth);
    thread_local std::vector<int> M, I, D, H;
    for (auto* v : {&M, &I, &D, &H}) v->assign(cells, kNeg);
    long long const shift = d - r0;
    auto in_band = [&](long long i, long long j) {
        long long const k = j - i - shift;
        return i >= 0 && i <= n && j >= 0 && j <= m && k >= -kBand && k <= kBand;
    };
    auto at = [&](long long i, long long j) {
        return static_cast<std::size_t>(i * kWidth + (j - i - shift + kBand + 1));
    };
    auto get = [&](std::vector<int> const& v, long long i, long long j) { return in_band(i, j) ? v[at(i, j)] : kNeg; };
    for (long long j = 0; j <= m; ++j)
        if (in_band(0, j)) H[at(0, j)] = 0;
    for (long long i = 1; i <= n; ++i) {
        bool const gap_ok = i > 4 && i < n - 4;
        long long const centre = i + shift;  // column of read base i on the seed diagonal
        long long const k0 = std::max(1 - centre, -kBand), k1 = std::min(m - centre, kBand);
        int const a = code(s[static_cast<std::size_t>(i - 1)]);
        int const pen = mismatch_penalty(q.empty() ? 'I' : q[static_cast<std::size_t>(i - 1)]);
        std::size_t const row = static_cast<std::size_t>(i * kWidth + kBand + 1), prev = row - kWidth;
        for (long long k = k0; k <= k1; ++k) {
            std::size_t const c = row + static_cast<std::size_t>(k), p = prev + static_cast<std::size_t>(k);
            int const b = code(ix.ref[static_cast<std::size_t>(r0 + centre + k - 1)]);
            int const sub = (a < 0 || b < 0) ? -1 : a == b ? 0 : -pen;
            int const diag = H[p];
            if (diag > kNeg) M[c] = diag + sub;
            if (gap_ok) {
                int const up = H[p + 1], upI = I[p + 1];
                int const left = H[c - 1], leftD = D[c - 1];
                I[c] = std::max(up > kNeg ? up - 8 : kNeg, upI > kNeg ? upI - 3 : kNeg);
                D[c] = std::max(left > kNeg ? left - 8 : kNeg, leftD > kNeg ? leftD - 3 : kNeg);
            }
            H[c] = std::max({M[c], I[c], D[c]});
        }
    }
    long long bj = -1;
    int best = kNeg;
    for (long long j = 1; j <= m; ++j)
        if (get(M, n, j) > best) {
            best = get(M, n, j);
            bj = j;
        }
    if (bj < 0 || best < min_score) return {};
    // Trace back: count matches, aligned columns, reference span; find the seed.
    long long i = n, j = bj, matches = 0, cols = 0, span = 0, run = 0;
    bool seeded = false;
    int state = 0;  // 0 = M, 1 = I, 2 = D
    while (i > 0) {
        if (state == 0) {
            char const a = s[static_cast<std::size_t>(i - 1)], b = ix.ref[static_cast<std::size_t>(r0 + j - 1)];
            bool const same = code(a) >= 0 && code(a) == code(b);
            matches += same;
            run = same ? run + 1 : 0;
            if (run >= 20 && (i - 1) % seed_interval == 0) seeded = true;
            ++cols;
            ++span;
            int const prev = get(H, i - 1, j - 1);
            --i;
            --j;
            if (i == 0) break;
            state = prev == get(M, i, j) ? 0 : prev == get(I, i, j) ? 1 : 2;
        } else if (state == 1) {
            ++cols;
            run = 0;
            int const cur = get(I, i, j);
            --i;
            state = (get(H, i, j) > kNeg && cur == get(H, i, j) - 8) ? (get(H, i, j) == get(M, i, j) ? 0 : 2) : 1;
        } else {
            ++cols;
            ++span;
            run = 0;
            int const cur = get(D, i, j);
            --j;
            state = (get(H, i, j) > kNeg && cur == get(H, i, j) - 8) ? (get(H, i, j) == get(M, i, j) ? 0 : 1) : 2;
        }
    }
    if (!seeded) return {};
    return Hit{true, best, g, r0 + j - gs + 1, span, matches, cols};
}

Hit best_hit(SeedIndex const& ix, std::string_view seq, std::string_view qual) {
    Hit best;
    long long const len = static_cast<long long>(seq.size());
    if (len < kK) return best;
    int const min_score = static_cast<int>(std::floor(-0.6 - 0.6 * static_cast<double>(len) + 1e-9));
    long long const seed_interval =
        std::max<long long>(1, static_cast<long long>(1.0 + 0.5 * std::sqrt(static_cast<double>(len)) + 0.5));
    // Per-thread buffers: a read allocates nothing.
    thread_local std::string rc, rq;
    rc.assign(seq.rbegin(), seq.rend());
    for (auto& c : rc) c = complement(c);
    rq.assign(qual.rbegin(), qual.rend());
    thread_local std::vector<long long> diags;
    struct Tried {
        int strand;
        long long d, gs, ge;
        std::size_t g;
    };
    thread_local std::vector<Tried> tried;
    tried.clear();
    struct Probe {
        std::uint32_t kmer;
        long long start;
        std::uint32_t b0, b1;
    };
    thread_local std::vector<Probe> probes;
    thread_local std::vector<std::pair<int, long long>> cand;
    for (int strand = 0; strand < 2; ++strand) {
        std::string_view const s = strand == 0 ? seq : std::string_view(rc);
        std::string_view const q = strand == 0 ? qual : std::string_view(rq);
        diags.clear();
        // The seed table is far larger than the caches: every k-mer's bucket, then its first
        // seed, is fetched ahead of the searches so that the misses overlap.
        probes.clear();
        std::uint32_t kmer = 0;
        int valid = 0;
        for (long long i = 0; i < len; ++i) {
            int const c = code(s[static_cast<std::size_t>(i)]);
            if (c < 0) {
                valid = 0;
                continue;
            }
            kmer = ((kmer << 2) | static_cast<std::uint32_t>(c)) & kMask;
            if (++valid < kK) continue;
            probes.push_back(Probe{kmer, i + 1 - kK, 0, 0});
            __builtin_prefetch(&ix.bucket[kmer >> kBucketShift]);
        }
        for (auto& p : probes) {
            std::size_t const b = p.kmer >> kBucketShift;
            p.b0 = ix.bucket[b];
            p.b1 = ix.bucket[b + 1];
            if (p.b0 != p.b1) __builtin_prefetch(&ix.seeds[p.b0]);
        }
        for (auto const& p : probes) {
            auto const b0 = ix.seeds.begin() + p.b0, b1 = ix.seeds.begin() + p.b1;
            auto const lo = std::lower_bound(b0, b1, static_cast<std::uint64_t>(p.kmer) << 32);
            auto const hi = std::lower_bound(lo, b1, (static_cast<std::uint64_t>(p.kmer) + 1) << 32);
            if (hi - lo > static_cast<std::ptrdiff_t>(kMaxOcc)) continue;
            for (auto it = lo; it != hi; ++it)
                diags.push_back(static_cast<long long>(*it & 0xffffffffULL) - p.start);
        }
        if (diags.empty()) continue;
        std::sort(diags.begin(), diags.end());
        // Candidate diagonals: the distinct ones, best supported first (at most 8 tried).
        cand.clear();
        for (std::size_t i = 0; i < diags.size();) {
            std::size_t j = i;
            while (j < diags.size() && diags[j] == diags[i]) ++j;
            cand.emplace_back(-static_cast<int>(j - i), diags[i]);
            i = j;
        }
        std::sort(cand.begin(), cand.end());
        if (cand.size() > 8) cand.resize(8);
        for (std::size_t ci = 0; ci < cand.size(); ++ci) {
            long long const d = cand[ci].second;
            // Gene holding the diagonal's middle base.
            long long const mid = d + len / 2;
            if (mid < 0 || mid >= static_cast<long long>(ix.ref.size())) continue;
            auto const g = static_cast<std::size_t>(
                std::upper_bound(ix.gene_start.begin(), ix.gene_start.end(), static_cast<std::uint32_t>(mid)) -
                ix.gene_start.begin() - 1);
            long long const gs = ix.gene_start[g], ge = static_cast<long long>(ix.gene_start[g + 1]) - 1;
            if (ci < 2) tried.push_back(Tried{strand, d, gs, ge, g});  // for the gapped fallback
            // End to end inside one gene: bowtie2 --very-sensitive aligns no read over a
            // reference end (measured on the demo reads: it left 1,110 such reads unaligned).
            if (d < gs || d + len > ge) continue;
            int score = 0;
            long long matches = 0, first = -1, last = -1;
            long long clean_run = 0;  // exact bases ending at i
            bool seeded = false;
            for (long long i = 0; i < len; ++i) {
                long long const r = d + i;
                char const qc = q.empty() ? 'I' : q[static_cast<std::size_t>(i)];
                if (first < 0) first = i;
                last = i;
                char const a = s[static_cast<std::size_t>(i)], b = ix.ref[static_cast<std::size_t>(r)];
                bool const same = code(a) >= 0 && code(a) == code(b);
                if (code(a) < 0 || code(b) < 0)
                    score -= 1;
                else if (same)
                    ++matches;
                else
                    score -= mismatch_penalty(qc);
                clean_run = same ? clean_run + 1 : 0;
                // bowtie2 --very-sensitive finds a hit only through an exact 20-mer seed taken
                // every 1 + 0.5 * sqrt(len) bases from the (oriented) read's start (-L 20 -N 0
                // -i S,1,0.50).
                if (clean_run >= kSeedLen && (i + 1 - kSeedLen) % seed_interval == 0) seeded = true;
            }
            if (first < 0 || score < min_score || !seeded) continue;
            long long const span = last - first + 1;
            long long const pos = d + first - gs + 1;
            bool const better = score > best.score ||
                                (score == best.score && (g < best.gene || (g == best.gene && pos < best.pos)));
            if (better) best = Hit{true, score, g, pos, span, matches, span};
        }
    }
    if (best.ok) return best;
    // No ungapped hit: the two best-supported diagonals of each strand get a gapped alignment.
    for (auto const& t : tried) {
        std::string_view const s = t.strand == 0 ? seq : std::string_view(rc);
        std::string_view const q = t.strand == 0 ? qual : std::string_view(rq);
        Hit const h = gapped_hit(ix, s, q, t.d, t.gs, t.ge, t.g, min_score, seed_interval);
        if (h.ok && (h.score > best.score || (h.score == best.score && (h.gene < best.gene ||
                                                                       (h.gene == best.gene && h.pos < best.pos)))))
            best = h;
    }
    return best;
}

std::vector<std::size_t> prescreen(FunctionDb const& db, ProfileOptions const& o, std::vector<std::string>& species) {
    std::vector<std::size_t> all(db.headers.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    if (o.taxonomic_profile.empty()) {
        species = {"all"};
        return all;
    }
    // orbiome NAME.abundance.tsv (taxid, rank, name, lineage, reads, fraction, abundance) or a
    // MetaPhlAn profile (clade_name ending in s__X, relative abundance in percent, 3rd column).
    std::set<std::string> keep;
    TextInput in(o.taxonomic_profile);
    std::string line;
    bool orbiome_layout = false;
    while (in.next(line)) {
        if (line.empty()) continue;
        auto const f = split(line, '\t');
        if (f.size() >= 7 && f[0] == "taxid" && f[1] == "rank") {
            orbiome_layout = true;
            continue;
        }
        if (line[0] == '#') continue;
        if (orbiome_layout) {
            if (f.size() < 7 || f[1] != "species") continue;
            double const ab = parse_double(f[6], in.path(), in.line_no(), "abundance");
            if (ab * 100.0 < o.prescreen_threshold) continue;
            std::string name(f[2]);
            std::replace(name.begin(), name.end(), ' ', '_');
            keep.insert("s__" + name);
        } else {
            if (f.size() < 3) continue;
            auto const clade = f[0];
            auto const s = clade.rfind("s__");
            if (s == std::string_view::npos || clade.find("t__", s) != std::string_view::npos) continue;
            double const ab = parse_double(f[2], in.path(), in.line_no(), "relative abundance");
            if (ab < o.prescreen_threshold) continue;
            keep.insert(std::string(clade.substr(s)));
        }
    }
    species.assign(keep.begin(), keep.end());
    std::vector<std::size_t> genes;
    for (std::size_t i = 0; i < db.headers.size(); ++i) {
        auto const bug = parse_reference(db.headers[i]).bug;
        auto const s = bug.rfind("s__");
        if (s != std::string::npos && keep.contains(bug.substr(s))) genes.push_back(i);
    }
    return genes;
}

}  // namespace

std::vector<NucleotideRecord> map_reads(FunctionDb const& db, std::vector<std::size_t> const& genes,
                                        ProfileOptions const& o, std::uint64_t* n_reads) {
    SeedIndex const ix = build_index(db, genes, o.threads);
    std::vector<NucleotideRecord> records;
    std::uint64_t total = 0;
    for (int mate = 0; mate < 2; ++mate) {
        std::string const& path = mate == 0 ? o.reads1 : o.reads2;
        if (path.empty()) continue;
        seqio::FastxReader reader(path);
        seqio::FastxRecord rec;
        std::vector<seqio::FastxRecord> batch;
        bool more = true;
        while (more) {
            batch.clear();
            while (batch.size() < 20000 && (more = reader.next(rec))) batch.push_back(rec);
            std::vector<Hit> hits(batch.size());
            parallel_for(batch.size(), o.threads, [&](std::size_t b, std::size_t e) {
                for (std::size_t i = b; i < e; ++i) hits[i] = best_hit(ix, batch[i].seq, batch[i].qual);
            }, 256);
            for (std::size_t i = 0; i < batch.size(); ++i) {
                NucleotideRecord r;
                r.read = o.reads2.empty() ? batch[i].name : batch[i].name + (mate == 0 ? "/1" : "/2");
                if (hits[i].ok) {
                    r.mapped = true;
                    r.reference = db.headers[ix.gene_id[hits[i].gene]];
                    r.pos = hits[i].pos;
                    r.refspan = hits[i].span;
                    r.alnlen = static_cast<double>(hits[i].columns);
                    r.identity = 100.0 * (static_cast<double>(hits[i].matches) / r.alnlen);
                }
                records.push_back(std::move(r));
            }
            total += batch.size();
        }
    }
    if (n_reads) *n_reads = total;
    return records;
}

ProfileResult profile_reads(FunctionDb const& db, ProfileOptions const& o) {
    ProfileResult res;
    auto const genes = prescreen(db, o, res.species_selected);
    res.genes_indexed = genes.size();
    auto const records = map_reads(db, genes, o, &res.reads);
    for (auto const& r : records) res.reads_aligned += r.mapped;
    if (!o.hits_out.empty()) {
        AtomicOutput out(o.hits_out);
        out.stream() << "read\treference\tpos\tspan\tidentity\n";
        for (auto const& r : records)
            if (r.mapped)
                out.stream() << r.read << '\t' << r.reference << '\t' << r.pos << '\t' << r.refspan << '\t'
                             << format_double(r.identity) << '\n';
        out.commit();
    }
    res.genes = quantify_nucleotide(records);
    res.reactions = read_reaction_map(db);
    auto const pdb = read_pathways(db, res.reactions);
    PathwayOptions po;
    po.minpath = o.minpath;
    po.threads = o.threads;
    res.pathways = compute_pathways(res.genes, res.reactions, pdb, po);
    return res;
}

void write_profile_outputs(ProfileResult const& r, std::string const& out_dir, std::string const& sample,
                           std::string const& comment) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) throw IoError(Errc::io, out_dir, "cannot create output folder: " + ec.message());
    std::string const base = (std::filesystem::path(out_dir) / sample).string();
    write_genefamilies(r.genes, base + "_genefamilies.tsv", sample + "_Abundance-RPKs", comment);
    write_reactions(r.pathways, r.reactions, base + "_reactions.tsv", sample, comment);
    write_pathways(r.pathways, base + "_pathabundance.tsv", base + "_pathcoverage.tsv", sample, {}, comment);
}

}  // namespace orbiome::function
