#include "amplicon/taxonomy.hpp"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "amplicon/merge.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::amplicon {

namespace {

constexpr unsigned kK = 8;
constexpr std::size_t kNWords = std::size_t{1} << (2 * kK);
constexpr int kBoot = 100;
constexpr std::size_t kMinRefLen = 20;
constexpr std::size_t kMinQueryLen = 50;

std::string trim(std::string s) {
    auto const b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    auto const e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split_lineage(std::string const& text, std::string const& file, std::size_t record,
                                       std::string const& name) {
    std::vector<std::string> levels;
    std::string cur;
    std::stringstream ss(text);
    while (std::getline(ss, cur, ';')) levels.push_back(trim(cur));
    while (!levels.empty() && levels.back().empty()) levels.pop_back();
    if (levels.empty()) throw ParseError(SourceLoc{file, 0, record, name}, "empty lineage");
    for (auto const& l : levels)
        if (l.empty()) throw ParseError(SourceLoc{file, 0, record, name}, "malformed lineage '" + text + "': an empty level");
    return levels;
}

int word_at(std::string_view s) {
    int w = 0;
    for (unsigned j = 0; j < kK; ++j) {
        int c;
        switch (s[j]) {
            case 'A': c = 0; break;
            case 'C': c = 1; break;
            case 'G': c = 2; break;
            case 'T': c = 3; break;
            default: return -1;
        }
        w = 4 * w + c;
    }
    return w;
}

std::vector<int> query_words(std::string const& s) {
    std::vector<int> out;
    if (s.size() < kK) return out;
    for (std::size_t i = 0; i + kK <= s.size(); ++i) {
        int const w = word_at(std::string_view(s).substr(i, kK));
        if (w >= 0) out.push_back(w);
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct Model {
    std::size_t nclass = 0;
    std::vector<float> logp;                        // [class][word]
    std::vector<std::vector<std::string>> lineage;  // per class
};

// The best class: argmax of summed log-probabilities (float, as DADA2); exact ties broken
// uniformly at random from `rng` (DADA2 does the same with an unseeded generator).
int best_class(Model const& m, int const* words, std::size_t n, Rng& rng, float& out) {
    int best = -1;
    float max_logp = -FLT_MAX;
    unsigned nmax = 0;
    for (std::size_t g = 0; g < m.nclass; ++g) {
        float const* lg = m.logp.data() + g * kNWords;
        float logp = 0;
        for (std::size_t p = 0; p < n; ++p) {
            logp += lg[words[p]];
            if (logp < max_logp) break;
        }
        if (logp > max_logp) {
            max_logp = logp;
            best = static_cast<int>(g);
            nmax = 1;
        } else if (logp == max_logp) {
            ++nmax;
            if (rng.uniform() < 1.0 / nmax) best = static_cast<int>(g);
        }
    }
    out = max_logp;
    return best;
}

}  // namespace

TaxReference read_tax_reference(std::string const& fasta, std::string const& taxonomy_tsv) {
    std::unordered_map<std::string, std::string> tsv;
    if (!taxonomy_tsv.empty()) {
        std::ifstream in = open_input(taxonomy_tsv);
        std::string line;
        std::size_t lineno = 0;
        while (std::getline(in, line)) {
            ++lineno;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) continue;
            auto const tab = line.find('\t');
            if (tab == std::string::npos) fail_data(taxonomy_tsv, lineno, "expected 'id<TAB>lineage'");
            std::string id = line.substr(0, tab), tax = line.substr(tab + 1);
            auto const tab2 = tax.find('\t');
            if (tab2 != std::string::npos) tax.resize(tab2);
            if (lineno == 1 && (id == "Feature ID" || id == "#OTU ID")) continue;
            tsv[id] = tax;
        }
    }
    TaxReference ref;
    seqio::FastxReader r(fasta);
    seqio::FastxRecord rec;
    std::size_t n = 0;
    while (r.next(rec)) {
        ++n;
        std::string seq = rec.seq;
        for (char& c : seq) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        std::string lineage;
        if (taxonomy_tsv.empty()) {
            lineage = rec.comment.empty() ? rec.name : rec.name + " " + rec.comment;
            if (lineage.find(';') == std::string::npos)
                throw ParseError(SourceLoc{fasta, r.line(), n, rec.name},
                                 "malformed lineage: a DADA2 training FASTA header is the lineage, levels separated by ';'",
                                 "for a QIIME 2 reference give the taxonomy TSV with --ref-taxonomy");
        } else {
            auto it = tsv.find(rec.name);
            if (it == tsv.end())
                throw ParseError(SourceLoc{fasta, r.line(), n, rec.name}, "reference id not in " + taxonomy_tsv);
            lineage = it->second;
        }
        auto levels = split_lineage(lineage, taxonomy_tsv.empty() ? fasta : taxonomy_tsv, n, rec.name);
        if (seq.size() < kMinRefLen) continue;
        ref.seqs.push_back(std::move(seq));
        ref.lineages.push_back(std::move(levels));
    }
    if (ref.seqs.empty()) throw ParseError(SourceLoc{fasta}, "no reference sequences of at least 20 nt");
    return ref;
}

std::vector<TaxAssignment> assign_taxonomy(std::vector<std::string> const& queries, TaxReference const& ref,
                                           ClassifyOptions const& opt) {
    // Classes: distinct full lineages, lineages padded to the deepest (DADA2's _DADA2_UNSPECIFIED).
    std::size_t depth = 0;
    for (auto const& l : ref.lineages) depth = std::max(depth, l.size());
    static std::string const kUnspecified = "_DADA2_UNSPECIFIED";
    Model m;
    std::map<std::vector<std::string>, std::size_t> cls;
    std::vector<std::size_t> ref_class(ref.seqs.size());
    for (std::size_t i = 0; i < ref.seqs.size(); ++i) {
        std::vector<std::string> l = ref.lineages[i];
        l.resize(depth, kUnspecified);
        auto [it, fresh] = cls.try_emplace(l, m.lineage.size());
        if (fresh) m.lineage.push_back(l);
        ref_class[i] = it->second;
    }
    m.nclass = m.lineage.size();
    std::vector<float> count(m.nclass * kNWords, 0.0f), prior(kNWords, 0.0f), nref_class(m.nclass, 0.0f);
    std::vector<unsigned char> present(kNWords);
    for (std::size_t i = 0; i < ref.seqs.size(); ++i) {
        std::fill(present.begin(), present.end(), 0);
        std::string const& s = ref.seqs[i];
        for (std::size_t p = 0; p + kK <= s.size(); ++p) {
            int const w = word_at(std::string_view(s).substr(p, kK));
            if (w >= 0) present[static_cast<std::size_t>(w)] = 1;
        }
        float* c = count.data() + ref_class[i] * kNWords;
        for (std::size_t w = 0; w < kNWords; ++w)
            if (present[w]) {
                c[w] += 1.0f;
                prior[w] += 1.0f;
            }
        nref_class[ref_class[i]] += 1.0f;
    }
    for (std::size_t w = 0; w < kNWords; ++w)
        prior[w] = static_cast<float>((prior[w] + 0.5) / (1.0 + static_cast<double>(ref.seqs.size())));
    m.logp.resize(count.size());
    for (std::size_t g = 0; g < m.nclass; ++g)
        for (std::size_t w = 0; w < kNWords; ++w)
            m.logp[g * kNWords + w] = std::log((count[g * kNWords + w] + prior[w]) / (nref_class[g] + 1.0f));

    std::vector<TaxAssignment> out(queries.size());
    parallel_for(queries.size(), opt.threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t q = b; q < e; ++q) {
            TaxAssignment& t = out[q];
            t.boot.assign(depth, 0);
            std::string const& s = queries[q];
            if (s.size() < kMinQueryLen) continue;
            Rng rng = Rng::stream(opt.seed, q);
            std::vector<int> words = query_words(s);
            float lp = 0;
            int best = best_class(m, words.data(), words.size(), rng, lp);
            if (opt.try_rc) {
                std::vector<int> rcw = query_words(reverse_complement(s));
                float lprc = 0;
                int const brc = best_class(m, rcw.data(), rcw.size(), rng, lprc);
                if (lprc > lp) {
                    best = brc;
                    words = std::move(rcw);
                }
            }
            if (best < 0) continue;
            std::size_t const nb = words.size() / 8;
            std::vector<int> boot(nb);
            auto const& bl = m.lineage[static_cast<std::size_t>(best)];
            t.best = bl;
            for (int k = 0; k < kBoot; ++k) {
                for (std::size_t i = 0; i < nb; ++i)
                    boot[i] = words[static_cast<std::size_t>(static_cast<double>(words.size()) * rng.uniform())];
                float blp = 0;
                int const g = best_class(m, boot.data(), nb, rng, blp);
                if (g < 0) continue;
                auto const& gl = m.lineage[static_cast<std::size_t>(g)];
                for (std::size_t lv = 0; lv < depth; ++lv) {
                    if (gl[lv] != bl[lv]) break;
                    ++t.boot[lv];
                }
            }
            for (std::size_t lv = 0; lv < depth; ++lv) {
                if (t.boot[lv] < opt.min_boot) break;
                if (bl[lv] == kUnspecified) break;
                t.levels.push_back(bl[lv]);
            }
        }
    });
    return out;
}

void add_species(std::vector<std::string> const& queries, std::string const& species_fasta,
                 std::vector<TaxAssignment>& tax, bool try_rc) {
    std::vector<std::string> seqs, genus, species;
    seqio::FastxReader r(species_fasta);
    seqio::FastxRecord rec;
    std::size_t n = 0;
    while (r.next(rec)) {
        ++n;
        std::stringstream ss(rec.comment);
        std::string g, sp;
        ss >> g >> sp;
        if (g.empty() || sp.empty())
            throw ParseError(SourceLoc{species_fasta, r.line(), n, rec.name},
                             "species reference header must be 'ID Genus species'");
        std::string s = rec.seq;
        for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        seqs.push_back(std::move(s));
        genus.push_back(g);
        species.push_back(sp);
    }
    std::vector<std::string> rcs;
    if (try_rc)
        for (auto const& s : seqs) rcs.push_back(reverse_complement(s));
    auto merged = [](std::string const& g) {
        return g.find("Escherichia") != std::string::npos || g.find("Shigella") != std::string::npos
                   ? std::string("Escherichia/Shigella")
                   : g;
    };
    for (std::size_t q = 0; q < queries.size(); ++q) {
        std::set<std::string> gh, sh;
        for (std::size_t i = 0; i < seqs.size(); ++i) {
            bool hit = seqs[i].find(queries[q]) != std::string::npos;
            if (!hit && try_rc) hit = rcs[i].find(queries[q]) != std::string::npos;
            if (!hit) continue;
            gh.insert(merged(genus[i]));
            sh.insert(merged(species[i]));
        }
        if (gh.size() != 1 || sh.size() != 1) continue;
        // The assigned genus: DADA2's "Genus" column (the 6th level) when the reference is that
        // deep, else its last column; a level that was not kept does not match.
        auto const& lv = tax[q].levels;
        std::size_t const depth = tax[q].boot.size();
        std::size_t const gcol = depth >= 6 ? 5 : depth - 1;
        std::string const assigned = depth > 0 && lv.size() > gcol ? lv[gcol] : std::string();
        std::string const& binom = *gh.begin();
        bool const match = !assigned.empty() &&
                           (assigned == binom || assigned.rfind(binom + " ", 0) == 0 || assigned.rfind(binom + "_", 0) == 0 ||
                            assigned.rfind(binom + "/", 0) == 0 ||
                            (assigned.size() > binom.size() && assigned.compare(assigned.size() - binom.size() - 1,
                                                                                binom.size() + 1, "/" + binom) == 0));
        if (match) tax[q].species = *sh.begin();
    }
}

void classify_fasta(std::string const& seqs_fasta, TaxReference const& ref, std::string const& species_fasta,
                    ClassifyOptions const& opt, std::string const& out_path) {
    std::vector<std::string> ids, seqs;
    seqio::FastxReader r(seqs_fasta);
    seqio::FastxRecord rec;
    while (r.next(rec)) {
        ids.push_back(rec.name);
        std::string s = rec.seq;
        for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        seqs.push_back(std::move(s));
    }
    auto tax = assign_taxonomy(seqs, ref, opt);
    if (!species_fasta.empty()) add_species(seqs, species_fasta, tax, opt.try_rc);
    AtomicOutput out(out_path);
    out.stream() << "Feature ID\tTaxon\tConfidence\n";
    char buf[32];
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto const& t = tax[i];
        std::string taxon;
        for (auto const& l : t.levels) taxon += (taxon.empty() ? "" : "; ") + l;
        if (!t.species.empty()) taxon += "; " + t.species;
        int const b = t.levels.empty() ? (t.boot.empty() ? 0 : t.boot[0]) : t.boot[t.levels.size() - 1];
        std::snprintf(buf, sizeof buf, "%.2f", b / 100.0);
        out.stream() << ids[i] << '\t' << (taxon.empty() ? "Unassigned" : taxon) << '\t' << buf << '\n';
    }
    out.commit();
}

}  // namespace orbiome::amplicon
