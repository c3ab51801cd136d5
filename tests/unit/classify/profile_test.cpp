#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "classify/profile.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "seqio/fastx.hpp"
#include "support/paths.hpp"
#include "taxonomy/taxdump.hpp"

using namespace orbiome;
using orbiome::testing::TempDir;
using orbiome::testing::test_data;

namespace {

index::Index build_tiny(bool strain_map, int n_threads = 1) {
    index::BuildInput in;
    in.genome_files = {test_data("profiler/ref1.fa"), test_data("profiler/ref2.fa"), test_data("profiler/ref3.fa")};
    std::string const map = test_data(strain_map ? "profiler/seqid2taxid_strain.tsv" : "profiler/seqid2taxid.tsv");
    in.seqid2taxid = index::read_seqid2taxid(map);
    in.seqid2taxid_file = map;
    if (strain_map) {
        auto const t = taxonomy::Taxonomy::from_ncbi_dump(test_data("profiler/taxdump/nodes.dmp"),
                                                          test_data("profiler/taxdump/names.dmp"));
        in.taxonomy = index::taxon_specs(t);
    } else {
        in.taxonomy = index::taxon_specs(taxonomy::Taxonomy::from_lineage_tsv(test_data("profiler/lineages.tsv")));
    }
    return index::Index::build(in, n_threads);
}

std::map<std::string, index::TaxId> calls(index::Index const& idx, classify::ClassifyOptions opt) {
    classify::Classifier const clf(idx, opt);
    seqio::FastxReader r(test_data("profiler/reads.fq"));
    seqio::FastxRecord rec;
    classify::ClassifyScratch s;
    std::map<std::string, index::TaxId> out;
    while (r.next(rec)) out[rec.name] = idx.taxonomy().taxid(clf.classify(rec.seq, {}, s).tax);
    return out;
}

struct Outputs {
    std::string kreport, cami, tsv, per_read;
};

Outputs run_profile(index::Index const& idx, int threads, std::size_t batch, bool paired) {
    classify::Classifier const clf(idx, {});
    classify::ProfileOptions opt;
    opt.n_threads = threads;
    opt.batch_bases = batch;
    opt.em.min_reads = 0;
    std::ostringstream per_read, k, c, t;
    auto const res = paired ? classify::profile_reads(clf, test_data("profiler/pairs_1.fq"),
                                                      test_data("profiler/pairs_2.fq"), opt, &per_read)
                            : classify::profile_reads(clf, test_data("profiler/reads.fq"), "", opt, &per_read);
    classify::write_kreport(k, idx.taxonomy(), res);
    classify::write_cami_profile(c, idx.taxonomy(), res, "tiny", "orbiome test");
    classify::write_abundance_tsv(t, idx.taxonomy(), res, "#orbiome profile test");
    return {k.str(), c.str(), t.str(), per_read.str()};
}

std::vector<std::string> lines_of(std::string const& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST(Classify, TinyRealSequencesGetTheExpectedCalls) {
    auto const idx = build_tiny(true);
    auto const got = calls(idx, {});
    // The chimera goes to E. coli at confidence 0: its E. coli half has more minimizer hits
    // (checked against the family call at confidence 0.5 in the next test).
    std::map<std::string, index::TaxId> const want = {
        {"ecoli_exact", 562},           {"salmonella_revcomp", 28901}, {"akkermansia_4_mismatches", 349741},
        {"random", 0},                  {"chimera_ecoli_salmonella", 562},
        {"short_20bp", 0},              {"all_N", 0},                  {"ecoli_with_N_run", 562}};
    EXPECT_EQ(got, want);
}

TEST(Classify, LineageTsvTaxonomyGivesTheSameSpeciesCalls) {
    auto const idx = build_tiny(false);
    auto const got = calls(idx, {});
    EXPECT_EQ(got.at("ecoli_exact"), 562u);
    EXPECT_EQ(got.at("salmonella_revcomp"), 28901u);
    EXPECT_EQ(got.at("akkermansia_4_mismatches"), 239935u);
    EXPECT_EQ(got.at("random"), 0u);
}

TEST(Classify, ConfidenceMovesTheChimeraToTheFamilyAndMinHitGroupsDropsWeakReads) {
    auto const idx = build_tiny(true);
    classify::Classifier const clf(idx, {0.5, 2});
    classify::ClassifyScratch s;
    // 75 bp of E. coli + 75 bp of Salmonella: each species holds under half of the minimizers,
    // their family (Enterobacteriaceae, 543) all the hits.
    seqio::FastxReader r(test_data("profiler/reads.fq"));
    seqio::FastxRecord rec;
    while (r.next(rec) && rec.name != "chimera_ecoli_salmonella") {}
    auto const c = clf.classify(rec.seq, {}, s);
    auto const& tax = idx.taxonomy();
    std::uint32_t e = 0, sal = 0;
    for (auto t : s.taxa) {
        e += t != 0 && tax.is_ancestor(tax.find(562), t);
        sal += t != 0 && tax.is_ancestor(tax.find(28901), t);
    }
    ASSERT_GT(c.n_hits, 0u);
    EXPECT_LT(2.0 * e, c.n_minimizers);
    EXPECT_LT(2.0 * sal, c.n_minimizers);
    EXPECT_GE(2 * c.n_hits, c.n_minimizers);
    EXPECT_EQ(tax.taxid(c.tax), 543u);
    EXPECT_GT(e, sal);  // why the confidence-0 call is E. coli
    // A family-level call is above genus: no candidate species for the EM.
    EXPECT_TRUE(s.species.empty());
    // Requiring more hit groups than the read has leaves it unclassified.
    classify::Classifier const strict(idx, {0.0, static_cast<int>(c.n_hits) + 1});
    EXPECT_EQ(strict.classify(rec.seq, {}, s).tax, 0u);
    EXPECT_THROW(classify::Classifier(idx, {1.5, 2}), UsageError);
}

TEST(Report, KrakenReportHasSixColumnsIndentationRankCodesAndConsistentCounts) {
    auto const idx = build_tiny(true);
    auto const out = run_profile(idx, 1, 1u << 20, false);
    auto const rows = lines_of(out.kreport);
    ASSERT_GE(rows.size(), 3u);
    EXPECT_EQ(rows[0], " 37.50\t3\t3\tU\t0\tunclassified");  // random, 20 bp and all-N reads of 8
    std::map<std::string, std::string> code_of;
    std::uint64_t total = 0;
    for (auto const& row : rows) {
        auto const f = split(row, '\t');
        ASSERT_EQ(f.size(), 6u) << row;
        EXPECT_FALSE(f[3].empty()) << row;
        std::string const name(f[5]);
        code_of[std::string(trim(name))] = std::string(f[3]);
        std::size_t indent = 0;
        while (indent < name.size() && name[indent] == ' ') ++indent;
        EXPECT_EQ(indent % 2, 0u);
        total += std::stoull(std::string(f[2]));
    }
    EXPECT_EQ(total, 8u);  // direct counts add up to all reads
    EXPECT_EQ(code_of["root"], "R");
    EXPECT_EQ(code_of["Bacteria"], "D");
    EXPECT_EQ(code_of["Enterobacteriaceae"], "F");
    EXPECT_EQ(code_of["Escherichia coli"], "S");
    EXPECT_EQ(code_of["Akkermansia muciniphila ATCC BAA-835"], "S1");
    // Escherichia coli sits 7 levels below the root: 14 spaces.
    bool found = false;
    for (auto const& row : rows)
        if (row.find("\t              Escherichia coli") != std::string::npos) found = true;
    EXPECT_TRUE(found) << out.kreport;
}

TEST(Report, CamiProfileFollowsTheFormatRules) {
    auto const idx = build_tiny(true);
    auto const out = run_profile(idx, 1, 1u << 20, true);
    auto const rows = lines_of(out.cami);
    ASSERT_GE(rows.size(), 8u);
    EXPECT_EQ(rows[1], "@SampleID:tiny");
    EXPECT_EQ(rows[2], "@Version:0.9.1");
    EXPECT_EQ(rows[3], "@Ranks:superkingdom|phylum|class|order|family|genus|species");
    EXPECT_EQ(rows[6], "@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE");
    std::map<std::string, double> rank_sum;
    std::map<std::string, double> species;
    for (std::size_t i = 7; i < rows.size(); ++i) {
        auto const f = split(rows[i], '\t');
        ASSERT_EQ(f.size(), 5u) << rows[i];
        auto const path = split(f[2], '|');
        EXPECT_EQ(path.back(), f[0]);                    // TAXPATH ends in the row's taxid
        EXPECT_EQ(split(f[3], '|').size(), path.size());  // one name per path entry
        rank_sum[std::string(f[1])] += std::stod(std::string(f[4]));
        if (f[1] == "species") species[std::string(f[0])] = std::stod(std::string(f[4]));
    }
    for (auto const& [rank, sum] : rank_sum) EXPECT_LE(sum, 100.0) << rank;
    // 60 pairs, 20 from each species, every pair classified to its species.
    ASSERT_EQ(species.size(), 3u);
    EXPECT_NEAR(species["562"], 100.0 / 3, 1e-6);
    EXPECT_NEAR(species["28901"], 100.0 / 3, 1e-6);
    EXPECT_NEAR(species["239935"], 100.0 / 3, 1e-6);
    EXPECT_NE(out.tsv.find("\n239935\tspecies\tAkkermansia muciniphila\t"), std::string::npos) << out.tsv;
}

TEST(Report, PerReadOutputIsKrakenStyle) {
    auto const idx = build_tiny(true);
    auto const out = run_profile(idx, 1, 1u << 20, true);
    auto const rows = lines_of(out.per_read);
    ASSERT_EQ(rows.size(), 60u);
    auto const f = split(rows[0], '\t');
    ASSERT_EQ(f.size(), 5u);
    EXPECT_EQ(f[0], "C");
    EXPECT_EQ(f[1], "pair0_e");  // mate suffix removed
    EXPECT_EQ(f[2], "562");
    EXPECT_EQ(f[3], "150|150");
    EXPECT_NE(f[4].find(" |:| "), std::string_view::npos);
}

TEST(Profile, OutputsAreByteIdenticalForAnyThreadCountAndBatchSize) {
    auto const idx = build_tiny(true);
    for (bool paired : {false, true}) {
        auto const one = run_profile(idx, 1, 1u << 20, paired);
        for (auto const& [threads, batch] : {std::pair{2, std::size_t{1} << 20}, std::pair{2, std::size_t{200}},
                                              std::pair{3, std::size_t{1}}}) {
            auto const other = run_profile(idx, threads, batch, paired);
            EXPECT_EQ(one.kreport, other.kreport);
            EXPECT_EQ(one.cami, other.cami);
            EXPECT_EQ(one.tsv, other.tsv);
            EXPECT_EQ(one.per_read, other.per_read);
        }
    }
}
