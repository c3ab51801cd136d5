// Diversity parity on GlobalPatterns (19,216 OTUs x 26 samples, 38,431-node tree) against frozen
// scikit-bio 0.5.8 outputs in tests/parity/skbio/globalpatterns (see PROVENANCE.md there).
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "ecology/alpha.hpp"
#include "ecology/beta.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

using namespace orbiome;

namespace {

constexpr char kTable[] = "tables/phyloseq/GlobalPatterns_otu_table.tsv";
constexpr char kTree[] = "tables/phyloseq/GlobalPatterns_tree.nwk";

std::string ref(std::string const& name) {
    return orbiome::testing::test_data("../parity/skbio/globalpatterns/" + name);
}

double rel_err(double got, double want) {
    if (std::isnan(want)) return std::isnan(got) ? 0.0 : INFINITY;
    return std::fabs(got - want) / std::max(std::fabs(want), 1e-300);
}

struct GlobalPatterns : ::testing::Test {
    static table::FeatureTable const& table() {
        static auto const t = io::read_table(orbiome::testing::shared_data(kTable));
        return t;
    }
    static io::Tree const& tree() {
        static auto const t = io::read_newick(orbiome::testing::shared_data(kTree));
        return t;
    }
};

TEST_F(GlobalPatterns, AlphaMatchesScikitBio) {
    ORBIOME_SHARED_OR_SKIP(kTable);
    ORBIOME_SHARED_OR_SKIP(kTree);
    std::map<std::string, std::map<std::string, double>> want;  // column -> sample -> value
    std::ifstream in(ref("alpha.tsv"));
    std::string line, cell;
    std::getline(in, line);
    std::vector<std::string> head;
    for (std::stringstream hs(line); std::getline(hs, cell, '\t');) head.push_back(cell);
    while (std::getline(in, line)) {
        std::stringstream ls(line);
        std::string id;
        std::getline(ls, id, '\t');
        for (std::size_t k = 1; std::getline(ls, cell, '\t'); ++k) want[head[k]][id] = std::stod(cell);
    }
    ecology::AlphaOptions o;
    o.tree = &tree();
    o.n_threads = 2;
    o.metrics = ecology::parse_alpha_metrics("observed,shannon,simpson,inverse_simpson,chao1,ace,pielou,faith_pd");
    auto const r = ecology::alpha_diversity(table(), o);
    ASSERT_EQ(r.sample_ids.size(), 26u);
    for (std::size_t m = 0; m < r.metrics.size(); ++m) {
        std::string const name(ecology::alpha_metric_name(r.metrics[m]));
        double worst = 0;
        for (std::size_t s = 0; s < 26; ++s) worst = std::max(worst, rel_err(r.at(s, m), want.at(name).at(r.sample_ids[s])));
        std::cout << "[ parity ] GlobalPatterns " << name << ": worst relative error " << worst << "\n";
        EXPECT_LE(worst, 1e-12) << name;
    }
    o.metrics = {ecology::AlphaMetric::shannon};
    o.log_base = 2.0;
    auto const r2 = ecology::alpha_diversity(table(), o);
    for (std::size_t s = 0; s < 26; ++s)
        EXPECT_LE(rel_err(r2.at(s, 0), want.at("shannon_base2").at(r2.sample_ids[s])), 1e-12) << r2.sample_ids[s];
}

TEST_F(GlobalPatterns, BetaMatchesScikitBio) {
    ORBIOME_SHARED_OR_SKIP(kTable);
    ORBIOME_SHARED_OR_SKIP(kTree);
    struct Case {
        ecology::BetaMetric metric;
        char const* file;
    };
    for (auto const c : {Case{ecology::BetaMetric::braycurtis, "braycurtis.tsv"},
                         Case{ecology::BetaMetric::aitchison, "aitchison_pseudocount1.tsv"},
                         Case{ecology::BetaMetric::unweighted_unifrac, "unweighted_unifrac.tsv"},
                         Case{ecology::BetaMetric::weighted_unifrac, "weighted_unifrac.tsv"},
                         Case{ecology::BetaMetric::weighted_normalized_unifrac, "weighted_normalized_unifrac.tsv"}}) {
        ecology::BetaOptions o;
        o.metric = c.metric;
        o.tree = &tree();
        o.n_threads = 2;
        auto const got = ecology::beta_diversity(table(), o);
        auto const want = ecology::read_distance_matrix(ref(c.file));
        ASSERT_EQ(got.ids(), want.ids()) << c.file;
        double worst = 0;
        for (std::size_t i = 0; i < got.size(); ++i)
            for (std::size_t j = i + 1; j < got.size(); ++j) worst = std::max(worst, rel_err(got(i, j), want(i, j)));
        std::cout << "[ parity ] GlobalPatterns " << c.file << ": 325 pairs, worst relative error " << worst << "\n";
        EXPECT_LE(worst, 1e-9) << c.file;
    }
}

}  // namespace
