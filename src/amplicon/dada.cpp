#include "amplicon/dada.hpp"

#include <algorithm>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <boost/math/special_functions/gamma.hpp>

#include "amplicon/align.hpp"
#include "core/error.hpp"

namespace orbiome::amplicon {

namespace {

constexpr int kKmer = 5;
constexpr std::size_t kNKmer = 1u << (2 * kKmer);
constexpr int kMaxShuffle = 10;
constexpr double kTailApprox = 1e-7;
constexpr std::uint8_t kInsertion = 0xff;  // a raw base facing a gap in the centre: no transition

int nt_index(char c) {
    switch (c) {
        case 'A': return 0;
        case 'C': return 1;
        case 'G': return 2;
        case 'T': return 3;
        default: return -1;
    }
}

// Sum over all 5-mers of min(count in a, count in b): DADA2's k-mer distance numerator. Summing
// over every word (zero counts add nothing) runs as straight vector code; this screen runs for
// every (centre, unique) pair, so it is the second-hottest loop after the alignment.
std::uint32_t kmer_dot(std::uint16_t const* a, std::uint16_t const* b) {
#if defined(__SSE2__)
    // Counts are below 2^15 (sequence lengths), so the signed 16-bit min is exact, and each
    // lane's partial sum is at most the total, which is at most the sequence length.
    __m128i acc = _mm_setzero_si128();
    for (std::size_t w = 0; w < kNKmer; w += 8) {
        __m128i const x = _mm_loadu_si128(reinterpret_cast<__m128i const*>(a + w));
        __m128i const y = _mm_loadu_si128(reinterpret_cast<__m128i const*>(b + w));
        acc = _mm_add_epi16(acc, _mm_min_epi16(x, y));
    }
    alignas(16) std::uint16_t lane[8];
    _mm_store_si128(reinterpret_cast<__m128i*>(lane), acc);
    std::uint32_t dot = 0;
    for (std::uint16_t v : lane) dot += v;
    return dot;
#else
    std::uint32_t dot = 0;
    for (std::size_t w = 0; w < kNKmer; ++w) dot += std::min(a[w], b[w]);
    return dot;
#endif
}

struct Comparison {
    std::uint32_t i = 0;      // cluster
    std::uint32_t index = 0;  // raw
    double lambda = 0;
    int hamming = 0;
};

struct Raw {
    std::string seq;
    std::vector<std::uint8_t> qual;
    // err(self transition, quality) at each position, and the running product of those from the
    // start (prefix[p] = product of the first p): lambda multiplies the same factors in the same
    // order, so it can start from the prefix before its first substitution, bit for bit.
    std::vector<double> self_err, prefix;
    std::vector<std::uint16_t> kmer;  // 5-mer counts
    std::vector<std::uint16_t> kord;  // 5-mer at each position
    std::uint32_t reads = 0;
    std::uint32_t index = 0;
    bool prior = false;
    double p = 0;
    double e_minmax = -999.0;
    bool lock = false;
    bool correct = true;
    Comparison comp;
};

struct Bi {
    std::vector<std::uint32_t> raw;
    std::uint32_t center = 0;
    std::uint64_t reads = 0;
    bool update_e = true;
    bool check_locks = true;
    std::vector<Comparison> comp;
    double birth_pval = 0;
};

// The substitutions of `raw` against `center`: map centre position -> raw position (-1 = gap).
struct Sub {
    std::vector<int> map;
    std::vector<std::uint16_t> pos;  // centre positions of substitutions
    std::vector<std::uint8_t> nt0, nt1;
};

// Fills `s` (cleared first; its vectors keep their capacity).
void to_sub(Alignment const& al, Sub& s) {
    s.map.clear();
    s.pos.clear();
    s.nt0.clear();
    s.nt1.clear();
    int i0 = -1, i1 = -1;
    for (std::size_t k = 0; k < al.a.size(); ++k) {
        bool const n0 = al.a[k] != '-', n1 = al.b[k] != '-';
        if (n0) ++i0;
        if (n1) ++i1;
        if (n0) s.map.push_back(n1 ? i1 : -1);
        if (n0 && n1 && al.a[k] != al.b[k]) {
            s.pos.push_back(static_cast<std::uint16_t>(i0));
            s.nt0.push_back(static_cast<std::uint8_t>(nt_index(al.a[k])));
            s.nt1.push_back(static_cast<std::uint8_t>(nt_index(al.b[k])));
        }
    }
}

class Partition {
public:
    Partition(Derep const& d, ErrorMatrix const& err, DadaOptions const& opt, std::vector<bool> const& prior,
              AlignCache* cache)
        : err_(err), opt_(opt), cache_(cache ? *cache : own_cache_) {
        raws_.resize(d.seqs.size());
        for (std::size_t k = 0; k < raws_.size(); ++k) {
            Raw& r = raws_[k];
            r.seq = d.seqs[k];
            r.reads = d.abund[k];
            r.index = static_cast<std::uint32_t>(k);
            r.prior = !prior.empty() && prior[k];
            if (r.seq.size() <= static_cast<std::size_t>(kKmer))
                throw Error(Errc::data, {}, "sequence of length " + std::to_string(r.seq.size()) +
                                                " is too short to denoise (must be longer than 5)");
            r.qual.resize(r.seq.size());
            for (std::size_t p = 0; p < r.seq.size(); ++p) {
                r.qual[p] = static_cast<std::uint8_t>(std::round(d.quals[k][p]));
                if (r.qual[p] >= err_.ncol) throw Error(Errc::software, {}, "quality beyond the error matrix");
            }
            r.kmer.assign(kNKmer, 0);
            std::size_t const klen = r.seq.size() - kKmer + 1;
            r.kord.resize(klen);
            for (std::size_t p = 0; p < klen; ++p) {
                std::uint16_t km = 0;
                for (int j = 0; j < kKmer; ++j) {
                    int const c = nt_index(r.seq[p + j]);
                    if (c < 0) throw Error(Errc::data, {}, "non-ACGT base in a sequence to denoise");
                    km = static_cast<std::uint16_t>(km * 4 + c);
                }
                ++r.kmer[km];
                r.kord[p] = km;
            }
            r.self_err.resize(r.seq.size());
            r.prefix.assign(r.seq.size() + 1, 1.0);
            for (std::size_t p = 0; p < r.seq.size(); ++p) {
                int const n = nt_index(r.seq[p]);
                r.self_err[p] = err_(static_cast<std::size_t>(n * 4 + n), r.qual[p]);
                r.prefix[p + 1] = r.prefix[p] * r.self_err[p];
            }
            total_reads_ += r.reads;
        }
    }

    DadaResult run() {
        // One cluster holding every unique; compare its centre with everything.
        bis_.emplace_back();
        for (std::uint32_t k = 0; k < raws_.size(); ++k) add_raw(0, k);
        assign_center(0);
        compare(0, 1.0);
        p_update();
        std::size_t const max_clust = opt_.max_clust < 1 ? raws_.size() : static_cast<std::size_t>(opt_.max_clust);
        while (bis_.size() < max_clust) {
            std::uint32_t newi = bud();
            if (newi == 0) break;
            compare(newi, opt_.kdist_cutoff);
            int nshuffle = 0;
            while (shuffle() && ++nshuffle < kMaxShuffle) {
            }
            p_update();
        }
        return output();
    }

private:
    void add_raw(std::uint32_t i, std::uint32_t k) {
        bis_[i].raw.push_back(k);
        bis_[i].reads += raws_[k].reads;
        bis_[i].update_e = true;
    }
    std::uint32_t pop_raw(std::uint32_t i, std::size_t r) {
        Bi& b = bis_[i];
        std::uint32_t const k = b.raw[r];
        b.raw[r] = b.raw.back();
        b.raw.pop_back();
        b.reads -= raws_[k].reads;
        b.update_e = true;
        return k;
    }
    void assign_center(std::uint32_t i) {
        Bi& b = bis_[i];
        std::uint32_t max_reads = 0;
        for (std::uint32_t k : b.raw) {
            raws_[k].lock = false;
            if (raws_[k].reads > max_reads) {
                b.center = k;
                max_reads = raws_[k].reads;
            }
        }
        b.check_locks = true;
    }

    // The alignment of raw k to centre c as DADA2's raw_align: k-mer screen, gapless shortcut
    // when the ordered k-mers agree as much as the k-mer counts, else banded NW.
    static double kmer_distance(Raw const& c, Raw const& r) {
        std::uint32_t const dot = kmer_dot(c.kmer.data(), r.kmer.data());
        std::size_t const minlen = std::min(c.seq.size(), r.seq.size());
        return 1.0 - static_cast<std::uint16_t>(dot) / (static_cast<double>(minlen) - kKmer + 1.0);
    }

    // Null when the k-mer screen rejects the pair; else scratch valid until the next call.
    Sub const* align(Raw const& c, Raw const& r, bool use_kmers, double cutoff) const {
        if (use_kmers) {
            std::size_t const minlen = std::min(c.seq.size(), r.seq.size());
            double const denom = static_cast<double>(minlen) - kKmer + 1.0;
            double const kdist = kmer_distance(c, r);
            if (kdist > cutoff) return nullptr;
            std::size_t const klen = minlen - kKmer + 1;
            std::uint32_t same = 0;
            for (std::size_t p = 0; p < klen; ++p) same += c.kord[p] == r.kord[p];
            double const kodist = 1.0 - static_cast<std::uint16_t>(same) / denom;
            if (kodist == kdist) {
                align_gapless(c.seq, r.seq, al_);
                to_sub(al_, sub_);
                return &sub_;
            }
        }
        align_banded(c.seq, r.seq, opt_.match, opt_.mismatch, opt_.gap, opt_.band, al_);
        to_sub(al_, sub_);
        return &sub_;
    }

    // The per-unique cache slots of centre `ci` in `table` (created on first use).
    std::vector<std::uint32_t>& slots(std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>& table,
                                      std::uint32_t ci) {
        std::vector<std::uint32_t>& v = table[ci];
        if (v.empty()) v.assign(raws_.size(), AlignCache::kUnknown);
        return v;
    }

    // The substitutions of a comparison, compactly (in the cache pool, valid until the next
    // call): first the count (bit 31 set when the pair fails the dada k-mer screen, so that it
    // only counts for the unscreened first comparison), then (raw position << 8 | transition) for
    // each; null when the screen rejects the pair.
    std::uint32_t const* compact_sub(Raw const& c, Raw const& r, std::uint32_t& slot, double cutoff) {
        constexpr std::uint32_t kFar = 1u << 31;
        std::vector<std::uint32_t>& pool = cache_.pool;
        // A pair screened out at the dada cutoff is screened out at any lower one.
        if (slot == AlignCache::kScreened && cutoff <= opt_.kdist_cutoff) return nullptr;
        if (slot < AlignCache::kScreened) {
            std::uint32_t const* e = pool.data() + slot;
            if ((e[0] & kFar) && cutoff < 1.0) return nullptr;
            return e;
        }
        Sub const* sub = align(c, r, true, cutoff);
        if (!sub) {
            if (cutoff == opt_.kdist_cutoff) slot = AlignCache::kScreened;
            return nullptr;
        }
        bool const far = cutoff >= 1.0 && kmer_distance(c, r) > opt_.kdist_cutoff;
        slot = static_cast<std::uint32_t>(pool.size());
        pool.push_back(static_cast<std::uint32_t>(sub->pos.size()) | (far ? kFar : 0u));
        for (std::size_t k = 0; k < sub->pos.size(); ++k)
            pool.push_back((static_cast<std::uint32_t>(sub->map[sub->pos[k]]) << 8) |
                           static_cast<std::uint32_t>(sub->nt0[k] * 4 + sub->nt1[k]));
        return pool.data() + slot;
    }

    // The final alignment of raw k to centre c: always a full banded NW (no k-mer screen, no
    // gapless shortcut), compactly (in the cache pool, valid until the next call): the number of
    // substitutions, the number of insertions (raw bases facing a gap in the centre), then
    // (raw position << 8 | transition) for each substitution, then the raw position of each
    // insertion.
    std::uint32_t const* final_sub(Raw const& c, Raw const& r, std::uint32_t& slot) {
        std::vector<std::uint32_t>& pool = cache_.pool;
        if (slot != AlignCache::kUnknown) return pool.data() + slot;
        Sub const& sub = *align(c, r, false, 1.0);
        std::vector<char>& aligned = aligned_;
        aligned.assign(r.seq.size(), 0);
        for (int p1 : sub.map)
            if (p1 >= 0) aligned[static_cast<std::size_t>(p1)] = 1;
        slot = static_cast<std::uint32_t>(pool.size());
        pool.push_back(static_cast<std::uint32_t>(sub.pos.size()));
        pool.push_back(0);
        for (std::size_t k = 0; k < sub.pos.size(); ++k)
            pool.push_back((static_cast<std::uint32_t>(sub.map[sub.pos[k]]) << 8) |
                           static_cast<std::uint32_t>(sub.nt0[k] * 4 + sub.nt1[k]));
        for (std::size_t p = 0; p < aligned.size(); ++p)
            if (!aligned[p]) pool.push_back(static_cast<std::uint32_t>(p));
        pool[slot + 1] = static_cast<std::uint32_t>(pool.size() - slot - 2 - sub.pos.size());
        return pool.data() + slot;
    }

    // tvec_[p] = the transition at raw position p under the final alignment `fs` (kInsertion
    // where the raw base faces a gap).
    void transitions(Raw const& r, std::uint32_t const* fs) const {
        self_transitions(r);
        std::size_t const nsub = fs[0], end = 2 + nsub + fs[1];
        for (std::size_t k = 2; k < 2 + nsub; ++k) tvec_[fs[k] >> 8] = static_cast<std::uint8_t>(fs[k] & 0xff);
        for (std::size_t k = 2 + nsub; k < end; ++k) tvec_[fs[k]] = kInsertion;
    }

    void self_transitions(Raw const& r) const {
        tvec_.resize(r.seq.size());
        for (std::size_t p = 0; p < r.seq.size(); ++p) {
            int const n = nt_index(r.seq[p]);
            tvec_[p] = static_cast<std::uint8_t>(n * 4 + n);
        }
    }

    // DADA2's lambda: the product over the raw's positions of err(transition, quality), in
    // position order; substitutions (sorted by position) replace the self transition.
    double lambda_of(Raw const& r, std::uint32_t const* s) const {
        if (!s) return 0.0;
        std::size_t const nsub = s[0] & 0x7fffffffu, len = r.seq.size();
        if (nsub == 0) return r.prefix[len];
        std::size_t p = s[1] >> 8;
        double lambda = r.prefix[p];
        for (std::size_t k = 1; k <= nsub; ++k) {
            std::size_t const at = s[k] >> 8;
            for (; p < at; ++p) lambda *= r.self_err[p];
            lambda *= err_(s[k] & 0xff, r.qual[at]);
            p = at + 1;
        }
        for (; p < len; ++p) lambda *= r.self_err[p];
        return lambda;
    }

    void compare(std::uint32_t i, double cutoff) {
        Raw const& center = raws_[bis_[i].center];
        std::uint32_t const center_reads = center.reads;
        std::vector<std::uint32_t>& slot = slots(cache_.compared, bis_[i].center);
        for (std::uint32_t index = 0; index < raws_.size(); ++index) {
            Raw& raw = raws_[index];
            std::uint32_t const* sub = nullptr;
            if (!(raw.reads > center_reads) && !raw.lock) sub = compact_sub(center, raw, slot[index], cutoff);
            double const lambda = lambda_of(raw, sub);
            if (lambda * static_cast<double>(total_reads_) > raw.e_minmax) {
                if (lambda * center_reads > raw.e_minmax) raw.e_minmax = lambda * center_reads;
                Comparison comp{i, index, lambda, sub ? static_cast<int>(sub[0] & 0x7fffffffu) : 0};
                bis_[i].comp.push_back(comp);
                if (i == 0 || index == bis_[i].center) raw.comp = comp;
            }
        }
    }

    bool shuffle() {
        std::size_t const n = raws_.size();
        std::vector<Comparison const*> best(n);
        std::vector<double> emax(n);
        for (std::size_t k = 0; k < n; ++k) {
            best[k] = &bis_[0].comp[k];
            emax[k] = best[k]->lambda * static_cast<double>(bis_[0].reads);
        }
        for (std::size_t i = 1; i < bis_.size(); ++i)
            for (Comparison const& c : bis_[i].comp) {
                double const e = c.lambda * static_cast<double>(bis_[i].reads);
                if (e > emax[c.index]) {
                    best[c.index] = &c;
                    emax[c.index] = e;
                }
            }
        bool shuffled = false;
        for (std::uint32_t i = 0; i < bis_.size(); ++i) {
            for (std::ptrdiff_t r = static_cast<std::ptrdiff_t>(bis_[i].raw.size()) - 1; r >= 0; --r) {
                std::uint32_t const k = bis_[i].raw[static_cast<std::size_t>(r)];
                if (best[k]->i != i) {
                    if (k == bis_[i].center) continue;  // a centre never leaves
                    pop_raw(i, static_cast<std::size_t>(r));
                    add_raw(best[k]->i, k);
                    raws_[k].comp = *best[k];
                    shuffled = true;
                }
            }
        }
        return shuffled;
    }

    double p_of(Raw const& raw, Bi const& b) const {
        if (raw.reads == 1 && !raw.prior && !opt_.detect_singletons) return 1.0;
        if (raw.comp.hamming == 0) return 1.0;
        if (raw.comp.lambda == 0) return 0.0;
        return abundance_pvalue(raw.reads, raw.comp.lambda * static_cast<double>(b.reads),
                                raw.prior || opt_.detect_singletons);
    }

    void p_update() {
        for (Bi& b : bis_) {
            if (b.update_e) {
                for (std::uint32_t k : b.raw) raws_[k].p = p_of(raws_[k], b);
                b.update_e = false;
            }
            if (b.check_locks) {
                for (std::uint32_t k : b.raw) {
                    Raw& raw = raws_[k];
                    if (raws_[b.center].reads * raw.comp.lambda > raw.reads) raw.lock = true;
                    if (k == b.center) raw.lock = true;
                }
                b.check_locks = false;
            }
        }
    }

    std::uint32_t bud() {
        int mini = -1, mini_prior = -1;
        std::size_t minr = 0, minr_prior = 0;
        Raw const* minraw = &raws_[bis_[0].center];
        Raw const* minraw_prior = minraw;
        for (std::size_t i = 0; i < bis_.size(); ++i) {
            for (std::size_t r = 1; r < bis_[i].raw.size(); ++r) {  // DADA2 skips slot 0
                Raw const& raw = raws_[bis_[i].raw[r]];
                if (raw.reads < 1) continue;
                if (raw.comp.hamming < 1) continue;
                if (raw.p < minraw->p || (raw.p == minraw->p && raw.reads > minraw->reads)) {
                    mini = static_cast<int>(i);
                    minr = r;
                    minraw = &raw;
                }
                if (raw.prior &&
                    (raw.p < minraw_prior->p || (raw.p == minraw_prior->p && raw.reads > minraw_prior->reads))) {
                    mini_prior = static_cast<int>(i);
                    minr_prior = r;
                    minraw_prior = &raw;
                }
            }
        }
        double const pA = minraw->p * static_cast<double>(raws_.size());
        double const pP = minraw_prior->p;
        int from;
        std::size_t r;
        double pval;
        if (pA < opt_.omega_a && mini >= 0) {
            from = mini;
            r = minr;
            pval = pA;
        } else if (pP < opt_.omega_p && mini_prior >= 0) {
            from = mini_prior;
            r = minr_prior;
            pval = pP;
        } else {
            return 0;
        }
        std::uint32_t const k = pop_raw(static_cast<std::uint32_t>(from), r);
        bis_.emplace_back();
        std::uint32_t const ni = static_cast<std::uint32_t>(bis_.size() - 1);
        bis_[ni].birth_pval = pval;
        add_raw(ni, k);
        assign_center(ni);
        return ni;
    }

    DadaResult output() {
        DadaResult res;
        std::size_t const nb = bis_.size();
        res.map.assign(raws_.size(), -1);
        res.trans.ncol = err_.ncol;
        res.trans.v.assign(16 * err_.ncol, 0);
        for (std::size_t i = 0; i < nb; ++i) {
            Bi const& b = bis_[i];
            Raw const* max_raw = nullptr;
            std::uint32_t max_reads = 0;
            for (std::uint32_t k : b.raw)
                if (raws_[k].reads > max_reads) {
                    max_raw = &raws_[k];
                    max_reads = raws_[k].reads;
                }
            res.asv.push_back(max_raw ? max_raw->seq : std::string());
            std::uint32_t abund = 0, zeros = 0;
            Raw const& center = raws_[b.center];
            std::vector<std::uint32_t>& final_slot = slots(cache_.aligned, b.center);
            for (std::uint32_t k : b.raw) {
                Raw& raw = raws_[k];
                if (k == b.center) {
                    raw.p = 1.0;
                } else {
                    raw.p = abundance_pvalue(raw.reads, raw.comp.lambda * static_cast<double>(b.reads), true);
                    if (raw.p < opt_.omega_c) raw.correct = false;
                }
                if (!raw.correct) continue;
                res.map[k] = static_cast<std::int32_t>(i);
                abund += raw.reads;
                // Every unique aligned to the centre (not an insertion) adds its transition
                // centre -> unique at its quality.
                std::uint32_t const* fs = final_sub(center, raw, final_slot[k]);
                if (fs[0] == 0) zeros += raw.reads;
                transitions(raw, fs);
                for (std::size_t p = 0; p < raw.seq.size(); ++p)
                    if (tvec_[p] != kInsertion) res.trans.v[tvec_[p] * err_.ncol + raw.qual[p]] += raw.reads;
            }
            res.abundance.push_back(abund);
            res.n0.push_back(zeros);
            res.birth_pval.push_back(i == 0 ? 0.0 : b.birth_pval);
        }
        return res;
    }

    std::vector<Raw> raws_;
    std::vector<Bi> bis_;
    ErrorMatrix const& err_;
    DadaOptions const& opt_;
    std::uint64_t total_reads_ = 0;
    AlignCache own_cache_;  // used when the caller keeps no cache (one code path for both)
    AlignCache& cache_;
    mutable std::vector<std::uint8_t> tvec_;
    // Scratch of align() and final_sub(), reused so that an alignment allocates nothing.
    mutable Alignment al_;
    mutable Sub sub_;
    std::vector<char> aligned_;
};

}  // namespace

double abundance_pvalue(std::uint32_t reads, double expected, bool prior) {
    // P(X >= reads) for X ~ Poisson(E) is the regularised lower incomplete gamma P(reads, E).
    double pval = reads == 0 ? 1.0 : boost::math::gamma_p(static_cast<double>(reads), expected);
    if (!prior) {
        double norm = 1.0 - std::exp(-expected);
        if (norm < kTailApprox) norm = expected - 0.5 * expected * expected;
        pval /= norm;
    }
    return pval;
}

DadaResult dada_uniques(Derep const& d, ErrorMatrix const& err, DadaOptions const& opt, std::vector<bool> const& prior,
                        AlignCache* cache) {
    if (d.seqs.empty()) return {};
    Partition part(d, err, opt, prior, cache);
    return part.run();
}

}  // namespace orbiome::amplicon
