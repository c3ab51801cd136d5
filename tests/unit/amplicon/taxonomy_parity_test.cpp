// assignTaxonomy / addSpecies parity with DADA2 1.26 on its example training set
// (tests/parity/dada2/taxonomy, see PROVENANCE.md): the best class agrees with every level DADA2
// kept (deterministic); the kept levels agree wherever DADA2's bootstrap is more than 15 from the
// cutoff (3 standard deviations of a 100-draw bootstrap near 0.5: both tools' bootstraps are
// random, DADA2's unseeded); the same species. Skips without ../shared/data.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "amplicon/taxonomy.hpp"
#include "seqio/fastx.hpp"

namespace orbiome::amplicon {
namespace {

std::string parity(std::string const& f) { return std::string(ORBIOME_TEST_DATA) + "/../parity/dada2/taxonomy/" + f; }
std::string extdata(std::string const& f) {
    return std::string(ORBIOME_TEST_DATA) + "/../../../shared/data/amplicon/dada2_extdata/" + f;
}

TEST(TaxonomyParity, SameLabelsAsAssignTaxonomyAwayFromTheCutoff) {
    if (!std::filesystem::exists(extdata("example_train_set.fa.gz"))) GTEST_SKIP() << "../shared/data absent";
    std::vector<std::string> ids, seqs;
    seqio::FastxReader r(parity("queries.fa"));
    seqio::FastxRecord rec;
    while (r.next(rec)) {
        ids.push_back(rec.name);
        seqs.push_back(rec.seq);
    }
    TaxReference const ref = read_tax_reference(extdata("example_train_set.fa.gz"));
    ClassifyOptions o;
    o.seed = 7;
    o.threads = 2;
    auto tax = assign_taxonomy(seqs, ref, o);
    add_species(seqs, extdata("example_species_assignment.fa.gz"), tax, false);

    std::ifstream in(parity("dada2_taxonomy.tsv"));
    std::string line;
    std::getline(in, line);
    std::size_t row = 0, compared = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> c;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, '\t')) c.push_back(cell);
        c.resize(14);
        ASSERT_EQ(c[0], ids.at(row));
        TaxAssignment const& t = tax[row];
        for (std::size_t lv = 0; lv < 6 && !c[1 + lv].empty(); ++lv)
            EXPECT_EQ(t.best.at(lv), c[1 + lv]) << ids[row] << " best class, level " << lv;
        for (std::size_t lv = 0; lv < 6; ++lv) {
            int const boot = std::atoi(c[8 + lv].c_str());
            if (std::abs(boot - 50) <= 15) break;  // random either way here and below
            std::string const want = c[1 + lv];
            std::string const got = lv < t.levels.size() ? t.levels[lv] : std::string();
            EXPECT_EQ(got, want) << ids[row] << " level " << lv << " (DADA2 bootstrap " << boot << ")";
            ++compared;
        }
        EXPECT_EQ(t.species, c[7]) << ids[row];
        ++row;
    }
    EXPECT_EQ(row, seqs.size());
    EXPECT_GT(compared, 200u);
}

TEST(TaxonomyParity, SeededResultsDoNotDependOnThreads) {
    if (!std::filesystem::exists(extdata("example_train_set.fa.gz"))) GTEST_SKIP() << "../shared/data absent";
    std::vector<std::string> seqs;
    seqio::FastxReader r(parity("queries.fa"));
    seqio::FastxRecord rec;
    while (r.next(rec)) seqs.push_back(rec.seq);
    TaxReference const ref = read_tax_reference(extdata("example_train_set.fa.gz"));
    ClassifyOptions o;
    o.seed = 11;
    o.threads = 1;
    auto const a = assign_taxonomy(seqs, ref, o);
    o.threads = 3;
    auto const b = assign_taxonomy(seqs, ref, o);
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].levels, b[i].levels);
        EXPECT_EQ(a[i].boot, b[i].boot);
    }
}

}  // namespace
}  // namespace orbiome::amplicon
