#include <string>

#include <gtest/gtest.h>

#include "taxonomy/lineage.hpp"

using namespace orbiome::taxonomy;

namespace {
std::string name_at(Lineage const& l, Rank r) { return l.name[static_cast<std::size_t>(r)]; }
std::string level_at(Lineage const& l, Rank r) { return l.level[static_cast<std::size_t>(r)]; }
}  // namespace

TEST(Rank, NamesPrefixesAndParsing) {
    EXPECT_EQ(rank_name(Rank::domain), "domain");
    EXPECT_EQ(rank_name(Rank::class_), "class");
    EXPECT_EQ(rank_name(Rank::strain), "strain");
    EXPECT_EQ(rank_prefix(Rank::domain), "k__");
    EXPECT_EQ(rank_prefix(Rank::species), "s__");
    EXPECT_EQ(parse_rank("Kingdom"), Rank::domain);
    EXPECT_EQ(parse_rank("superkingdom"), Rank::domain);
    EXPECT_EQ(parse_rank(" DOMAIN "), Rank::domain);
    EXPECT_EQ(parse_rank("Genus"), Rank::genus);
    EXPECT_EQ(parse_rank("class"), Rank::class_);
    EXPECT_EQ(parse_rank("g"), Rank::genus);
    EXPECT_EQ(parse_rank("d"), Rank::domain);
    EXPECT_EQ(parse_rank("t"), Rank::strain);
    EXPECT_EQ(parse_rank("subspecies"), std::nullopt);
    EXPECT_EQ(parse_rank(""), std::nullopt);
    EXPECT_EQ(parse_rank("x"), std::nullopt);
}

TEST(Lineage, GreengenesPrefixesWithSpacesAndEmptyLevels) {
    // A real Greengenes 13_8 line (97_otu_taxonomy.txt, OTU 4479984).
    Lineage l = parse_lineage("k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Lachnospiraceae; g__; s__");
    EXPECT_TRUE(l.prefixed);
    EXPECT_EQ(name_at(l, Rank::domain), "Bacteria");
    EXPECT_EQ(name_at(l, Rank::family), "Lachnospiraceae");
    EXPECT_EQ(name_at(l, Rank::genus), "");
    EXPECT_EQ(level_at(l, Rank::genus), "g__");
    EXPECT_EQ(level_at(l, Rank::phylum), "p__Firmicutes");
    EXPECT_EQ(l.deepest(), Rank::family);
    EXPECT_EQ(collapse_key(l, Rank::phylum), "k__Bacteria;p__Firmicutes");
    EXPECT_EQ(collapse_key(l, Rank::genus), "k__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Lachnospiraceae;unassigned");
    EXPECT_EQ(collapse_key(l, Rank::species), collapse_key(l, Rank::genus));
}

TEST(Lineage, SilvaNumberedPrefixes) {
    // RR-5 tax_table style (SILVA 132 QIIME release).
    Lineage l = parse_lineage("D_0__Bacteria;D_1__Bacteroidetes;D_2__Bacteroidia;D_3__Bacteroidales;"
                              "D_4__Muribaculaceae;D_5__uncultured bacterium");
    EXPECT_TRUE(l.prefixed);
    EXPECT_EQ(name_at(l, Rank::phylum), "Bacteroidetes");
    EXPECT_EQ(name_at(l, Rank::genus), "uncultured bacterium");  // a name the reference gives
    EXPECT_EQ(level_at(l, Rank::species), "");
    EXPECT_EQ(l.deepest(), Rank::genus);
    EXPECT_EQ(collapse_key(l, Rank::family), "D_0__Bacteria;D_1__Bacteroidetes;D_2__Bacteroidia;D_3__Bacteroidales;D_4__Muribaculaceae");
    EXPECT_EQ(collapse_key(l, Rank::species),
              "D_0__Bacteria;D_1__Bacteroidetes;D_2__Bacteroidia;D_3__Bacteroidales;D_4__Muribaculaceae;"
              "D_5__uncultured bacterium;unassigned");
}

TEST(Lineage, GtdbDomainPrefix) {
    Lineage l = parse_lineage("d__Bacteria;p__Bacillota_A;c__Clostridia;o__Lachnospirales;f__Lachnospiraceae;"
                              "g__Dorea;s__Dorea longicatena");
    EXPECT_EQ(name_at(l, Rank::domain), "Bacteria");
    EXPECT_EQ(name_at(l, Rank::species), "Dorea longicatena");
    EXPECT_EQ(l.deepest(), Rank::species);
    EXPECT_EQ(collapse_key(l, Rank::genus), "d__Bacteria;p__Bacillota_A;c__Clostridia;o__Lachnospirales;f__Lachnospiraceae;g__Dorea");
}

TEST(Lineage, PlainPositional) {
    Lineage l = parse_lineage("Bacteria;Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Dorea;formicigenerans");
    EXPECT_FALSE(l.prefixed);
    EXPECT_EQ(name_at(l, Rank::order), "Clostridiales");
    EXPECT_EQ(name_at(l, Rank::species), "formicigenerans");
    EXPECT_EQ(level_at(l, Rank::genus), "Dorea");
    EXPECT_EQ(collapse_key(l, Rank::class_), "Bacteria;Firmicutes;Clostridia");
    // A trailing separator is not a level.
    Lineage t = parse_lineage("Bacteria;Firmicutes;");
    EXPECT_EQ(t.deepest(), Rank::phylum);
    EXPECT_EQ(collapse_key(t, Rank::phylum), "Bacteria;Firmicutes");
    EXPECT_EQ(collapse_key(t, Rank::genus), "Bacteria;Firmicutes;unassigned");
}

TEST(Lineage, PositionalKeepsEmptyAndNaLevelsInPlace) {
    Lineage l = parse_lineage("Bacteria; ;Clostridia;NA;Lachnospiraceae");
    EXPECT_EQ(name_at(l, Rank::phylum), "");
    EXPECT_EQ(name_at(l, Rank::class_), "Clostridia");
    EXPECT_EQ(name_at(l, Rank::order), "");
    EXPECT_EQ(name_at(l, Rank::family), "Lachnospiraceae");
    EXPECT_EQ(collapse_key(l, Rank::family), "Bacteria;;Clostridia;NA;Lachnospiraceae");
    EXPECT_EQ(collapse_key(l, Rank::order), "Bacteria;;Clostridia;unassigned");
    EXPECT_EQ(collapse_key(l, Rank::phylum), "Bacteria;unassigned");
}

TEST(Lineage, MetaphlanPipes) {
    Lineage l = parse_lineage("k__Bacteria|p__Firmicutes|c__Clostridia|o__Eubacteriales|f__Oscillospiraceae|"
                              "g__Ruminococcus|s__Ruminococcus_bromii|t__SGB4285");
    EXPECT_EQ(name_at(l, Rank::genus), "Ruminococcus");
    EXPECT_EQ(name_at(l, Rank::species), "Ruminococcus_bromii");
    EXPECT_EQ(name_at(l, Rank::strain), "SGB4285");
    EXPECT_EQ(l.deepest(), Rank::strain);
    EXPECT_EQ(collapse_key(l, Rank::phylum), "k__Bacteria;p__Firmicutes");  // keys always use ';'
    Lineage top = parse_lineage("k__Archaea");
    EXPECT_EQ(top.deepest(), Rank::domain);
    EXPECT_EQ(collapse_key(top, Rank::phylum), "k__Archaea;unassigned");
}

TEST(Lineage, UnknownLevelsAndUnassigned) {
    for (char const* text : {"", "Unassigned", "NA", "k__", "k__; p__; g__", "  ;  "}) {
        Lineage l = parse_lineage(text);
        EXPECT_EQ(l.deepest(), std::nullopt) << text;
        EXPECT_EQ(collapse_key(l, Rank::genus), "unassigned") << text;
        EXPECT_EQ(collapse_key(l, Rank::domain), "unassigned") << text;
    }
    Lineage l = parse_lineage("k__Bacteria;p__;c__Bacilli;o__none");
    EXPECT_EQ(name_at(l, Rank::phylum), "");
    EXPECT_EQ(name_at(l, Rank::order), "");
    EXPECT_EQ(collapse_key(l, Rank::class_), "k__Bacteria;p__;c__Bacilli");
    EXPECT_EQ(collapse_key(l, Rank::order), "k__Bacteria;p__;c__Bacilli;unassigned");
    EXPECT_EQ(collapse_key(l, Rank::phylum), "k__Bacteria;unassigned");
}

TEST(Lineage, PrefixedLeavesOutAbsentLevels) {
    // Ranks named by prefix but skipping some: the absent levels are not padded.
    Lineage l = parse_lineage("k__Bacteria; g__Dorea");
    EXPECT_EQ(name_at(l, Rank::genus), "Dorea");
    EXPECT_EQ(level_at(l, Rank::family), "");
    EXPECT_EQ(collapse_key(l, Rank::genus), "k__Bacteria;g__Dorea");
    EXPECT_EQ(collapse_key(l, Rank::family), "k__Bacteria;unassigned");
}

TEST(Lineage, FromColumns) {
    std::vector<Rank> const std7 = {Rank::domain, Rank::phylum, Rank::class_, Rank::order,
                                    Rank::family, Rank::genus,  Rank::species};
    EXPECT_EQ(lineage_from_columns(std7, {"Bacteria", "Firmicutes", "Bacilli", "NA", "NA", "NA", "NA"}),
              "Bacteria;Firmicutes;Bacilli");
    EXPECT_EQ(lineage_from_columns(std7, {"Bacteria", "NA", "Bacilli", "", "", "", ""}), "Bacteria;;Bacilli");
    EXPECT_EQ(lineage_from_columns({Rank::phylum, Rank::genus}, {"Firmicutes", "Dorea"}), "p__Firmicutes;g__Dorea");
    EXPECT_EQ(lineage_from_columns({Rank::phylum, Rank::genus}, {"NA", "Dorea"}), "p__;g__Dorea");
    // Round trip: the prefixed text parses back to the same ranks.
    Lineage back = parse_lineage(lineage_from_columns({Rank::phylum, Rank::genus}, {"Firmicutes", "Dorea"}));
    EXPECT_EQ(name_at(back, Rank::phylum), "Firmicutes");
    EXPECT_EQ(name_at(back, Rank::genus), "Dorea");
    EXPECT_EQ(lineage_from_columns(std7, {"NA", "NA", "NA", "NA", "NA", "NA", "NA"}), "");
}
