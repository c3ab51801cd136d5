#include "function/genefamilies.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "function/text_input.hpp"

namespace orbiome::function {

double GeneFamilies::get(std::string const& stratum, std::string const& family) const {
    auto const f = rpk.find(family);
    if (f == rpk.end()) return 0.0;
    auto const s = f->second.find(stratum);
    return s == f->second.end() ? 0.0 : s->second;
}

std::vector<std::string> GeneFamilies::strata() const {
    std::set<std::string> s;
    for (auto const& [fam, by] : rpk)
        for (auto const& [b, v] : by)
            if (b != "all") s.insert(b);
    return {s.begin(), s.end()};
}

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Python's int(): optional surrounding whitespace, optional sign, decimal digits.
bool py_int(std::string_view s, long long& out) {
    s = trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty()) return false;
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

/// The read id without a `|LEN` suffix, and LEN (1 when absent), as HUMAnN's get_length_annotation.
std::pair<std::string_view, long long> length_annotation(std::string_view id) {
    auto const bar = id.rfind('|');
    if (bar == std::string_view::npos) return {id, 1};
    long long len = 0;
    if (!py_int(id.substr(bar + 1), len)) return {id, 1};
    return {id.substr(0, bar), len};
}

/// HUMAnN's query-coverage rule: a query of unknown length (<= 1) always passes.
bool fails_query_coverage(long long query_length, long long qstart, long long qend, double threshold) {
    double cov = threshold + 1.0;
    if (query_length > 1)
        cov = (static_cast<double>(std::llabs(qend - qstart) + 1) / static_cast<double>(query_length)) * 100.0;
    return cov < threshold;
}

/// Number of integers in the union of half-open intervals.
long long union_length(std::vector<std::pair<long long, long long>>& iv) {
    std::sort(iv.begin(), iv.end());
    long long total = 0, cur_s = 0, cur_e = 0;
    bool open = false;
    for (auto const& [s, e] : iv) {
        if (e <= s) continue;
        if (open && s <= cur_e) {
            cur_e = std::max(cur_e, e);
        } else {
            if (open) total += cur_e - cur_s;
            cur_s = s;
            cur_e = e;
            open = true;
        }
    }
    if (open) total += cur_e - cur_s;
    return total;
}

/// Accumulates accepted hits as HUMAnN's store.Alignments does.
class Alignments {
public:
    void add(std::string const& gene, long long length, std::string const& query, double matches,
             std::string const& bug, double read_length) {
        if (length == 0) length = 1000;  // HUMAnN's default_reference_length
        double const score = std::pow(matches, 2.0);
        auto& q = queries_[query];
        q.total += score;
        if (read_length < 1) read_length = 1;
        double const norm = (std::fabs(static_cast<double>(length) - read_length) + 1.0) / 1000.0;
        q.hits.push_back(Hit{gene, bug, score, norm});
    }
    GeneFamilies finish(double unmapped) const {
        GeneFamilies g;
        g.unmapped = unmapped;
        for (auto const& [query, q] : queries_)
            for (auto const& h : q.hits) {
                double const v = q.hits.size() == 1 ? 1.0 / h.norm : h.score / q.total * (1.0 / h.norm);
                g.rpk[h.gene][h.bug] += v;
            }
        for (auto& [gene, by] : g.rpk) {
            double all = 0.0;
            for (auto const& [bug, v] : by) all += v;
            by["all"] = all;
        }
        return g;
    }

private:
    struct Hit {
        std::string gene, bug;
        double score, norm;
    };
    struct Query {
        double total = 0.0;
        std::vector<Hit> hits;
    };
    std::unordered_map<std::string, Query> queries_;
};


/// Percent identity, aligned length (M/=/X/I/D) and reference span (M/D/N/=/X) from CIGAR and MD,
/// as HUMAnN's calculate_percent_identity.
void cigar_md(std::string_view cigar, std::string_view md, double& identity, double& alnlen, long long& refspan) {
    double count = 0.0;
    long long span = 0;
    long long num = 0;
    bool have = false;
    for (char c : cigar) {
        if (c >= '0' && c <= '9') {
            num = num * 10 + (c - '0');
            have = true;
            continue;
        }
        if (have) {
            if (c == 'M' || c == '=' || c == 'X' || c == 'I' || c == 'D') count += static_cast<double>(num);
            if (c == 'M' || c == 'D' || c == 'N' || c == '=' || c == 'X') span += num;
        }
        num = 0;
        have = false;
    }
    long long matches = 0;
    num = 0;
    have = false;
    for (char c : md) {
        if (c >= '0' && c <= '9') {
            num = num * 10 + (c - '0');
            have = true;
        } else {
            if (have) matches += num;
            num = 0;
            have = false;
        }
    }
    if (have) matches += num;
    identity = count > 0.0 ? 100.0 * (static_cast<double>(matches) / count) : 0.0;
    alnlen = count;
    refspan = span;
}

long long field_int(std::string_view s, std::string const& file, std::size_t line, std::string_view what) {
    long long v = 0;
    if (!py_int(s, v)) fail_data(file, line, std::string(what) + " '" + std::string(s) + "' is not an integer");
    return v;
}

}  // namespace

Annotation parse_reference(std::string const& reference) {
    auto const f = split(reference, '|');
    Annotation a{reference, "", 0};
    // The ChocoPhlAn layout: field 1 is the taxonomy (its last two '.' parts are the stratum),
    // field 2 the UniRef90 id, field 4 the length. Python assigns bug and gene before the length
    // is parsed, so a bad length keeps the gene but not the stratum (HUMAnN's except branch).
    bool ok = false;
    if (f.size() > 1) {
        auto const tax = split(f[1], '.');
        if (tax.size() >= 2 && f.size() > 2) {
            a.bug = std::string(tax[tax.size() - 2]) + "." + std::string(tax[tax.size() - 1]);
            a.gene = std::string(f[2]);
            long long len = 0;
            if (f.size() > 4 && py_int(f[4], len)) {
                a.length = len;
                ok = true;
            }
        }
    }
    if (ok) return a;
    a.bug = "unclassified";
    a.length = 0;
    if (f.size() == 3 && all_digits(f[1]) && !all_digits(f[2])) {
        a.bug = std::string(f[2]);
        a.length = std::stoll(std::string(f[1]));
        a.gene = std::string(f[0]);
    } else if (f.size() == 2) {
        if (all_digits(f[1])) {
            a.length = std::stoll(std::string(f[1]));
            a.gene = std::string(f[0]);
        } else if (all_digits(f[0])) {
            a.length = std::stoll(std::string(f[0]));
            a.gene = std::string(f[1]);
        }
    }
    return a;
}

namespace {

std::vector<NucleotideRecord> read_sam(std::string const& path, QuantifyStats& st) {
    std::vector<NucleotideRecord> out;
    TextInput text(path);
    std::string line;
    while (text.next(line)) {
        if (line.empty() || line[0] == '@') continue;
        auto const f = split(line, '\t');
        std::size_t const ln = text.line_no();
        if (f.size() < 11)
            fail_data(path, ln, "SAM record has " + std::to_string(f.size()) + " fields, needs at least 11 (QNAME..QUAL)",
                      "give bowtie2's SAM output (-S), not a BAM or a hits table");
        long long const flag = field_int(f[1], path, ln, "SAM FLAG");
        NucleotideRecord r;
        r.read = std::string(f[0]);
        r.mapped = (flag & 0x4) == 0;
        ++st.sam_records;
        if (r.mapped) {
            std::string_view md;
            bool have_md = false;
            for (std::size_t i = 11; i < f.size(); ++i)
                if (f[i].substr(0, 5) == "MD:Z:") {
                    md = f[i].substr(5);
                    have_md = true;
                    break;
                }
            if (!have_md)
                fail_data(path, ln, "mapped SAM record of read '" + std::string(f[0]) + "' has no MD:Z tag",
                          "HUMAnN's identity needs MD:Z (bowtie2 writes it; for other aligners use samtools calmd)");
            r.reference = std::string(f[2]);
            r.pos = field_int(f[3], path, ln, "SAM POS");
            cigar_md(f[5], md, r.identity, r.alnlen, r.refspan);
        }
        out.push_back(std::move(r));
    }
    return out;
}

GeneFamilies quantify_impl(std::vector<NucleotideRecord> const& sam, std::vector<AlignmentInput> const& blast_inputs,
                           QuantifyOptions const& o, QuantifyStats& st) {
    Alignments alignments;
    std::vector<std::string_view> read_names;
    std::unordered_map<std::string_view, std::size_t> read_index;
    std::vector<std::size_t> rec_read(sam.size());
    std::unordered_map<std::string, Annotation> annotations;
    auto annotate = [&](std::string const& ref) -> Annotation const& {
        auto it = annotations.find(ref);
        if (it == annotations.end()) it = annotations.emplace(ref, parse_reference(ref)).first;
        return it->second;
    };
    for (std::size_t i = 0; i < sam.size(); ++i) {
        auto [it, inserted] = read_index.try_emplace(sam[i].read, read_names.size());
        if (inserted) read_names.push_back(sam[i].read);
        rec_read[i] = it->second;
    }
    st.sam_reads = read_names.size();

    // Gene coverage over every mapped record (HUMAnN's blastx_coverage in nucleotide mode). The
    // intermediate table HUMAnN writes holds qend as a float ("99.0"), which its int() rejects, so
    // qstart = qend = 0: a read id with a |LEN suffix (LEN > 1) fails query coverage here.
    std::unordered_map<std::string, std::vector<std::pair<long long, long long>>> ranges;
    std::unordered_map<std::string, long long> lengths;
    for (auto const& r : sam) {
        if (!r.mapped) continue;
        auto const& a = annotate(r.reference);
        auto const qlen = length_annotation(r.read).second;
        if (fails_query_coverage(qlen, 0, 0, o.nucleotide_query_coverage)) continue;
        lengths[a.gene] = a.length;
        if (r.refspan > 0) ranges[a.gene].emplace_back(r.pos, r.pos + r.refspan);
    }
    std::unordered_set<std::string> allowed;
    for (auto& [gene, iv] : ranges) {
        long long const len = lengths[gene];
        double const cov = len == 0 ? 0.0 : static_cast<double>(union_length(iv)) / static_cast<double>(len) * 100.0;
        if (cov >= o.nucleotide_subject_coverage) allowed.insert(gene);
    }
    std::vector<char> unaligned(read_names.size(), 0);
    for (std::size_t i = 0; i < sam.size(); ++i) {
        auto const& r = sam[i];
        if (!r.mapped) {
            unaligned[rec_read[i]] = 1;
            continue;
        }
        auto const& a = annotate(r.reference);
        bool rejected = !allowed.contains(a.gene);
        if (r.identity > o.identity_threshold) {
            double const matches = r.identity / 100.0 * r.alnlen;
            if (!rejected) {
                alignments.add(a.gene, a.length, r.read, matches, a.bug, r.alnlen);
                ++st.accepted_nucleotide;
            }
        } else {
            rejected = true;
        }
        if (rejected) unaligned[rec_read[i]] = 1;
    }

    // Translated tier: BLAST tabular hits. Reads the nucleotide tier accepted are not searched
    // by HUMAnN, so their hits are ignored here.
    struct Blast {
        std::string query;
        Annotation const* ann;
        double identity, alnlen;
        long long sstart, send;
    };
    std::vector<Blast> kept;
    for (auto const& in : blast_inputs) {
        TextInput text(in.path);
        std::string line;
        while (text.next(line)) {
            if (line.empty() || line[0] == '#') continue;
            auto const f = split(line, '\t');
            std::size_t const ln = text.line_no();
            if (f.size() != 12)
                fail_data(in.path, ln,
                          "BLAST tabular line has " + std::to_string(f.size()) + " columns, expected 12 (outfmt 6)",
                          "qseqid sseqid pident length mismatch gapopen qstart qend sstart send evalue bitscore");
            ++st.blast_records;
            double const identity = parse_double(f[2], in.path, ln, "pident");
            double const alnlen = parse_double(f[3], in.path, ln, "alignment length");
            long long const qstart = field_int(f[6], in.path, ln, "qstart");
            long long const qend = field_int(f[7], in.path, ln, "qend");
            long long const sstart = field_int(f[8], in.path, ln, "sstart");
            long long const send = field_int(f[9], in.path, ln, "send");
            double const evalue = parse_double(f[10], in.path, ln, "evalue");
            auto const [query, qlen] = length_annotation(f[0]);
            auto const it = read_index.find(query);
            if (it != read_index.end() && !unaligned[it->second]) continue;
            if (identity < o.identity_threshold || evalue > o.evalue_threshold ||
                fails_query_coverage(qlen, qstart, qend, o.translated_query_coverage))
                continue;
            kept.push_back(Blast{std::string(query), &annotate(std::string(f[1])), identity, alnlen, sstart, send});
        }
    }
    std::unordered_map<std::string, std::vector<std::pair<long long, long long>>> pranges;
    std::unordered_map<std::string, long long> plengths;
    for (auto const& b : kept) {
        plengths[b.ann->gene] = b.ann->length;
        auto& iv = pranges[b.ann->gene];
        if (b.send > b.sstart) iv.emplace_back(b.sstart, b.send);
    }
    std::unordered_set<std::string> pallowed;
    for (auto& [gene, iv] : pranges) {
        double const protein_length = static_cast<double>(plengths[gene]) / 3.0;
        double const cov =
            protein_length == 0.0 ? 0.0 : static_cast<double>(union_length(iv)) / protein_length * 100.0;
        if (cov >= o.translated_subject_coverage) pallowed.insert(gene);
    }
    for (auto const& b : kept) {
        if (!pallowed.contains(b.ann->gene)) continue;
        alignments.add(b.ann->gene, b.ann->length, b.query, b.identity / 100.0 * b.alnlen, b.ann->bug, b.alnlen);
        ++st.accepted_translated;
        auto const it = read_index.find(b.query);
        if (it != read_index.end()) unaligned[it->second] = 0;
    }

    double unmapped = 0.0;
    for (char u : unaligned) unmapped += u;
    return alignments.finish(unmapped);
}

}  // namespace

GeneFamilies quantify(std::vector<AlignmentInput> const& inputs, QuantifyOptions const& o, QuantifyStats* stats) {
    QuantifyStats st;
    std::vector<NucleotideRecord> sam;
    std::vector<AlignmentInput> blast;
    for (auto const& in : inputs) {
        if (in.kind == AlignmentInput::Kind::sam) {
            auto recs = read_sam(in.path, st);
            sam.insert(sam.end(), std::make_move_iterator(recs.begin()), std::make_move_iterator(recs.end()));
        } else {
            blast.push_back(in);
        }
    }
    auto g = quantify_impl(sam, blast, o, st);
    if (stats) *stats = st;
    return g;
}

GeneFamilies quantify_nucleotide(std::vector<NucleotideRecord> const& records, QuantifyOptions const& o,
                                 QuantifyStats* stats) {
    QuantifyStats st;
    st.sam_records = records.size();
    auto g = quantify_impl(records, {}, o, st);
    if (stats) *stats = st;
    return g;
}

namespace {

/// Keys by value descending, ties by name (HUMAnN's double_sort).
std::vector<std::pair<std::string, double>> double_sort(std::vector<std::pair<std::string, double>> v) {
    std::sort(v.begin(), v.end(), [](auto const& a, auto const& b) {
        if (a.second != b.second) return a.second > b.second;
        return a.first < b.first;
    });
    return v;
}

std::string fixed10(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10f", v);
    return buf;
}

}  // namespace

void write_genefamilies(GeneFamilies const& g, std::string const& path, std::string const& column,
                        std::string const& comment) {
    AtomicOutput out(path);
    auto& os = out.stream();
    if (!comment.empty()) os << comment << '\n';
    os << "# Gene Family\t" << column << '\n';
    os << "UNMAPPED\t" << fixed10(g.unmapped) << '\n';
    std::vector<std::pair<std::string, double>> fams;
    for (auto const& [fam, by] : g.rpk) fams.emplace_back(fam, g.get("all", fam));
    for (auto const& [fam, all] : double_sort(std::move(fams))) {
        if (!(all > 0.0)) continue;
        os << fam << '\t' << fixed10(all) << '\n';
        std::vector<std::pair<std::string, double>> strata;
        for (auto const& [bug, v] : g.rpk.at(fam))
            if (bug != "all") strata.emplace_back(bug, v);
        for (auto const& [bug, v] : double_sort(std::move(strata)))
            if (v > 0.0) os << fam << '|' << bug << '\t' << fixed10(v) << '\n';
    }
    out.commit();
}

GeneFamilies read_genefamilies(std::string const& path) {
    GeneFamilies g;
    TextInput text(path);
    std::string line;
    while (text.next(line)) {
        if (!line.empty() && line[0] == '#') continue;
        auto const stripped = trim(line);
        if (stripped.empty()) continue;
        auto const f = split(stripped, '\t');
        std::size_t const ln = text.line_no();
        if (f.size() < 2)
            fail_data(path, ln, "gene-family row has no value column",
                      "expected FAMILY[|STRATUM]<TAB>RPK (HUMAnN genefamilies.tsv)");
        double const v = parse_double(f[1], path, ln, "gene-family value");
        if (v < 0.0) fail_data(path, ln, "negative gene-family value " + std::string(f[1]) + " for '" + std::string(f[0]) + "'");
        std::string id(f[0]);
        std::string gene = id, bug = "all";
        if (auto const bar = id.find('|'); bar != std::string::npos) {
            gene = id.substr(0, bar);
            auto const rest = id.substr(bar + 1);
            bug = rest.substr(0, rest.find('|'));
        }
        if (auto const colon = gene.find(": "); colon != std::string::npos) gene.resize(colon);
        if (gene == "UNMAPPED")
            g.unmapped = v;
        else
            g.rpk[gene][bug] = v;
    }
    return g;
}

}  // namespace orbiome::function
