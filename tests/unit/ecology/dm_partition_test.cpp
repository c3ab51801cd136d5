#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <unistd.h>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ecology/beta.hpp"
#include "ecology/dm_hdf5.hpp"
#include "ecology/dm_partition.hpp"
#include "ecology/pcoa.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"

using namespace orbiome;
using ecology::BetaMetric;
using ecology::Partition;

namespace {

std::string data(std::string const& name) { return std::string(ORBIOME_TEST_DATA) + "/" + name; }

struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("orbiome_dm_partition_" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string file(std::string const& name) const { return (path / name).string(); }
};

// phyloseq's gp500 (28 samples, 500 OTUs, tree): real data, and 28 is even, so the last UniFrac
// stripe is the half stripe.
struct Gp500 : ::testing::Test {
    table::FeatureTable table = io::read_table(data("diversity/gp500_otu_table.tsv"));
    io::Tree tree = io::read_newick(data("diversity/gp500_tree.nwk"));
    TempDir tmp;

    ecology::BetaOptions options(BetaMetric m, int threads = 1) const {
        ecology::BetaOptions o;
        o.metric = m;
        o.tree = &tree;
        o.n_threads = threads;
        return o;
    }
    // Computes the N partitions (each through a partial file), merges them.
    ecology::DistanceMatrix partitioned(table::FeatureTable const& t, ecology::BetaOptions const& o, std::size_t n,
                                        int threads = 1) {
        std::vector<std::string> paths;
        auto opt = o;
        opt.n_threads = threads;
        for (std::size_t i = n; i >= 1; --i) {  // merge order must not matter
            paths.push_back(tmp.file("part" + std::to_string(i)));
            ecology::write_partial(ecology::beta_partial(t, opt, Partition{i, n}), paths.back());
        }
        return ecology::merge_partials(paths);
    }
};

void expect_identical(ecology::DistanceMatrix const& a, ecology::DistanceMatrix const& b) {
    ASSERT_EQ(a.ids(), b.ids());
    ASSERT_EQ(a.condensed().size(), b.condensed().size());
    EXPECT_EQ(0, std::memcmp(a.condensed().data(), b.condensed().data(), a.condensed().size() * sizeof(double)))
        << "partitioned matrix differs from the whole one";
}

}  // namespace

TEST(Partition, ParsesIOverN) {
    auto const p = Partition::parse("3/8");
    EXPECT_EQ(p.index, 3u);
    EXPECT_EQ(p.count, 8u);
    for (char const* bad : {"0/4", "5/4", "1/0", "4", "a/4", "1/4x", "/4", "1/", "-1/4"})
        EXPECT_THROW(Partition::parse(bad), UsageError) << bad;
}

TEST(Partition, RowsCoverTheTriangleOnceInBalancedSlices) {
    for (std::size_t n : {1u, 2u, 3u, 28u, 101u})
        for (std::size_t parts : {1u, 2u, 3u, 7u, 200u}) {
            std::size_t expect_begin = 0, total = 0, biggest = 0;
            for (std::size_t i = 1; i <= parts; ++i) {
                auto const [b, e] = ecology::partition_rows(n, Partition{i, parts});
                EXPECT_EQ(b, expect_begin);
                EXPECT_LE(b, e);
                std::size_t pairs = 0;
                for (std::size_t r = b; r < e; ++r) pairs += n - 1 - r;
                total += pairs;
                biggest = std::max(biggest, pairs);
                expect_begin = e;
            }
            EXPECT_EQ(expect_begin, n);
            EXPECT_EQ(total, n * (n - 1) / 2);
            // No slice holds more than its share plus one row.
            EXPECT_LE(biggest, (total + parts - 1) / parts + (n ? n - 1 : 0));
        }
}

TEST_F(Gp500, EveryMetricPartitionedAndMergedEqualsTheWholeMatrixBitForBit) {
    for (auto m : {BetaMetric::braycurtis, BetaMetric::jaccard, BetaMetric::aitchison, BetaMetric::unweighted_unifrac,
                   BetaMetric::weighted_unifrac, BetaMetric::weighted_normalized_unifrac,
                   BetaMetric::generalized_unifrac}) {
        SCOPED_TRACE(std::string(ecology::beta_metric_name(m)));
        auto const whole = ecology::beta_diversity(table, options(m));
        // 1 part, uneven splits, and more parts than stripes (14) or rows: some parts are empty.
        for (std::size_t n : {1u, 3u, 4u, 13u, 30u}) expect_identical(partitioned(table, options(m), n), whole);
        expect_identical(partitioned(table, options(m), 4, 2), whole);  // and with 2 threads
    }
}

TEST_F(Gp500, OddSampleCountsHaveNoHalfStripe) {
    std::vector<std::size_t> samples(27), features(table.n_features());
    std::iota(samples.begin(), samples.end(), 0);
    std::iota(features.begin(), features.end(), 0);
    auto const odd = table.subset(samples, features);
    for (auto m : {BetaMetric::unweighted_unifrac, BetaMetric::generalized_unifrac, BetaMetric::braycurtis})
        expect_identical(partitioned(odd, options(m), 5), ecology::beta_diversity(odd, options(m)));
}

TEST_F(Gp500, MergeRefusesMissingRepeatedForeignAndDamagedPartials) {
    auto const o = options(BetaMetric::braycurtis);
    std::vector<std::string> p;
    for (std::size_t i = 1; i <= 3; ++i) {
        p.push_back(tmp.file("bc" + std::to_string(i)));
        ecology::write_partial(ecology::beta_partial(table, o, Partition{i, 3}), p.back());
    }
    EXPECT_THROW(ecology::merge_partials({p[0], p[2]}), UsageError);      // 2/3 missing
    EXPECT_THROW(ecology::merge_partials({p[0], p[1], p[1]}), ParseError);  // 2/3 twice
    // Another metric, and the same metric on other counts: never merged together.
    auto const jac = tmp.file("jac2");
    ecology::write_partial(ecology::beta_partial(table, options(BetaMetric::jaccard), Partition{2, 3}), jac);
    EXPECT_THROW(ecology::merge_partials({p[0], jac, p[2]}), ParseError);
    std::vector<std::size_t> samples(table.n_samples()), features(table.n_features());
    std::iota(samples.begin(), samples.end(), 0);
    std::iota(features.begin(), features.end(), 0);
    std::swap(samples[0], samples[1]);
    auto const other = table.subset(samples, features);
    auto const reordered = tmp.file("reordered2");
    ecology::write_partial(ecology::beta_partial(other, o, Partition{2, 3}), reordered);
    EXPECT_THROW(ecology::merge_partials({p[0], reordered, p[2]}), ParseError);
    // A flipped byte in the distances fails the checksum; a cut file is truncated.
    std::string bytes;
    {
        std::ifstream in(p[1], std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto const damaged = tmp.file("damaged"), cut = tmp.file("cut");
    std::string flipped = bytes;
    flipped[bytes.find('\n', bytes.find('\n') + 1) + 3] ^= 0x10;
    std::ofstream(damaged, std::ios::binary) << flipped;
    std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() - 80);
    try {
        ecology::read_partial(damaged);
        ADD_FAILURE() << "a damaged partial was read";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
    }
    EXPECT_THROW(ecology::read_partial(cut), ParseError);
    std::ofstream(tmp.file("not_a_partial")) << "\ta\tb\na\t0\t1\nb\t1\t0\n";
    EXPECT_THROW(ecology::read_partial(tmp.file("not_a_partial")), ParseError);
}

TEST_F(Gp500, Hdf5MatrixRoundTripsExactly) {
    auto const dm = ecology::beta_diversity(table, options(BetaMetric::weighted_normalized_unifrac));
    auto const h5 = tmp.file("dm.h5");
    ecology::write_distance_matrix(dm, h5);
    EXPECT_TRUE(ecology::is_hdf5_file(h5));
    expect_identical(ecology::read_distance_matrix(h5), dm);
}

TEST(DmHdf5, ReadsStripedUnifracsOwnFileAsItsTsv) {
    // Both written by ssu (tests/parity/unifrac_ssu/gp500/PROVENANCE.md) from the same run's inputs.
    std::string const dir = data("../parity/unifrac_ssu/gp500/");
    auto const h5 = ecology::read_distance_matrix(dir + "unweighted.h5");
    auto const tsv = ecology::read_distance_matrix(dir + "unweighted.tsv");
    ASSERT_EQ(h5.ids(), tsv.ids());
    for (std::size_t k = 0; k < h5.condensed().size(); ++k)
        EXPECT_NEAR(h5.condensed()[k], tsv.condensed()[k], 1e-15);
}

TEST(DmHdf5, RejectsAMatrixWhoseShapeDoesNotMatchItsIds) {
    // A BIOM 2.1 file is HDF5 but has no 'order': one clear error naming the dataset.
    try {
        ecology::read_distance_matrix(data("tables/rich_sparse_otu_table_hdf5.biom"));
        ADD_FAILURE() << "a BIOM file was read as a distance matrix";
    } catch (ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("'order'"), std::string::npos) << e.what();
    }
}

TEST_F(Gp500, FsvdLeadingAxesEqualTheExactOnes) {
    auto const dm = ecology::beta_diversity(table, options(BetaMetric::braycurtis));
    auto const exact = ecology::pcoa(dm, 5);
    for (int threads : {1, 2}) {
        auto const fast = ecology::pcoa_fsvd(dm, 5, 7, threads);
        for (std::size_t a = 0; a < 5; ++a) {
            EXPECT_NEAR(fast.eigenvalues[a], exact.eigenvalues[a], 1e-9 * exact.eigenvalues[0]);
            auto const col = static_cast<Eigen::Index>(a);
            EXPECT_LT((fast.coordinates.col(col) - exact.coordinates.col(col)).cwiseAbs().maxCoeff(), 1e-6);
        }
    }
    EXPECT_THROW(ecology::pcoa_fsvd(dm, 0), UsageError);
}
