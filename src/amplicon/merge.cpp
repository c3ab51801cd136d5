#include "amplicon/merge.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

#include "amplicon/align.hpp"
#include "core/parallel.hpp"

namespace orbiome::amplicon {

std::string reverse_complement(std::string_view s) {
    std::string r(s.rbegin(), s.rend());
    for (char& c : r) {
        switch (c) {
            case 'A': c = 'T'; break;
            case 'C': c = 'G'; break;
            case 'G': c = 'C'; break;
            case 'T': c = 'A'; break;
            default: break;
        }
    }
    return r;
}

namespace {

// Matches, mismatches and indels between the first and last column where both rows have begun.
void eval_pair(Alignment const& al, MergedPair& m) {
    std::size_t const n = al.a.size();
    std::size_t start = 0;
    bool g1 = true, g2 = true;
    while (start < n) {
        g1 = g1 && al.a[start] == '-';
        g2 = g2 && al.b[start] == '-';
        if (!(g1 || g2)) break;
        ++start;
    }
    std::ptrdiff_t end = static_cast<std::ptrdiff_t>(n) - 1;
    g1 = g2 = true;
    while (end >= static_cast<std::ptrdiff_t>(start)) {
        g1 = g1 && al.a[static_cast<std::size_t>(end)] == '-';
        g2 = g2 && al.b[static_cast<std::size_t>(end)] == '-';
        if (!(g1 || g2)) break;
        --end;
    }
    m.nmatch = m.nmismatch = m.nindel = 0;
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(start); i <= end; ++i) {
        char const a = al.a[static_cast<std::size_t>(i)], b = al.b[static_cast<std::size_t>(i)];
        if (a == '-' || b == '-')
            ++m.nindel;
        else if (a == b)
            ++m.nmatch;
        else
            ++m.nmismatch;
    }
}

std::string consensus(Alignment const& al, bool prefer_reverse) {
    std::string out;
    for (std::size_t i = 0; i < al.a.size(); ++i) {
        char const a = al.a[i], b = al.b[i];
        char c;
        if (a == b || b == '-')
            c = a;
        else if (a == '-')
            c = b;
        else
            c = prefer_reverse ? b : a;
        if (c != '-') out.push_back(c);
    }
    return out;
}

}  // namespace

std::vector<MergedPair> merge_pairs(DadaResult const& fwd, Derep const& dfwd, DadaResult const& rev,
                                    Derep const& drev, int min_overlap, int max_mismatch) {
    // Unique (F, R) ASV pairings in order of first read, with read counts.
    std::map<std::pair<std::int32_t, std::int32_t>, std::size_t> slot;
    std::vector<MergedPair> ups;
    for (std::size_t r = 0; r < dfwd.map.size(); ++r) {
        std::int32_t const f = fwd.map[dfwd.map[r]], v = rev.map[drev.map[r]];
        if (f < 0 || v < 0) continue;
        auto [it, fresh] = slot.try_emplace({f, v}, ups.size());
        if (fresh) {
            MergedPair m;
            m.forward = static_cast<std::uint32_t>(f);
            m.reverse = static_cast<std::uint32_t>(v);
            ups.push_back(m);
        }
        ups[it->second].abundance++;
    }
    int const mis = max_mismatch == 0 ? -64 : -8;
    for (MergedPair& m : ups) {
        std::string const rc = reverse_complement(rev.asv[m.reverse]);
        Alignment const al = align_banded(fwd.asv[m.forward], rc, 1, mis, mis, -1);
        eval_pair(al, m);
        m.accept = m.nmatch >= min_overlap && (m.nmismatch + m.nindel) <= max_mismatch;
        bool const prefer_reverse = rev.n0[m.reverse] > fwd.n0[m.forward];
        if (m.accept) m.sequence = consensus(al, prefer_reverse);
    }
    std::stable_sort(ups.begin(), ups.end(), [](MergedPair const& a, MergedPair const& b) { return a.abundance > b.abundance; });
    std::vector<MergedPair> out;
    for (auto& m : ups)
        if (m.accept) out.push_back(std::move(m));
    return out;
}

SeqTable make_sequence_table(std::vector<std::vector<std::pair<std::string, std::uint64_t>>> const& samples) {
    std::unordered_map<std::string, std::size_t> col;
    std::vector<std::string> seqs;
    for (auto const& s : samples)
        for (auto const& [seq, n] : s)
            if (col.try_emplace(seq, seqs.size()).second) seqs.push_back(seq);
    std::vector<std::vector<std::uint64_t>> counts(samples.size(), std::vector<std::uint64_t>(seqs.size(), 0));
    for (std::size_t i = 0; i < samples.size(); ++i)
        for (auto const& [seq, n] : samples[i]) counts[i][col[seq]] += n;
    std::vector<std::uint64_t> total(seqs.size(), 0);
    for (auto const& row : counts)
        for (std::size_t j = 0; j < row.size(); ++j) total[j] += row[j];
    std::vector<std::size_t> ord(seqs.size());
    std::iota(ord.begin(), ord.end(), std::size_t{0});
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) { return total[a] > total[b]; });
    SeqTable t;
    for (std::size_t j : ord) t.seqs.push_back(seqs[j]);
    t.counts.assign(samples.size(), std::vector<std::uint64_t>(seqs.size(), 0));
    for (std::size_t i = 0; i < samples.size(); ++i)
        for (std::size_t k = 0; k < ord.size(); ++k) t.counts[i][k] = counts[i][ord[k]];
    return t;
}

namespace {

// Exact-match prefix and suffix lengths of the query (row a) against a parent (row b), with
// leading/trailing parent gaps within max_shift credited (DADA2's get_lr).
void left_right(Alignment const& al, int max_shift, int& left, int& right) {
    int const len = static_cast<int>(al.a.size());
    int pos = 0;
    left = 0;
    while (pos < len && al.a[static_cast<std::size_t>(pos)] == '-') ++pos;
    while (pos < len && al.b[static_cast<std::size_t>(pos)] == '-' && pos < max_shift) {
        ++pos;
        ++left;
    }
    while (pos < len && al.a[static_cast<std::size_t>(pos)] == al.b[static_cast<std::size_t>(pos)]) {
        ++pos;
        ++left;
    }
    pos = len - 1;
    right = 0;
    while (pos >= 0 && al.a[static_cast<std::size_t>(pos)] == '-') --pos;
    while (pos >= 0 && al.b[static_cast<std::size_t>(pos)] == '-' && pos > len - max_shift) {
        --pos;
        ++right;
    }
    while (pos >= 0 && al.a[static_cast<std::size_t>(pos)] == al.b[static_cast<std::size_t>(pos)]) {
        --pos;
        ++right;
    }
}

}  // namespace

std::vector<bool> is_bimera_table(SeqTable const& t, BimeraOptions const& opt, int threads) {
    std::size_t const ncol = t.seqs.size(), nrow = t.counts.size();
    std::vector<bool> out(ncol, false);
    std::vector<char> flag(ncol, 0);
    parallel_for(ncol, threads, [&](std::size_t b, std::size_t e) {
        std::vector<int> lefts(ncol), rights(ncol);
        for (std::size_t j = b; j < e; ++j) {
            int nsam = 0, nflag = 0;
            int const sqlen = static_cast<int>(t.seqs[j].size());
            std::fill(lefts.begin(), lefts.end(), -1);
            std::fill(rights.begin(), rights.end(), -1);
            for (std::size_t i = 0; i < nrow; ++i) {
                std::uint64_t const v = t.counts[i][j];
                if (v == 0) continue;
                ++nsam;
                int max_left = 0, max_right = 0;
                for (std::size_t k = 0; k < ncol; ++k) {
                    std::uint64_t const pv = t.counts[i][k];
                    if (!(static_cast<double>(pv) > opt.min_fold_parent_over_abundance * static_cast<double>(v) &&
                          pv >= opt.min_parent_abundance))
                        continue;
                    if (lefts[k] < 0) {
                        Alignment const al =
                            align_banded(t.seqs[j], t.seqs[k], opt.match, opt.mismatch, opt.gap, opt.max_shift);
                        int l = 0, r = 0;
                        left_right(al, opt.max_shift, l, r);
                        if (l + r < sqlen) {
                            lefts[k] = l;
                            rights[k] = r;
                        } else {  // identical, pure shift or internal indel: not a parent
                            lefts[k] = 0;
                            rights[k] = 0;
                        }
                    }
                    max_left = std::max(max_left, lefts[k]);
                    max_right = std::max(max_right, rights[k]);
                }
                if (max_left + max_right >= sqlen) ++nflag;
            }
            bool const bim = nflag >= nsam ||
                             (nflag > 0 && nflag >= (nsam - opt.ignore_n_negatives) * opt.min_sample_fraction);
            flag[j] = bim ? 1 : 0;
        }
    });
    for (std::size_t j = 0; j < ncol; ++j) out[j] = flag[j] != 0;
    return out;
}

}  // namespace orbiome::amplicon
