#pragma once
/// \file minimizer.hpp
/// Canonical (k, w) minimizers of DNA (Roberts et al. 2004, doi:10.1093/bioinformatics/bth408;
/// the rolling form of Li 2016, minimap, doi:10.1093/bioinformatics/btw152).
///
/// Definitions used throughout the index and the classifier:
///  - A k-mer is encoded 2 bits per base (A=0, C=1, G=2, T=3; lower case accepted), first base
///    in the highest bits. Its canonical form is min(forward code, reverse-complement code);
///    with odd k and no spaced seed the two never coincide.
///  - Spaced seeds (optional; Ma, Tromp & Li 2002, PatternHunter, doi:10.1093/bioinformatics/18.3.440;
///    Kraken2 uses them for its minimizers): a set of wildcard positions of the k-mer (0 = its first
///    base) whose bases are zeroed in both the forward and the reverse-complement code before the
///    canonical form is taken, so a k-mer and its reverse complement still get the same canonical
///    code. The set must be symmetric under reversal (position i wild iff k-1-i wild): then a
///    substitution at a wildcard changes neither masked code, so it never changes a key. (The
///    masked codes can then be equal; the forward strand is reported.)
///  - key = `hash_kmer(canonical, seed)`: the murmur3 64-bit finaliser (an invertible mix, so
///    different masked k-mers always have different keys) applied to `canonical ^ seed`.
///  - Any base other than ACGT (N, IUPAC codes) splits the sequence into runs; no k-mer spans
///    it (STYLE.md §8.4: ambiguity resets the k-mer, never becomes A).
///  - In a run with m >= w k-mers, every window of w consecutive k-mers selects the k-mer of
///    smallest key, the leftmost on ties. A run with 1 <= m < w k-mers forms one window of all
///    m k-mers, so reads shorter than k + w - 1 still yield one minimizer.
///  - The output lists selected k-mers in position order, each once (consecutive windows that
///    select the same k-mer give one entry).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orbiome::index {

/// k-mer length in bases (strong type, so k and w cannot be swapped).
struct KmerLen {
    int value;
};
/// Window length in k-mers.
struct WindowLen {
    int value;
};
/// Seed XORed into every k-mer before hashing.
struct Seed {
    std::uint64_t value;
};
/// Spaced-seed wildcard positions: bit i set = base i of the k-mer (0 = first) is ignored.
/// 0 = exact k-mers.
struct SpacedMask {
    std::uint32_t value;
};

/// Largest supported k (2 bits per base in a 64-bit word, odd so canonical forms are unique).
inline constexpr int kMaxK = 31;
/// Identifier of the hash function written into index files (1 = murmur3 fmix64 of code ^ seed).
inline constexpr std::uint32_t kHashId = 1;

/// True when `wildcards` is a usable spaced seed for k-mers of length k: no position >= k, symmetric
/// under reversal, and at most k / 4 wildcards (Kraken2's limit, so most of the k-mer still counts).
bool is_valid_spaced_mask(int k, std::uint32_t wildcards) noexcept;

/// The default spaced seed with `spaces` wildcards: every other position around the k-mer's middle
/// (k = 31, spaces = 7: positions 9, 11, ..., 21), symmetric as required above. spaces = 0 gives 0.
/// Throws UsageError unless 0 <= spaces <= k / 4. O(k).
std::uint32_t spaced_seed(int k, int spaces);

/// The seed as text, one character per position: '1' counted, '0' wildcard (Kraken2's notation).
std::string spaced_seed_pattern(int k, std::uint32_t wildcards);

/// A canonical minimizer. `key` = hash_kmer(canonical k-mer); `pos` = start << 1 | strand, where
/// start is the 0-based offset of the k-mer's first base and strand is 1 when the canonical form
/// is the reverse complement.
/// Invariant: no ambiguous base occurs inside the k-mer.
struct Minimizer {
    std::uint64_t key;
    std::uint32_t pos;
    friend bool operator==(Minimizer const&, Minimizer const&) = default;
};

/// The frozen k-mer hash (a golden test pins its values): murmur3 fmix64(code ^ seed). O(1).
constexpr std::uint64_t hash_kmer(std::uint64_t code, std::uint64_t seed) noexcept {
    std::uint64_t x = code ^ seed;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/// 2-bit code of a base: 0..3 for ACGT/acgt, 4 for anything else.
inline constexpr std::uint8_t base_code(char c) noexcept {
    switch (c) {
        case 'A': case 'a': return 0;
        case 'C': case 'c': return 1;
        case 'G': case 'g': return 2;
        case 'T': case 't': return 3;
        default: return 4;
    }
}

/// Computes minimizers with a fixed (k, w, seed). Stateless after construction, so one object
/// is shared by all threads; `sketch` is thread-safe and allocates only when `out` grows.
class MinimizerSketcher {
public:
    /// Throws UsageError unless 1 <= k <= kMaxK, k odd, 1 <= w <= 255 and the mask is valid
    /// (is_valid_spaced_mask).
    MinimizerSketcher(KmerLen k, WindowLen w, Seed seed, SpacedMask wildcards = SpacedMask{0});

    /// Appends the minimizers of `seq` to `out` (does not clear it). O(|seq|) amortised.
    void sketch(std::string_view seq, std::vector<Minimizer>& out) const;

    int k() const noexcept { return k_; }
    int w() const noexcept { return w_; }
    std::uint64_t seed() const noexcept { return seed_; }
    std::uint32_t wildcards() const noexcept { return wildcards_; }

private:
    int k_;
    int w_;
    std::uint64_t seed_;
    std::uint32_t wildcards_;
    std::uint64_t code_mask_;  // 2-bit code mask: ones on counted bases, zeros on wildcards
};

}  // namespace orbiome::index
