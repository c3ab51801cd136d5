#include "index/index.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::index {

namespace {
// Pairs carry the table hash h of each key (a bijection of the key, so deduplication is the
// same). Counting the distinct keys runs in parallel over 2^8 key ranges split by h's top bits.
constexpr int kBucketBits = 8;
constexpr std::size_t kBuckets = std::size_t{1} << kBucketBits;
// How many missing sequence ids an error message lists.
constexpr std::size_t kListMissing = 5;

struct KeyTaxid {
    std::uint64_t key;
    TaxId taxid;
    auto operator<=>(KeyTaxid const&) const = default;
};

// A file's distinct (key, taxid) pairs sorted by key then taxid. Most genome files name one
// taxon, so the taxids are then stored once (`taxids` empty, `taxid` set): 8 bytes per key
// instead of 16, which is most of the build's peak memory.
struct FileScan {
    std::vector<std::uint64_t> keys;
    std::vector<TaxId> taxids;                          // parallel to keys, or empty
    TaxId taxid = 0;                                    // the file's one taxid when taxids is empty
    std::vector<std::pair<TaxId, std::uint64_t>> bp;    // bases per taxid in this file
    std::vector<std::string> missing;                   // sequence ids absent from the map
    std::uint64_t n_sequences = 0;
    std::uint64_t n_bases = 0;
};

std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Fills scan.keys/taxids/taxid from the keys collected per taxid (each group is consumed).
void finish_scan(std::vector<std::pair<TaxId, std::vector<std::uint64_t>>>& groups, FileScan& scan) {
    for (auto& [_, keys] : groups) {
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    }
    if (groups.size() == 1) {
        scan.taxid = groups[0].first;
        scan.keys = std::move(groups[0].second);
        scan.keys.shrink_to_fit();
        return;
    }
    std::vector<KeyTaxid> pairs;
    for (auto& [taxid, keys] : groups) {
        for (auto const k : keys) pairs.push_back({k, taxid});
        std::vector<std::uint64_t>().swap(keys);
    }
    std::sort(pairs.begin(), pairs.end());
    scan.keys.reserve(pairs.size());
    scan.taxids.reserve(pairs.size());
    for (auto const& p : pairs) {
        scan.keys.push_back(p.key);
        scan.taxids.push_back(p.taxid);
    }
}

// Calls visit(key, taxids) for every distinct key of the scans whose top bits lie in buckets
// [b, e), in key order, with the key's taxids over all files (a reused buffer). A k-way merge of
// the files' sorted keys: no copy of them, so the build holds each key once per file.
template <class Visit>
void merge_keys(std::vector<FileScan> const& scans, std::size_t b, std::size_t e, Visit&& visit) {
    struct Cursor {
        std::uint64_t const* it;
        std::uint64_t const* end;
        FileScan const* scan;
    };
    std::vector<Cursor> cur;
    for (auto const& scan : scans) {
        auto const* first = scan.keys.data();
        auto const* last = first + scan.keys.size();
        auto const* lo = std::lower_bound(first, last, static_cast<std::uint64_t>(b) << (64 - kBucketBits));
        auto const* hi = e == kBuckets ? last : std::lower_bound(lo, last, static_cast<std::uint64_t>(e) << (64 - kBucketBits));
        if (lo != hi) cur.push_back({lo, hi, &scan});
    }
    // Min-heap of cursor indices by current key (ties by index, so the order is fixed).
    auto after = [&](std::size_t x, std::size_t y) {
        return *cur[x].it != *cur[y].it ? *cur[x].it > *cur[y].it : x > y;
    };
    std::vector<std::size_t> heap(cur.size());
    for (std::size_t i = 0; i < heap.size(); ++i) heap[i] = i;
    std::make_heap(heap.begin(), heap.end(), after);
    std::vector<TaxId> taxids;
    while (!heap.empty()) {
        std::uint64_t const key = *cur[heap.front()].it;
        taxids.clear();
        while (!heap.empty() && *cur[heap.front()].it == key) {
            std::pop_heap(heap.begin(), heap.end(), after);
            Cursor& c = cur[heap.back()];
            FileScan const& f = *c.scan;
            for (; c.it != c.end && *c.it == key; ++c.it)
                taxids.push_back(f.taxids.empty() ? f.taxid : f.taxids[static_cast<std::size_t>(c.it - f.keys.data())]);
            if (c.it == c.end) heap.pop_back();
            else std::push_heap(heap.begin(), heap.end(), after);
        }
        visit(key, taxids);
    }
}
}  // namespace

std::uint64_t checksum_bytes(char const* p, std::size_t n) noexcept {
    std::uint64_t h = 0x6a09e667f3bcc908ULL ^ n;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = rotl(h ^ (w * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, p + i, n - i);
    h = rotl(h ^ (tail * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
    return hash_kmer(h, 0);
}

struct Index::Mapping {
    void* addr = MAP_FAILED;
    std::size_t size = 0;
    ~Mapping() {
        if (addr != MAP_FAILED) munmap(addr, size);
    }
};

Index::Index() : sketcher_(KmerLen{kDefaultK}, WindowLen{kDefaultW}, Seed{kDefaultSeed}) {}
Index::~Index() = default;
Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;

void Index::set_table(std::uint32_t const* cells) {
    cells_ = cells;
    capacity_ = header_.capacity;
    value_bits_ = header_.value_bits;
    value_mask_ = (1u << value_bits_) - 1;
    fp_mask_ = value_bits_ >= 32 ? 0 : static_cast<std::uint32_t>((std::uint64_t{1} << (32 - value_bits_)) - 1);
    sketcher_ = MinimizerSketcher(KmerLen{static_cast<int>(header_.k)}, WindowLen{static_cast<int>(header_.w)},
                                  Seed{header_.seed}, SpacedMask{header_.wildcards});
}

Index Index::build(BuildInput const& in, int n_threads) {
    std::uint32_t const wildcards = spaced_seed(in.k, in.spaces.value_or(default_spaces(in.k)));
    MinimizerSketcher const sk(KmerLen{in.k}, WindowLen{in.w}, Seed{in.seed}, SpacedMask{wildcards});
    std::unordered_map<std::string, TaxId> seq_map;
    seq_map.reserve(in.seqid2taxid.size());
    for (auto const& [id, taxid] : in.seqid2taxid) seq_map.emplace(id, taxid);

    // Pass 1, one file per task: minimizers tagged with the external taxid, deduplicated.
    std::vector<FileScan> scans(in.genome_files.size());
    std::atomic<std::uint64_t> files_done{0}, bases_done{0};
    parallel_for(in.genome_files.size(), n_threads, [&](std::size_t b, std::size_t e) {
        seqio::FastxRecord rec;
        std::vector<Minimizer> mins;
        for (std::size_t f = b; f < e; ++f) {
            FileScan& scan = scans[f];
            seqio::FastxReader reader(in.genome_files[f]);
            std::unordered_map<TaxId, std::uint64_t> bp;
            std::vector<std::pair<TaxId, std::vector<std::uint64_t>>> groups;  // keys per taxid
            std::unordered_map<TaxId, std::size_t> group_of;
            while (reader.next(rec)) {
                ++scan.n_sequences;
                scan.n_bases += rec.seq.size();
                auto it = seq_map.find(rec.name);
                if (it == seq_map.end()) {
                    if (scan.missing.size() < kListMissing) scan.missing.push_back(rec.name);
                    continue;
                }
                bp[it->second] += rec.seq.size();
                auto const [g, added] = group_of.emplace(it->second, groups.size());
                if (added) groups.emplace_back(it->second, std::vector<std::uint64_t>());
                auto& keys = groups[g->second].second;
                mins.clear();
                sk.sketch(rec.seq, mins);
                for (auto const& m : mins) keys.push_back(hash_kmer(m.key, kTableSalt));
            }
            finish_scan(groups, scan);
            scan.bp.assign(bp.begin(), bp.end());
            std::sort(scan.bp.begin(), scan.bp.end());
            if (in.on_progress)
                in.on_progress(BuildProgress{files_done.fetch_add(1) + 1, in.genome_files.size(),
                                             bases_done.fetch_add(scan.n_bases) + scan.n_bases});
        }
    });

    std::vector<std::string> missing;
    std::vector<TaxId> used;
    std::uint64_t n_sequences = 0, n_bases = 0;
    for (std::size_t f = 0; f < scans.size(); ++f) {
        for (auto const& id : scans[f].missing)
            if (missing.size() < kListMissing) missing.push_back(id + " (" + in.genome_files[f] + ")");
        for (auto const& [taxid, _] : scans[f].bp) used.push_back(taxid);
        n_sequences += scans[f].n_sequences;
        n_bases += scans[f].n_bases;
    }
    if (!missing.empty())
        throw ParseError(SourceLoc{in.seqid2taxid_file}, "sequence ids missing from the map: " + join(missing, ", "),
                         "every genome sequence needs a line `sequence_id<TAB>taxid`");
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());

    Index idx;
    idx.tax_ = TaxTree::from_specs(in.taxonomy, used, in.taxonomy_file);
    TaxTree& tax = idx.tax_;
    for (auto const& scan : scans)
        for (auto const& [taxid, bp] : scan.bp) {
            TaxIndex const t = tax.find(taxid);
            tax.genome_bp()[t] += bp;
            tax.genome_count()[t] += 1;
        }

    // Pass 2: the number of distinct keys sizes the table (key ranges in parallel).
    std::vector<std::uint64_t> bucket_keys(kBuckets, 0);
    parallel_for(kBuckets, n_threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t bucket = b; bucket < e; ++bucket)
            merge_keys(scans, bucket, bucket + 1, [&](std::uint64_t, std::vector<TaxId> const&) { ++bucket_keys[bucket]; });
    });
    std::uint64_t n_keys = 0;
    for (auto const k : bucket_keys) n_keys += k;
    auto const capacity = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(static_cast<double>(n_keys) / kLoadFactor) + 1);
    auto const value_bits = static_cast<std::uint32_t>(std::max<std::size_t>(1, static_cast<std::size_t>(std::bit_width(tax.size() - 1))));
    if (value_bits > 24)
        throw ParseError(SourceLoc{in.taxonomy_file}, "too many taxa for the index (" + std::to_string(tax.size()) +
                                                          "); at most 2^24 - 1 are supported");

    FileHeader& h = idx.header_;
    std::memcpy(h.magic, kIndexMagic, sizeof h.magic);
    h.format_version = kFormatVersion;
    h.hash_id = kHashId;
    h.k = static_cast<std::uint32_t>(in.k);
    h.w = static_cast<std::uint32_t>(in.w);
    h.seed = in.seed;
    h.wildcards = wildcards;
    h.value_bits = value_bits;
    h.capacity = capacity;
    h.n_keys = n_keys;
    h.n_taxa = tax.size();
    h.n_sequences = n_sequences;
    h.n_bases = n_bases;
    idx.owned_.assign(capacity, 0);
    idx.set_table(idx.owned_.data());

    // Pass 3, serial: each key, reduced to the LCA of its taxa, is inserted in key order, so the
    // cell layout (and so the file) is the same for any thread count. It costs one cache miss
    // per key, small next to pass 1.
    merge_keys(scans, 0, kBuckets, [&](std::uint64_t key, std::vector<TaxId> const& taxids) {
        TaxIndex t = 0;
        for (auto const id : taxids) t = tax.lca(t, tax.find(id));
        std::uint64_t slot = idx.home(key);
        while (idx.owned_[slot] != 0)
            if (++slot == capacity) slot = 0;
        idx.owned_[slot] = (static_cast<std::uint32_t>(key) & idx.fp_mask_) << value_bits | t;
    });
    return idx;
}

void Index::save(std::string const& path) const {
    std::string tax_bytes;
    tax_.serialize(tax_bytes);
    std::string payload(capacity_ * sizeof(std::uint32_t), '\0');
    std::memcpy(payload.data(), cells_, payload.size());
    payload += tax_bytes;
    FileHeader h = header_;
    h.taxonomy_bytes = tax_bytes.size();
    h.checksum = checksum_bytes(payload.data(), payload.size());
    AtomicOutput out(path);
    out.stream().write(reinterpret_cast<char const*>(&h), sizeof h);
    out.stream().write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out.commit();
}

Index Index::open(std::string const& path) {
    require_readable(path);
    int const fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw IoError(Errc::no_input, path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw IoError(Errc::no_input, path, "not a regular file");
    }
    auto const size = static_cast<std::size_t>(st.st_size);
    Index idx;
    idx.map_ = std::make_unique<Mapping>();
    if (size >= sizeof(FileHeader)) {
        idx.map_->addr = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        idx.map_->size = size;
    }
    ::close(fd);
    std::string const hint = "rebuild it with `orbiome db build`";
    if (size < sizeof(FileHeader)) throw ParseError(SourceLoc{path}, "not an orbiome index (file too short)", hint);
    if (idx.map_->addr == MAP_FAILED) throw IoError(Errc::io, path, std::string("mmap failed: ") + std::strerror(errno));
    auto const* base = static_cast<char const*>(idx.map_->addr);
    FileHeader& h = idx.header_;
    std::memcpy(&h, base, sizeof h);
    if (std::memcmp(h.magic, kIndexMagic, sizeof h.magic) != 0)
        throw ParseError(SourceLoc{path}, "not an orbiome index (bad magic bytes)", hint);
    if (h.format_version < kOldestFormatVersion || h.format_version > kFormatVersion)
        throw ParseError(SourceLoc{path}, "index format version " + std::to_string(h.format_version) +
                                              ", but this orbiome reads versions " +
                                              std::to_string(kOldestFormatVersion) + " to " +
                                              std::to_string(kFormatVersion),
                         hint);
    if (h.hash_id != kHashId)
        throw ParseError(SourceLoc{path}, "index uses hash function " + std::to_string(h.hash_id) + ", expected " +
                                              std::to_string(kHashId), hint);
    std::uint64_t const table = h.capacity * sizeof(std::uint32_t);
    if (h.capacity == 0 || h.value_bits == 0 || h.value_bits > 24 || h.k == 0 || h.k > kMaxK || h.w == 0 ||
        !is_valid_spaced_mask(static_cast<int>(h.k), h.wildcards) ||
        size != sizeof(FileHeader) + table + h.taxonomy_bytes)
        throw ParseError(SourceLoc{path}, "index file is truncated or its header is corrupt (size " +
                                              std::to_string(size) + " bytes)", hint);
    if (checksum_bytes(base + sizeof h, size - sizeof h) != h.checksum)
        throw ParseError(SourceLoc{path}, "index checksum mismatch (file corrupt)", hint);
    idx.tax_ = TaxTree::parse(std::string_view(base + sizeof h + table, h.taxonomy_bytes), path);
    if (idx.tax_.size() != h.n_taxa) throw ParseError(SourceLoc{path}, "index taxonomy size mismatch", hint);
    idx.set_table(reinterpret_cast<std::uint32_t const*>(base + sizeof h));
    return idx;
}

std::vector<std::pair<std::string, TaxId>> read_seqid2taxid(std::string const& path) {
    auto in = open_input(path);
    LineReader reader(in, path);
    std::vector<std::pair<std::string, TaxId>> out;
    std::string line;
    while (reader.next(line)) {
        if (trim(line).empty() || line[0] == '#') continue;
        auto const f = split(line, '\t');
        if (f.size() < 2)
            fail_data(path, reader.line_no(), "expected 2 tab-separated columns (sequence_id, taxid), found " +
                                                  std::to_string(f.size()));
        std::string_view const tid = trim(f[1]);
        bool const numeric = !tid.empty() && std::all_of(tid.begin(), tid.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!numeric && out.empty() && reader.line_no() == 1) continue;  // a header line
        out.emplace_back(std::string(trim(f[0])), parse_uint(tid, path, reader.line_no(), "taxid"));
    }
    return out;
}

std::vector<TaxonSpec> taxon_specs(taxonomy::Taxonomy const& t) {
    std::vector<TaxonSpec> out;
    out.reserve(t.size());
    for (std::uint32_t i = 0; i < t.size(); ++i) {
        taxonomy::TaxIndex const ti{i};
        out.push_back({taxonomy::to_int(t.taxid(ti)), taxonomy::to_int(t.taxid(t.parent(ti))), t.rank(ti), t.name(ti)});
    }
    return out;
}

std::vector<std::string> expand_genome_paths(std::vector<std::string> const& paths) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (auto const& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (auto const& entry : fs::directory_iterator(p)) {
                if (!entry.is_regular_file()) continue;
                std::string name = entry.path().filename().string();
                if (name.size() > 3 && name.ends_with(".gz")) name.resize(name.size() - 3);
                for (char const* ext : {".fa", ".fna", ".fasta", ".ffn", ".fas"})
                    if (name.ends_with(ext)) {
                        found.push_back(entry.path().string());
                        break;
                    }
            }
            if (found.empty())
                throw IoError(Errc::no_input, p, "folder holds no FASTA files (.fa .fna .fasta .ffn, optionally .gz)");
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else {
            require_readable(p);
            out.push_back(p);
        }
    }
    return out;
}

}  // namespace orbiome::index
