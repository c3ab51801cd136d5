// LEfSe on its own HMP aerobiosis example (../shared/data/tables/lefse_hmp_aerobiosis): same
// discriminative features and classes as LEfSe's shipped results file; Kruskal–Wallis p equal
// to Debian lefse 1.1.2's (R via rpy2) to 1e-9; LDA scores within LEfSe's resampling noise of
// Debian lefse 1.1.2 runs frozen in tests/parity/lefse/hmp_aerobiosis (seeds 1982, 7, 42).
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "diffabund/diff.hpp"
#include "io/metadata.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using namespace orbiome::diffabund;

namespace {

std::vector<std::string> cells(std::string const& line) {
    std::vector<std::string> out;
    std::string c;
    std::istringstream in(line);
    while (std::getline(in, c, '\t')) out.push_back(c);
    return out;
}

// LEfSe's feature-name rewriting (lefse_format_input.modify_feature_names), to match names.
std::string lefse_name(std::string s) {
    std::string out;
    for (char ch : s) {
        if (std::string(" $@#%^&*\"'").find(ch) != std::string::npos) continue;
        if (std::string("/()-+={}[],.;:?<>").find(ch) != std::string::npos) ch = '_';
        if (ch == '|') ch = '.';
        out += ch;
    }
    if (!out.empty() && (std::isdigit(static_cast<unsigned char>(out[0])) || out[0] == '_')) out = "f_" + out;
    return out;
}

DiffResult run_hmp(int threads, orbiome::testing::TempDir const& dir) {
    std::ifstream in(orbiome::testing::shared_data("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt"));
    std::string line;
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) rows.push_back(cells(line));
    std::size_t const n = rows[0].size() - 1;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < n; ++i) ids.push_back("S" + std::to_string(i + 1));
    {
        std::ofstream md(dir.file("md.tsv"));
        md << "sample-id\t" << rows[0][0] << "\t" << rows[1][0] << "\n";
        for (std::size_t i = 0; i < n; ++i) md << ids[i] << "\t" << rows[0][i + 1] << "\t" << rows[1][i + 1] << "\n";
    }
    std::vector<std::string> features;
    std::vector<double> dense;
    for (std::size_t r = 3; r < rows.size(); ++r) {
        features.push_back(rows[r][0]);
        for (std::size_t i = 1; i <= n; ++i) dense.push_back(std::stod(rows[r][i]));
    }
    auto t = table::FeatureTable::from_dense(features, ids, dense);
    DesignSpec spec;
    spec.group = "oxygen_availability";
    spec.subclass = "body_site";
    auto d = make_design(t, "hmp_small_aerobiosis.txt", io::read_metadata(dir.file("md.tsv")), spec);
    DiffOptions o;
    o.method = DiffMethod::lefse;
    o.n_threads = threads;
    return run_diff(t, d, o);
}

}  // namespace

TEST(LefseParity, HmpAerobiosisSameFeaturesClassesKwAndLdaWithinResamplingNoise) {
    ORBIOME_SHARED_OR_SKIP("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt");
    orbiome::testing::TempDir dir;
    auto r = run_hmp(2, dir);
    EXPECT_EQ(r.rows.size(), 1091u);  // 927 given clades + 164 ancestors LEfSe adds (as its results file)
    std::map<std::string, DiffRow const*> ours;
    std::size_t n_disc = 0;
    for (auto const& row : r.rows) {
        ours[lefse_name(row.feature)] = &row;
        n_disc += !row.extra.empty();
    }
    // Shipped results: feature, log10 max mean, class, LDA, KW p.
    std::ifstream res(orbiome::testing::shared_data("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.results"));
    std::string line;
    std::size_t n_ref = 0;
    while (std::getline(res, line)) {
        auto c = cells(line + "\t");
        ASSERT_TRUE(ours.count(c[0])) << c[0];
        EXPECT_EQ(ours[c[0]]->extra, c[2]) << c[0];
        n_ref += !c[2].empty();
    }
    EXPECT_EQ(n_ref, 51u);
    EXPECT_EQ(n_disc, 51u);
    // Debian lefse 1.1.2, three seeds.
    std::ifstream frozen(orbiome::testing::test_data("../parity/lefse/hmp_aerobiosis/lefse_lda_by_seed.tsv"));
    std::getline(frozen, line);
    std::vector<double> diffs;
    while (std::getline(frozen, line)) {
        auto c = cells(line);
        auto const* row = ours.at(c[0]);
        double const kw = std::stod(c[5]);
        EXPECT_NEAR(row->p_value, kw, 1e-9 * kw) << c[0];
        std::vector<double> lda{std::stod(c[2]), std::stod(c[3]), std::stod(c[4])};
        std::sort(lda.begin(), lda.end());
        diffs.push_back(std::abs(row->effect - lda[1]));
        EXPECT_LT(diffs.back(), 0.3) << c[0] << " ours " << row->effect << " lefse median " << lda[1];
    }
    ASSERT_EQ(diffs.size(), 51u);
    std::sort(diffs.begin(), diffs.end());
    EXPECT_LT(diffs[diffs.size() / 2], 0.03);  // median |ours - LEfSe| over the 51 features
}

TEST(LefseParity, SameOutputForAnyThreadCount) {
    ORBIOME_SHARED_OR_SKIP("tables/lefse_hmp_aerobiosis/hmp_small_aerobiosis.txt");
    orbiome::testing::TempDir dir;
    auto a = run_hmp(1, dir), b = run_hmp(2, dir);
    std::ostringstream sa, sb;
    write_diff(a, sa);
    write_diff(b, sb);
    EXPECT_EQ(sa.str(), sb.str());
}
