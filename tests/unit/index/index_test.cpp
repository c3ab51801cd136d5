#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "index/index.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using orbiome::testing::TempDir;

namespace {

std::string random_dna(std::uint64_t seed, std::size_t n) {
    Rng rng = Rng::stream(seed, 0);
    std::string s(n, 'A');
    for (auto& c : s) c = "ACGT"[rng.below(4)];
    return s;
}

std::string slurp(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// root(1) -> genus 10 -> species 100, 101 ; root -> species 200 (no genus)
std::vector<index::TaxonSpec> tiny_taxonomy() {
    return {{1, 1, "no rank", "root"},
            {10, 1, "genus", "Alpha"},
            {100, 10, "species", "Alpha one"},
            {101, 10, "species", "Alpha two"},
            {200, 1, "species", "Beta three"},
            {999, 1, "species", "Unused"}};
}

struct Fixture {
    TempDir dir;
    std::string shared = random_dna(1, 3000);
    std::string a = random_dna(2, 5000);
    std::string b = random_dna(3, 5000);
    std::string c = random_dna(4, 5000);
    index::BuildInput input;
    Fixture() {
        std::ofstream(dir.file("g1.fa")) << ">a1 one\n" << a << "\n>s1\n" << shared << "\n";
        std::ofstream(dir.file("g2.fa")) << ">b1\n" << b << shared << "\n";
        std::ofstream(dir.file("g3.fna")) << ">c1\n" << c << "\n";
        input.genome_files = index::expand_genome_paths({dir.path().string()});
        input.seqid2taxid = {{"a1", 100}, {"s1", 100}, {"b1", 101}, {"c1", 200}};
        input.taxonomy = tiny_taxonomy();
        input.k = 21;
        input.w = 5;
    }
};

index::TaxIndex call_of(index::Index const& idx, std::string const& seq) {
    std::vector<index::Minimizer> mins;
    idx.sketcher().sketch(seq, mins);
    index::TaxIndex t = 0;
    for (auto const& m : mins) t = idx.taxonomy().lca(t, idx.lookup(m.key));
    return t;
}

}  // namespace

TEST(TaxTree, KeepsUsedLineagesParentBeforeChildAndComputesLca) {
    auto const t = index::TaxTree::from_specs(tiny_taxonomy(), {101, 200, 100}, "tax");
    ASSERT_EQ(t.size(), 6u);  // sentinel, root, 10, 200, 100, 101 (999 dropped)
    EXPECT_EQ(t.taxid(1), 1u);
    for (index::TaxIndex i = 2; i < t.size(); ++i) EXPECT_LT(t.parent(i), i);
    auto const s100 = t.find(100), s101 = t.find(101), s200 = t.find(200);
    EXPECT_EQ(t.taxid(t.lca(s100, s101)), 10u);
    EXPECT_EQ(t.taxid(t.lca(s100, s200)), 1u);
    EXPECT_EQ(t.lca(0, s200), s200);
    EXPECT_EQ(t.find(999), 0u);
    EXPECT_EQ(t.taxid(t.ancestor_at_rank(s101, "genus")), 10u);
    EXPECT_EQ(t.depth(s100), 3u);
}

TEST(TaxTree, UnknownTaxidIsAnError) {
    try {
        index::TaxTree::from_specs(tiny_taxonomy(), {100, 555}, "nodes.dmp");
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_STREQ(e.what(), "nodes.dmp: taxid 555 is not in the taxonomy");
    }
}

TEST(Index, BuildMapsUniqueKeysToTheirTaxonAndSharedKeysToTheLca) {
    Fixture f;
    auto const idx = index::Index::build(f.input, 1);
    auto const& tax = idx.taxonomy();
    EXPECT_EQ(tax.taxid(call_of(idx, f.a)), 100u);
    EXPECT_EQ(tax.taxid(call_of(idx, f.b)), 101u);
    EXPECT_EQ(tax.taxid(call_of(idx, f.c)), 200u);
    // The shared segment is in species 100 and 101: each of its minimizers maps to genus 10.
    std::vector<index::Minimizer> mins;
    idx.sketcher().sketch(f.shared.substr(100, 2000), mins);
    ASSERT_GT(mins.size(), 100u);
    for (auto const& m : mins) EXPECT_EQ(tax.taxid(idx.lookup(m.key)), 10u);
    // A random sequence is absent.
    mins.clear();
    idx.sketcher().sketch(random_dna(99, 2000), mins);
    std::size_t hits = 0;
    for (auto const& m : mins) hits += idx.lookup(m.key) != 0;
    EXPECT_EQ(hits, 0u);
    EXPECT_EQ(idx.header().n_sequences, 4u);
    EXPECT_EQ(idx.header().n_bases, 5000u + 3000u + 8000u + 5000u);
    EXPECT_EQ(tax.genome_bp()[tax.find(100)], 8000u);
    EXPECT_EQ(tax.genome_count()[tax.find(100)], 1u);
}

TEST(Index, AFileOfSeveralTaxaGivesTheSameTableAsOneFilePerTaxon) {
    Fixture f;
    auto const split = index::Index::build(f.input, 1);
    // One file holding both species of genus 10 (their shared segment twice) and species 200.
    TempDir dir;
    std::ofstream(dir.file("mixed.fa")) << ">a1\n" << f.a << "\n>b1\n" << f.b << f.shared << "\n>c1\n" << f.c
                                        << "\n>s1\n" << f.shared << "\n";
    f.input.genome_files = {dir.file("mixed.fa")};
    auto const mixed = index::Index::build(f.input, 2);
    EXPECT_EQ(mixed.header().n_keys, split.header().n_keys);
    std::vector<index::Minimizer> mins;
    for (std::string const& s : {f.a, f.b, f.c, f.shared}) split.sketcher().sketch(s, mins);
    ASSERT_GT(mins.size(), 1000u);
    for (auto const& m : mins)
        EXPECT_EQ(mixed.taxonomy().taxid(mixed.lookup(m.key)), split.taxonomy().taxid(split.lookup(m.key)));
    EXPECT_EQ(mixed.taxonomy().taxid(call_of(mixed, f.shared.substr(100, 2000))), 10u);
}

TEST(Index, RoundTripThroughFileAndSameBytesForAnyThreadCount) {
    Fixture f;
    auto const idx1 = index::Index::build(f.input, 1);
    auto const idx2 = index::Index::build(f.input, 2);
    idx1.save(f.dir.file("t1.idx"));
    idx2.save(f.dir.file("t2.idx"));
    std::string const bytes = slurp(f.dir.file("t1.idx"));
    EXPECT_EQ(bytes, slurp(f.dir.file("t2.idx")));
    auto const loaded = index::Index::open(f.dir.file("t1.idx"));
    EXPECT_EQ(loaded.header().k, 21u);
    EXPECT_EQ(loaded.header().w, 5u);
    EXPECT_EQ(loaded.header().n_keys, idx1.header().n_keys);
    EXPECT_EQ(loaded.taxonomy().size(), idx1.taxonomy().size());
    EXPECT_EQ(loaded.taxonomy().name(loaded.taxonomy().find(101)), "Alpha two");
    for (std::string const& s : {f.a, f.b, f.c, f.shared})
        EXPECT_EQ(call_of(loaded, s), call_of(idx1, s));
}

TEST(Index, OtherFormatVersionIsAClearError) {
    Fixture f;
    index::Index::build(f.input, 1).save(f.dir.file("t.idx"));
    std::string bytes = slurp(f.dir.file("t.idx"));
    bytes[8] = 3;  // format_version, little-endian uint32 right after the magic
    std::ofstream(f.dir.file("v3.idx"), std::ios::binary) << bytes;
    try {
        index::Index::open(f.dir.file("v3.idx"));
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()),
                  f.dir.file("v3.idx") + ": index format version 3, but this orbiome reads versions 1 to 2");
        EXPECT_EQ(e.hint(), "rebuild it with `orbiome db build`");
    }
}

TEST(Index, Version1FileLoadsAsExactKmers) {
    // Version 1 wrote 0 in the word that version 2 uses for the spaced seed.
    Fixture f;
    f.input.spaces = 0;
    auto const built = index::Index::build(f.input, 1);
    built.save(f.dir.file("t.idx"));
    std::string bytes = slurp(f.dir.file("t.idx"));
    bytes[8] = 1;
    std::ofstream(f.dir.file("v1.idx"), std::ios::binary) << bytes;
    auto const v1 = index::Index::open(f.dir.file("v1.idx"));
    EXPECT_EQ(v1.header().format_version, 1u);
    EXPECT_EQ(v1.sketcher().wildcards(), 0u);
    for (std::string const& s : {f.a, f.b, f.c, f.shared}) EXPECT_EQ(call_of(v1, s), call_of(built, s));
}

TEST(Index, SpacedSeedIsStoredAndUsedByQueries) {
    Fixture f;
    f.input.spaces = 5;
    auto const built = index::Index::build(f.input, 2);
    built.save(f.dir.file("s.idx"));
    auto const loaded = index::Index::open(f.dir.file("s.idx"));
    EXPECT_EQ(loaded.header().format_version, 2u);
    EXPECT_EQ(loaded.header().wildcards, index::spaced_seed(21, 5));
    EXPECT_EQ(loaded.sketcher().wildcards(), index::spaced_seed(21, 5));
    Fixture exact;
    exact.input.spaces = 0;
    EXPECT_NE(loaded.header().n_keys, index::Index::build(exact.input, 1).header().n_keys);
    EXPECT_EQ(index::Index::build(exact.input, 1).header().wildcards, 0u);
    EXPECT_EQ(loaded.taxonomy().taxid(call_of(loaded, f.a)), 100u);
    EXPECT_EQ(loaded.taxonomy().taxid(call_of(loaded, f.c)), 200u);
    EXPECT_EQ(loaded.taxonomy().taxid(call_of(loaded, f.shared)), 10u);
}

TEST(Index, CorruptOrTruncatedFileIsAnError) {
    Fixture f;
    index::Index::build(f.input, 1).save(f.dir.file("t.idx"));
    std::string bytes = slurp(f.dir.file("t.idx"));
    std::string flipped = bytes;
    flipped[200] = static_cast<char>(flipped[200] ^ 0x10);
    std::ofstream(f.dir.file("flip.idx"), std::ios::binary) << flipped;
    std::ofstream(f.dir.file("cut.idx"), std::ios::binary) << bytes.substr(0, bytes.size() - 7);
    std::ofstream(f.dir.file("text.idx"), std::ios::binary) << "taxid\tname\n";
    auto msg = [](std::string const& p) {
        try {
            index::Index::open(p);
        } catch (ParseError const& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(msg(f.dir.file("flip.idx")), f.dir.file("flip.idx") + ": index checksum mismatch (file corrupt)");
    EXPECT_EQ(msg(f.dir.file("cut.idx")).rfind(f.dir.file("cut.idx") + ": index file is truncated", 0), 0u);
    EXPECT_EQ(msg(f.dir.file("text.idx")), f.dir.file("text.idx") + ": not an orbiome index (file too short)");
}

TEST(Index, SequenceMissingFromTheMapIsListed) {
    Fixture f;
    f.input.seqid2taxid.pop_back();
    f.input.seqid2taxid_file = "map.tsv";
    try {
        index::Index::build(f.input, 2);
        FAIL();
    } catch (ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), "map.tsv: sequence ids missing from the map: c1 (" + f.dir.file("g3.fna") + ")");
    }
}

TEST(Seqid2Taxid, SkipsHeaderAndParsesPipes) {
    TempDir d;
    std::ofstream(d.file("m.tsv")) << "sequence_id\ttaxid\ngi|224514876|ref|NZ_DS499508.1|\t562\nx\t7\r\n";
    auto const m = index::read_seqid2taxid(d.file("m.tsv"));
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].first, "gi|224514876|ref|NZ_DS499508.1|");
    EXPECT_EQ(m[0].second, 562u);
    EXPECT_EQ(m[1].second, 7u);
    std::ofstream(d.file("bad.tsv")) << "a\t1\nb\tseven\n";
    EXPECT_THROW(index::read_seqid2taxid(d.file("bad.tsv")), ParseError);
}
