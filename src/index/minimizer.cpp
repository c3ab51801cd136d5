#include "index/minimizer.hpp"

#include <array>
#include <bit>
#include <string>

#include "core/error.hpp"

namespace orbiome::index {

namespace {
constexpr int kMaxWindow = 255;
// Ring buffer for the monotone queue; a power of two >= kMaxWindow + 1 so index masking works.
constexpr std::size_t kRing = 256;

struct Entry {
    std::uint64_t key;
    std::uint32_t pos;
};

// Kraken2 allows at most one wildcard per 4 bases of the minimizer.
constexpr int kBasesPerWildcard = 4;

bool is_wild(std::uint32_t wildcards, int pos) noexcept { return (wildcards >> pos & 1u) != 0; }
}  // namespace

bool is_valid_spaced_mask(int k, std::uint32_t wildcards) noexcept {
    if (k < 1 || k > kMaxK) return false;
    if ((wildcards >> k) != 0) return false;
    if (std::popcount(wildcards) > k / kBasesPerWildcard) return false;
    for (int i = 0; i < k; ++i)
        if (is_wild(wildcards, i) != is_wild(wildcards, k - 1 - i)) return false;
    return true;
}

std::uint32_t spaced_seed(int k, int spaces) {
    if (spaces < 0 || spaces > k / kBasesPerWildcard)
        throw UsageError("spaced seed: " + std::to_string(spaces) + " wildcards do not fit a " + std::to_string(k) +
                         "-mer (at most k / 4 = " + std::to_string(k / kBasesPerWildcard) + ")");
    // Positions mid - (spaces - 1) + 2j, j = 0..spaces-1: centred, so symmetric under reversal.
    int const first = (k - 1) / 2 - (spaces - 1);
    std::uint32_t wildcards = 0;
    for (int j = 0; j < spaces; ++j) wildcards |= 1u << (first + 2 * j);
    return wildcards;
}

std::string spaced_seed_pattern(int k, std::uint32_t wildcards) {
    std::string out(static_cast<std::size_t>(k), '1');
    for (int i = 0; i < k; ++i)
        if (is_wild(wildcards, i)) out[static_cast<std::size_t>(i)] = '0';
    return out;
}

MinimizerSketcher::MinimizerSketcher(KmerLen k, WindowLen w, Seed seed, SpacedMask wildcards)
    : k_(k.value), w_(w.value), seed_(seed.value), wildcards_(wildcards.value), code_mask_(0) {
    if (k_ < 1 || k_ > kMaxK || k_ % 2 == 0)
        throw UsageError("k-mer length must be odd and between 1 and " + std::to_string(kMaxK) + ", got " +
                         std::to_string(k_));
    if (w_ < 1 || w_ > kMaxWindow)
        throw UsageError("window length must be between 1 and " + std::to_string(kMaxWindow) + ", got " +
                         std::to_string(w_));
    if (!is_valid_spaced_mask(k_, wildcards_))
        throw UsageError("spaced-seed wildcard mask " + std::to_string(wildcards_) + " does not fit k = " +
                         std::to_string(k_) + " (wildcards must lie inside the k-mer, symmetric, at most k / 4)");
    code_mask_ = (1ULL << (2 * k_)) - 1;
    for (int i = 0; i < k_; ++i)
        if (is_wild(wildcards_, i)) code_mask_ &= ~(3ULL << (2 * (k_ - 1 - i)));
}

void MinimizerSketcher::sketch(std::string_view seq, std::vector<Minimizer>& out) const {
    auto const k = static_cast<std::uint32_t>(k_);
    auto const w = static_cast<std::uint32_t>(w_);
    std::uint64_t const mask = k == 32 ? ~0ULL : (1ULL << (2 * k)) - 1;
    unsigned const rc_shift = 2 * (k - 1);

    // Monotone queue of (key, pos): keys strictly increase from front to back except for equal
    // keys, which are kept so that the front is always the leftmost smallest key of the window.
    std::array<Entry, kRing> ring;
    std::size_t head = 0, tail = 0;  // [head, tail) valid, indices mod kRing

    std::uint64_t fwd = 0, rev = 0;
    std::uint32_t run_len = 0;    // bases in the current ACGT run
    std::uint32_t n_kmers = 0;    // k-mers in the current run
    std::uint32_t last_pos = ~0u; // start of the last emitted k-mer

    auto emit_front = [&] {
        Entry const& e = ring[head % kRing];
        if ((e.pos >> 1) != last_pos) {
            out.push_back(Minimizer{e.key, e.pos});
            last_pos = e.pos >> 1;
        }
    };
    auto end_run = [&] {
        if (n_kmers > 0 && n_kmers < w) emit_front();
        head = tail = 0;
        run_len = n_kmers = 0;
        fwd = rev = 0;
    };

    auto const n = static_cast<std::uint32_t>(seq.size());
    for (std::uint32_t i = 0; i < n; ++i) {
        std::uint8_t const c = base_code(seq[i]);
        if (c > 3) {
            end_run();
            continue;
        }
        fwd = ((fwd << 2) | c) & mask;
        rev = (rev >> 2) | (static_cast<std::uint64_t>(3 - c) << rc_shift);
        if (++run_len < k) continue;
        std::uint32_t const start = i + 1 - k;
        // Both strands are masked in their own coordinates (the mask is symmetric), so a k-mer and
        // its reverse complement compare the same pair of codes.
        std::uint64_t const f = fwd & code_mask_, r = rev & code_mask_;
        bool const strand = r < f;
        std::uint64_t const key = hash_kmer(strand ? r : f, seed_);
        while (tail > head && ring[(tail - 1) % kRing].key > key) --tail;
        ring[tail % kRing] = Entry{key, start << 1 | static_cast<std::uint32_t>(strand)};
        ++tail;
        ++n_kmers;
        if (n_kmers > w && (ring[head % kRing].pos >> 1) + w <= start) ++head;
        if (n_kmers >= w) emit_front();
    }
    end_run();
}

}  // namespace orbiome::index
