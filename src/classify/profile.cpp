#include "classify/profile.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "core/text.hpp"
#include "seqio/fastx.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::classify {

namespace {

// CAMI percentages are rounded down to this resolution so that per-rank sums never exceed 100.
constexpr double kCamiResolution = 1e6;
constexpr std::array<char const*, 7> kCamiRanks = {"superkingdom", "phylum", "class", "order",
                                                    "family",       "genus",  "species"};

struct Slot {
    seqio::ReadBatch b1, b2;
    ClassifyScratch scratch;
    std::vector<ReadCall> calls;
    std::vector<std::uint32_t> species_offsets;
    std::vector<abundance::SpeciesId> species;
    std::string per_read;
};

void append_runs(std::string& out, index::TaxTree const& tax, std::vector<TaxIndex> const& taxa, std::size_t b,
                 std::size_t e) {
    std::size_t i = b;
    bool first = true;
    while (i < e) {
        std::size_t j = i;
        while (j < e && taxa[j] == taxa[i]) ++j;
        if (!first) out += ' ';
        first = false;
        out += std::to_string(tax.taxid(taxa[i]));
        out += ':';
        out += std::to_string(j - i);
        i = j;
    }
}

std::vector<std::vector<TaxIndex>> children_by_clade(index::TaxTree const& tax, ProfileResult const& res) {
    std::vector<std::vector<TaxIndex>> kids(tax.size());
    for (TaxIndex t = 2; t < tax.size(); ++t) kids[tax.parent(t)].push_back(t);
    for (auto& k : kids)
        std::sort(k.begin(), k.end(), [&](TaxIndex a, TaxIndex b) {
            if (res.clade_reads[a] != res.clade_reads[b]) return res.clade_reads[a] > res.clade_reads[b];
            return tax.taxid(a) < tax.taxid(b);
        });
    return kids;
}

// Pre-order walk from the root over nodes accepted by `keep`.
template <class Keep, class Visit>
void preorder(index::TaxTree const& tax, std::vector<std::vector<TaxIndex>> const& kids, Keep&& keep, Visit&& visit) {
    if (tax.size() < 2) return;
    std::vector<TaxIndex> stack{1};
    while (!stack.empty()) {
        TaxIndex const t = stack.back();
        stack.pop_back();
        if (!keep(t)) continue;
        visit(t);
        for (auto it = kids[t].rbegin(); it != kids[t].rend(); ++it) stack.push_back(*it);
    }
}

// Standard rank index (0 = domain .. 6 = species) of each node's ranked ancestors; the highest
// node wins when two map to the same rank (superkingdom and kingdom).
std::array<TaxIndex, 7> ranked_path(index::TaxTree const& tax, TaxIndex t) {
    std::array<TaxIndex, 7> path{};
    for (; t != 0; t = tax.parent(t)) {
        int const r = standard_rank(tax.rank(t));
        if (r >= 0 && r < 7) path[static_cast<std::size_t>(r)] = t;
    }
    return path;
}

}  // namespace

ProfileResult profile_reads(Classifier const& clf, std::string const& reads1, std::string const& reads2,
                            ProfileOptions const& opt, std::ostream* per_read) {
    auto const& tax = clf.index().taxonomy();
    seqio::PairedReader reader(reads1, reads2, opt.on_invalid);
    ProfileResult res;
    res.taxon_reads.assign(tax.size(), 0);
    abundance::SpeciesClasses classes;
    bool const paired = !reads2.empty();

    ordered_pipeline<Slot>(
        opt.n_threads,
        [&](Slot& s) { return reader.next_batch(s.b1, s.b2, opt.batch_bases) > 0; },
        [&](Slot& s) {
            std::size_t const n = s.b1.size();
            s.calls.resize(n);
            s.species_offsets.assign(1, 0);
            s.species.clear();
            s.per_read.clear();
            for (std::size_t i = 0; i < n; ++i) {
                std::string_view const m2 = paired ? s.b2.seq(i) : std::string_view{};
                ReadCall const c = clf.classify(s.b1.seq(i), m2, s.scratch);
                s.calls[i] = c;
                s.species.insert(s.species.end(), s.scratch.species.begin(), s.scratch.species.end());
                s.species_offsets.push_back(static_cast<std::uint32_t>(s.species.size()));
                if (per_read == nullptr) continue;
                std::string& o = s.per_read;
                o += c.tax != 0 ? "C\t" : "U\t";
                o += seqio::mate_base_name(s.b1.name(i));
                o += '\t';
                o += std::to_string(tax.taxid(c.tax));
                o += '\t';
                o += std::to_string(s.b1.seq(i).size());
                if (paired) o += '|' + std::to_string(m2.size());
                o += '\t';
                auto const& taxa = s.scratch.taxa;
                append_runs(o, tax, taxa, 0, s.scratch.mate1_minimizers);
                if (paired) {
                    o += " |:| ";
                    append_runs(o, tax, taxa, s.scratch.mate1_minimizers, taxa.size());
                }
                o += '\n';
            }
        },
        [&](Slot& s) {
            for (std::size_t i = 0; i < s.calls.size(); ++i) {
                ++res.taxon_reads[s.calls[i].tax];
                res.n_bases += s.b1.seq(i).size() + (paired ? s.b2.seq(i).size() : 0);
                classes.add(std::span<abundance::SpeciesId const>(s.species.data() + s.species_offsets[i],
                                                                   s.species_offsets[i + 1] - s.species_offsets[i]));
            }
            res.n_fragments += s.calls.size();
            if (opt.on_progress) opt.on_progress(ProfileProgress{res.n_fragments, res.n_bases});
            if (per_read != nullptr) {
                per_read->write(s.per_read.data(), static_cast<std::streamsize>(s.per_read.size()));
                if (!*per_read) throw IoError(Errc::io, "per-read output", "write failed");
            }
        });

    res.n_skipped = reader.n_skipped();
    res.first_skipped = reader.first_skipped();
    res.n_classified = res.n_fragments - res.taxon_reads[0];
    res.clade_reads = res.taxon_reads;
    for (TaxIndex t = static_cast<TaxIndex>(tax.size()) - 1; t >= 2; --t) res.clade_reads[tax.parent(t)] += res.clade_reads[t];

    auto const em = abundance::estimate_species(classes, opt.em);
    res.em_reads.assign(tax.size(), 0.0);
    res.abundance.assign(tax.size(), 0.0);
    double total = 0;
    for (auto const& [s, r] : em.reads) {
        res.em_reads[s] = r;
        double w = r;
        if (opt.genome_copies) {
            // Mean genome length of the species: bases and genome files of its whole clade.
            std::uint64_t bp = 0, count = 0;
            for (TaxIndex t = s; t < tax.size(); ++t)
                if (tax.is_ancestor(s, t)) {
                    bp += tax.genome_bp()[t];
                    count += tax.genome_count()[t];
                }
            w = bp > 0 ? r / (static_cast<double>(bp) / static_cast<double>(std::max<std::uint64_t>(count, 1))) : 0.0;
        }
        res.abundance[s] = w;
        total += w;
    }
    if (total > 0)
        for (auto& a : res.abundance) a /= total;
    for (TaxIndex t = static_cast<TaxIndex>(tax.size()) - 1; t >= 2; --t) res.abundance[tax.parent(t)] += res.abundance[t];
    return res;
}

std::vector<std::string> rank_codes(index::TaxTree const& tax) {
    std::vector<std::string> base(tax.size()), code(tax.size());
    std::vector<int> offset(tax.size(), 0);
    base[0] = code[0] = "U";
    for (TaxIndex t = 1; t < tax.size(); ++t) {
        std::string const& r = tax.rank(t);
        char letter = 0;
        if (r == "superkingdom" || r == "domain") letter = 'D';
        else if (r == "kingdom") letter = 'K';
        else if (r == "phylum") letter = 'P';
        else if (r == "class") letter = 'C';
        else if (r == "order") letter = 'O';
        else if (r == "family") letter = 'F';
        else if (r == "genus") letter = 'G';
        else if (r == "species") letter = 'S';
        if (t == 1) {
            base[t] = "R";
        } else if (letter != 0) {
            base[t] = std::string(1, letter);
        } else {
            base[t] = base[tax.parent(t)];
            offset[t] = offset[tax.parent(t)] + 1;
        }
        code[t] = offset[t] > 0 ? base[t] + std::to_string(offset[t]) : base[t];
    }
    return code;
}

std::string lineage_of(index::TaxTree const& tax, TaxIndex t) {
    auto const path = ranked_path(tax, t);
    std::string out;
    for (std::size_t r = 0; r < path.size(); ++r) {
        if (path[r] == 0) continue;
        if (!out.empty()) out += ';';
        out += taxonomy::rank_prefix(static_cast<taxonomy::Rank>(r));
        out += tax.name(path[r]);
    }
    return out;
}

void write_kreport(std::ostream& out, index::TaxTree const& tax, ProfileResult const& res) {
    auto const codes = rank_codes(tax);
    auto const kids = children_by_clade(tax, res);
    double const total = static_cast<double>(std::max<std::uint64_t>(res.n_fragments, 1));
    char pct[32];
    auto row = [&](std::uint64_t clade, std::uint64_t direct, std::string const& code, std::uint64_t taxid,
                   std::size_t indent, std::string const& name) {
        std::snprintf(pct, sizeof pct, "%6.2f", 100.0 * static_cast<double>(clade) / total);
        out << pct << '\t' << clade << '\t' << direct << '\t' << code << '\t' << taxid << '\t'
            << std::string(2 * indent, ' ') << name << '\n';
    };
    if (res.taxon_reads[0] > 0) row(res.taxon_reads[0], res.taxon_reads[0], "U", 0, 0, "unclassified");
    preorder(tax, kids, [&](TaxIndex t) { return res.clade_reads[t] > 0; },
             [&](TaxIndex t) { row(res.clade_reads[t], res.taxon_reads[t], codes[t], tax.taxid(t), tax.depth(t) - 1, tax.name(t)); });
}

void write_cami_profile(std::ostream& out, index::TaxTree const& tax, ProfileResult const& res,
                        std::string const& sample, std::string const& program) {
    out << "# Taxonomic Profiling Output\n"
        << "@SampleID:" << sample << '\n'
        << "@Version:0.9.1\n"
        << "@Ranks:superkingdom|phylum|class|order|family|genus|species\n"
        << "@TaxonomyID:orbiome-index\n"
        << "@__program__:" << program << '\n'
        << "@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE\n";
    char pct[48];
    for (std::size_t r = 0; r < kCamiRanks.size(); ++r) {
        std::vector<std::pair<double, TaxIndex>> rows;
        for (TaxIndex t = 1; t < tax.size(); ++t) {
            if (standard_rank(tax.rank(t)) != static_cast<int>(r) || res.abundance[t] <= 0) continue;
            auto const path = ranked_path(tax, t);
            if (path[r] != t) continue;  // a second node of the same rank on one path (kingdom)
            rows.emplace_back(res.abundance[t], t);
        }
        std::sort(rows.begin(), rows.end(), [&](auto const& a, auto const& b) {
            return a.first != b.first ? a.first > b.first : tax.taxid(a.second) < tax.taxid(b.second);
        });
        for (auto const& [a, t] : rows) {
            auto const path = ranked_path(tax, t);
            std::string ids, names;
            for (std::size_t q = 0; q <= r; ++q) {
                if (q > 0) {
                    ids += '|';
                    names += '|';
                }
                if (path[q] != 0) {
                    ids += std::to_string(tax.taxid(path[q]));
                    names += tax.name(path[q]);
                }
            }
            std::snprintf(pct, sizeof pct, "%.6f", std::floor(a * 100.0 * kCamiResolution) / kCamiResolution);
            out << tax.taxid(t) << '\t' << kCamiRanks[r] << '\t' << ids << '\t' << names << '\t' << pct << '\n';
        }
    }
}

void write_abundance_tsv(std::ostream& out, index::TaxTree const& tax, ProfileResult const& res,
                         std::string const& header_line) {
    auto const kids = children_by_clade(tax, res);
    double const total = static_cast<double>(std::max<std::uint64_t>(res.n_fragments, 1));
    out << header_line << '\n'
        << "taxid\trank\tname\tlineage\treads\tfraction\tabundance\ttaxon_reads\tem_reads\n";
    out << "0\tno rank\tunclassified\t\t" << res.taxon_reads[0] << '\t'
        << format_double(static_cast<double>(res.taxon_reads[0]) / total) << "\t0\t" << res.taxon_reads[0] << "\t0\n";
    preorder(tax, kids, [&](TaxIndex t) { return res.clade_reads[t] > 0 || res.abundance[t] > 0; },
             [&](TaxIndex t) {
                 out << tax.taxid(t) << '\t' << tax.rank(t) << '\t' << tax.name(t) << '\t' << lineage_of(tax, t) << '\t'
                     << res.clade_reads[t] << '\t' << format_double(static_cast<double>(res.clade_reads[t]) / total)
                     << '\t' << format_double(res.abundance[t]) << '\t' << res.taxon_reads[t] << '\t'
                     << format_double(res.em_reads[t]) << '\n';
             });
}

}  // namespace orbiome::classify
