#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"
#include "support/paths.hpp"
#include "taxonomy/taxdump.hpp"

using namespace orbiome;
using taxonomy::TaxId;
using taxonomy::TaxIndex;
using taxonomy::Taxonomy;

// Reference numbers come from tests/data/taxonomy/taxonomy_reference.py (plain Python 3, an
// independent dump reader and walk-to-root), or from woltka's own rank_tids table.

namespace {

std::string data(std::string const& rel) { return orbiome::testing::test_data("taxonomy/" + rel); }

Taxonomy woltka() { return Taxonomy::from_ncbi_dump(data("woltka_nodes.dmp"), data("woltka_names.dmp")); }

TaxIndex idx(Taxonomy const& t, std::uint64_t taxid) {
    auto const i = t.find(TaxId{taxid});
    EXPECT_TRUE(i.has_value()) << taxid;
    return i.value_or(Taxonomy::root());
}

void expect_parent_first(Taxonomy const& t) {
    EXPECT_EQ(t.parent(Taxonomy::root()), Taxonomy::root());
    EXPECT_EQ(t.depth(Taxonomy::root()), 0u);
    for (std::uint32_t i = 1; i < t.size(); ++i) {
        TaxIndex const p = t.parent(TaxIndex{i});
        ASSERT_LT(taxonomy::to_int(p), i);
        EXPECT_EQ(t.depth(TaxIndex{i}), t.depth(p) + 1);
        EXPECT_EQ(t.find(t.taxid(TaxIndex{i})), TaxIndex{i});
    }
}

// The naive oracle: mark every ancestor of a, then climb from b to the first marked node.
TaxIndex naive_lca(Taxonomy const& t, TaxIndex a, TaxIndex b) {
    std::set<std::uint32_t> anc;
    for (TaxIndex u = a;; u = t.parent(u)) {
        anc.insert(taxonomy::to_int(u));
        if (u == Taxonomy::root()) break;
    }
    for (TaxIndex u = b;; u = t.parent(u))
        if (anc.count(taxonomy::to_int(u))) return u;
}

template <class F>
std::string parse_error_of(F&& f) {
    try {
        f();
    } catch (ParseError const& e) {
        EXPECT_EQ(e.code(), Errc::data);
        return e.what();
    }
    return "no ParseError";
}

Taxonomy from_nodes(std::string const& text) {
    std::istringstream in(text);
    return Taxonomy::from_ncbi_streams(in, "nodes.dmp", nullptr, "");
}

Taxonomy from_lineages(std::string const& text) {
    std::istringstream in(text);
    return Taxonomy::from_lineage_stream(in, "lin.tsv");
}

}  // namespace

TEST(Taxdump, Kraken2TinyDump) {
    Taxonomy t = Taxonomy::from_ncbi_dump(data("kraken2_tiny_nodes.dmp"), data("kraken2_tiny_names.dmp"));
    ASSERT_EQ(t.size(), 13u);
    EXPECT_EQ(t.taxid(Taxonomy::root()), TaxId{1});
    EXPECT_EQ(t.name(Taxonomy::root()), "root");  // the scientific name, not the synonym "all"
    expect_parent_first(t);
    TaxIndex const acartia = idx(t, 1168547), phage = idx(t, 154784);
    EXPECT_EQ(t.depth(acartia), 6u);
    EXPECT_EQ(t.rank(acartia), "species");
    EXPECT_EQ(t.name(idx(t, 10239)), "Viruses");
    EXPECT_EQ(t.lca(acartia, phage), idx(t, 10239));
    EXPECT_EQ(t.lca(acartia, acartia), acartia);
    EXPECT_EQ(t.lca(acartia, idx(t, 39725)), idx(t, 39725));
    EXPECT_EQ(t.ancestor_at_rank(acartia, "genus"), idx(t, 39725));
    EXPECT_EQ(t.ancestor_at_rank(acartia, "phylum"), std::nullopt);
    EXPECT_EQ(t.lineage(TaxId{1168547}), "k__Viruses;f__Circoviridae;g__Circovirus;s__Acartia tonsa copepod circovirus");
    EXPECT_EQ(t.lineage(TaxId{154784}), "k__Viruses;f__Leviviridae;g__Levivirus;s__Acinetobacter phage AP205");
    EXPECT_EQ(t.lineage(TaxId{1}), "");
    EXPECT_EQ(t.find(TaxId{2}), std::nullopt);
    EXPECT_EQ(parse_error_of([&] { t.lineage(TaxId{2}); }), "taxid 2 is not in the taxonomy");
    EXPECT_EQ(parse_error_of([&] { t.require(TaxId{7}, "map.tsv", 3); }), "map.tsv:3: taxid 7 is not in the taxonomy");
}

TEST(Taxdump, WoltkaDumpMatchesWoltkaRankTable) {
    Taxonomy t = woltka();
    EXPECT_EQ(t.size(), 486u);
    expect_parent_first(t);
    std::uint32_t max_depth = 0;
    for (std::uint32_t i = 0; i < t.size(); ++i) max_depth = std::max(max_depth, t.depth(TaxIndex{i}));
    EXPECT_EQ(max_depth, 13u);

    std::map<std::string, std::uint64_t> genome_taxid;
    {
        std::ifstream in(data("woltka_taxid.map"));
        std::string g;
        std::uint64_t tid = 0;
        while (in >> g >> tid) genome_taxid[g] = tid;
    }
    ASSERT_EQ(genome_taxid.size(), 107u);
    // woltka's taxonomy_rank_tids.tsv: genome, then the taxid at kingdom..species.
    std::ifstream in(data("woltka_rank_tids.tsv"));
    std::string line;
    std::getline(in, line);
    std::vector<std::string> const ranks = {"superkingdom", "phylum", "class", "order", "family", "genus", "species"};
    std::size_t checked = 0, lineages_equal = 0;
    while (std::getline(in, line)) {
        auto const f = split(line, '\t');
        ASSERT_EQ(f.size(), 8u);
        TaxIndex const g = idx(t, genome_taxid.at(std::string(f[0])));
        for (std::size_t r = 0; r < ranks.size(); ++r) {
            auto const a = t.ancestor_at_rank(g, ranks[r]);
            if (f[r + 1] == "0") {  // woltka writes 0 where the genome has no taxon at that rank
                EXPECT_FALSE(a.has_value()) << f[0] << " " << ranks[r];
            } else {
                ASSERT_TRUE(a.has_value()) << f[0] << " " << ranks[r];
                EXPECT_EQ(std::to_string(taxonomy::to_int(t.taxid(*a))), f[r + 1]) << f[0] << " " << ranks[r];
            }
            ++checked;
        }
    }
    EXPECT_EQ(checked, 107u * 7u);
    std::ifstream lin(data("woltka_lineages.txt"));
    while (std::getline(lin, line)) {
        auto const f = split(line, '\t');
        lineages_equal += t.lineage(TaxId{genome_taxid.at(std::string(f[0]))}) == f[1] ? 1 : 0;
    }
    // The other 4 have an empty level ("c__") in lineages.txt that the dump leaves out.
    EXPECT_EQ(lineages_equal, 103u);
    EXPECT_EQ(t.lineage(TaxId{243277}),
              "k__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Vibrionales;f__Vibrionaceae;g__Vibrio;"
              "s__Vibrio cholerae");
}

TEST(Taxdump, LcaMatchesNaiveWalkOn1000SeededPairs) {
    Taxonomy t = woltka();
    constexpr std::uint64_t kSeed = 20240607;
    constexpr std::size_t kPairs = 1000;
    std::size_t non_trivial = 0;
    for (std::size_t k = 0; k < kPairs; ++k) {
        Rng rng = Rng::stream(kSeed, k);
        TaxIndex const a{static_cast<std::uint32_t>(rng.below(t.size()))};
        TaxIndex const b{static_cast<std::uint32_t>(rng.below(t.size()))};
        TaxIndex const l = t.lca(a, b);
        ASSERT_EQ(l, naive_lca(t, a, b)) << taxonomy::to_int(a) << " " << taxonomy::to_int(b);
        EXPECT_EQ(l, t.lca(b, a));
        non_trivial += (l != Taxonomy::root() && l != a && l != b) ? 1 : 0;
    }
    EXPECT_GT(non_trivial, 100u);  // the pairs exercise more than root and ancestor cases
}

TEST(Taxdump, WoltkaLineageTsvRoundTripsAndDerivesStableIds) {
    Taxonomy t = Taxonomy::from_lineage_tsv(data("woltka_lineages.txt"));
    // 1 root + 319 distinct name paths + 107 genome labels (Python: taxonomy_reference.py logic).
    EXPECT_EQ(t.size(), 1u + 319u + 107u);
    expect_parent_first(t);
    EXPECT_EQ(t.taxid(Taxonomy::root()), TaxId{1});
    // Derived id of the domain: 2^63 | FNV-1a-64("domain=Bacteria") mod 2^63, computed in Python.
    TaxIndex const bacteria = idx(t, 10636491053633523027ull);
    EXPECT_EQ(t.name(bacteria), "Bacteria");
    EXPECT_EQ(t.rank(bacteria), "domain");
    EXPECT_EQ(taxonomy::derived_taxid("domain=Bacteria;phylum=Firmicutes"), TaxId{9968805116426352375ull});
    EXPECT_EQ(t.name(idx(t, 9968805116426352375ull)), "Firmicutes");

    std::ifstream in(data("woltka_lineages.txt"));
    std::string line;
    std::size_t equal = 0, labels = 0;
    std::map<std::string, std::string> label_lineage;
    while (std::getline(in, line)) {
        auto const f = split(line, '\t');
        label_lineage[std::string(f[0])] = std::string(f[1]);
    }
    for (std::uint32_t i = 0; i < t.size(); ++i) {
        auto const it = label_lineage.find(t.name(TaxIndex{i}));
        if (it == label_lineage.end()) continue;
        ++labels;
        EXPECT_EQ(t.rank(TaxIndex{i}), "no rank");
        EXPECT_EQ(t.depth(TaxIndex{i}), it->second.find(";c__;") != std::string::npos ||
                                                    it->second.find(";o__;") != std::string::npos
                                                ? 7u
                                                : 8u);
        equal += t.lineage(TaxIndex{i}) == it->second ? 1 : 0;
    }
    EXPECT_EQ(labels, 107u);
    EXPECT_EQ(equal, 103u);  // the 4 with an empty level come back without it

    // Same name path in another file => same id.
    Taxonomy other = from_lineages("9\td__Bacteria;p__Firmicutes;c__Bacilli\n");
    EXPECT_EQ(other.taxid(*other.find(TaxId{9})), TaxId{9});
    EXPECT_EQ(other.name(other.parent(*other.find(TaxId{9}))), "Firmicutes");
    EXPECT_EQ(other.taxid(other.parent(*other.find(TaxId{9}))), TaxId{9968805116426352375ull});
}

TEST(Taxdump, LineageTsvTaxidRules) {
    Taxonomy t = from_lineages(
        "taxid\tlineage\n"
        "# comment\n"
        "816\tBacteria;Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides\n"
        "357276\tk__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides;s__Bacteroides dorei\n"
        "\n"
        "435590\tk__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides;s__Bacteroides dorei\n"
        "NA\tk__Bacteria;p__Firmicutes;c__;o__Clostridiales\n");
    // root, 6 Bacteroides levels, dorei, the second dorei taxid as a child, Firmicutes, Clostridiales.
    EXPECT_EQ(t.size(), 11u);
    expect_parent_first(t);
    TaxIndex const genus = idx(t, 816), dorei = idx(t, 357276), second = idx(t, 435590);
    EXPECT_EQ(t.rank(genus), "genus");
    EXPECT_EQ(t.parent(dorei), genus);
    EXPECT_EQ(t.parent(second), dorei);
    EXPECT_EQ(t.rank(second), "no rank");
    EXPECT_EQ(t.name(second), "Bacteroides dorei");
    EXPECT_EQ(t.lca(second, genus), genus);
    EXPECT_EQ(t.lineage(second), "k__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;"
                                 "g__Bacteroides;s__Bacteroides dorei");
    TaxIndex const clos = idx(t, to_int(taxonomy::derived_taxid("domain=Bacteria;phylum=Firmicutes;order=Clostridiales")));
    EXPECT_EQ(t.name(t.parent(clos)), "Firmicutes");  // the unknown class is skipped
    EXPECT_EQ(t.lineage(clos), "k__Bacteria;p__Firmicutes;o__Clostridiales");
}

TEST(Taxdump, LineageTsvErrors) {
    EXPECT_EQ(parse_error_of([] { from_lineages("5\tk__A;p__B\n6\tk__A\tx\n"); }),
              "lin.tsv:2: expected 2 tab-separated fields (taxid, lineage), found 3");
    EXPECT_EQ(parse_error_of([] { from_lineages("5\tk__A;p__B\n5\tk__A;p__C\n"); }),
              "lin.tsv:2: duplicate taxid 5 (first on line 1)");
    EXPECT_EQ(parse_error_of([] { from_lineages("G1\tk__A;p__B\nG1\tk__A;p__C\n"); }),
              "lin.tsv:2: duplicate label 'G1' (first on line 1)");
    EXPECT_EQ(parse_error_of([] { from_lineages("5\tk__; p__\n"); }), "lin.tsv:1: lineage has no named level: 'k__; p__'");
    EXPECT_EQ(parse_error_of([] { from_lineages("1\tk__A\n"); }),
              "lin.tsv:1: taxid 1 is reserved for the root of a lineage taxonomy");
    EXPECT_EQ(parse_error_of([] { from_lineages("9223372036854775808\tk__A\n"); }),
              "lin.tsv:1: taxid 9223372036854775808 is out of range (1 .. 2^63-1)");
    EXPECT_EQ(parse_error_of([] { from_lineages("taxid\tlineage\n"); }), "lin.tsv:1: no lineages in file");
}

TEST(Taxdump, NodesDumpErrorsNameFileAndLine) {
    std::string const root = "1\t|\t1\t|\tno rank\t|\n";
    EXPECT_EQ(parse_error_of([&] { from_nodes(root + "2\t|\t1\t|\tsuperkingdom\t|\n3\t|\t99\t|\tgenus\t|\n"); }),
              "nodes.dmp:3: taxid 3 has unknown parent taxid 99");
    EXPECT_EQ(parse_error_of([&] { from_nodes(root + "2\t|\t1\t|\tphylum\t|\n2\t|\t1\t|\tphylum\t|\n"); }),
              "nodes.dmp:3: duplicate taxid 2 (first on line 2)");
    EXPECT_EQ(parse_error_of([&] {
                  from_nodes(root + "2\t|\t1\t|\tphylum\t|\n5\t|\t7\t|\tgenus\t|\n6\t|\t5\t|\tspecies\t|\n"
                                    "7\t|\t6\t|\tfamily\t|\n8\t|\t5\t|\tspecies\t|\n");
              }),
              "nodes.dmp:3: parent cycle: 5 -> 7 -> 6 -> 5");
    EXPECT_EQ(parse_error_of([&] { from_nodes(root + "2\t|\t2\t|\tno rank\t|\n"); }),
              "nodes.dmp:2: second root: taxid 2 is its own parent, as is taxid 1 on line 1");
    EXPECT_EQ(parse_error_of([] { from_nodes("2\t|\t3\t|\tgenus\t|\n3\t|\t2\t|\tfamily\t|\n"); }),
              "nodes.dmp: no root: no taxid is its own parent");
    EXPECT_EQ(parse_error_of([&] { from_nodes(root + "2\t1\tgenus\n"); }),
              "nodes.dmp:2: expected at least 3 fields separated by '\\t|\\t' (taxid, parent, rank), found 1");
    EXPECT_EQ(parse_error_of([&] { from_nodes(root + "x2\t|\t1\t|\tgenus\t|\n"); }),
              "nodes.dmp:2: taxid: not a non-negative integer: 'x2'");
    EXPECT_EQ(parse_error_of([&] { from_nodes(root + "0\t|\t1\t|\tgenus\t|\n"); }),
              "nodes.dmp:2: taxid 0 is out of range (1 .. 2^63-1)");
    EXPECT_EQ(parse_error_of([] { from_nodes(""); }), "nodes.dmp: no taxa in nodes file");

    std::istringstream nodes(root + "2\t|\t1\t|\tsuperkingdom\t|\n");
    std::istringstream names("2\t|\tBacteria\t|\t\t|\tscientific name\t|\n2\t|\tMonera\t|\t\t|\tscientific name\t|\n");
    EXPECT_EQ(parse_error_of([&] { Taxonomy::from_ncbi_streams(nodes, "n.dmp", &names, "names.dmp"); }),
              "names.dmp:2: second scientific name for taxid 2 (first on line 1)");
    try {
        Taxonomy::from_ncbi_dump(data("absent_nodes.dmp"), data("kraken2_tiny_names.dmp"));
        FAIL();
    } catch (IoError const& e) {
        EXPECT_EQ(e.code(), Errc::no_input);
    }
}

TEST(Taxdump, DeepChainDoesNotRecurse) {
    constexpr std::uint64_t kDepth = 300000;
    std::string text = "1\t|\t1\t|\tno rank\t|\n";
    // Children listed before parents: the reorder must still put every parent first.
    for (std::uint64_t i = kDepth + 1; i >= 2; --i)
        text += std::to_string(i) + "\t|\t" + std::to_string(i - 1) + "\t|\tno rank\t|\n";
    Taxonomy t = from_nodes(text);
    ASSERT_EQ(t.size(), kDepth + 1);
    TaxIndex const leaf = idx(t, kDepth + 1);
    EXPECT_EQ(t.depth(leaf), kDepth);
    EXPECT_EQ(t.lca(leaf, idx(t, 2)), idx(t, 2));
    expect_parent_first(t);
}
