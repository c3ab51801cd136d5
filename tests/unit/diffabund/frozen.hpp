#pragma once
// Readers for the frozen reference files of tests/parity/{r_stats,scipy}/rr5_genus (plain TSV
// with a header row), and the genus table frozen there, so the statistics tests need neither
// ../shared nor the io library.
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "support/paths.hpp"

namespace orbiome::testing {

inline std::vector<std::string> split_tab(std::string const& line) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, '\t')) out.push_back(cell);
    if (!line.empty() && line.back() == '\t') out.emplace_back();
    return out;
}

/// Rows of a TSV as column-name -> value maps (lines starting with '#' skipped).
inline std::vector<std::map<std::string, std::string>> read_rows(std::string const& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::string line;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto cells = split_tab(line);
        if (header.empty()) {
            header = cells;
            continue;
        }
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

/// The frozen RR-5 genus table as relative abundances (count / sample total), with metadata.
struct Rr5Genus {
    std::vector<std::string> features, samples;
    std::vector<std::vector<double>> rel;  ///< rel[feature][sample]
    std::map<std::string, std::string> time, treatment;

    Rr5Genus() {
        std::string const dir = test_data("../parity/r_stats/rr5_genus/");
        std::ifstream in(dir + "genus_counts.tsv");
        EXPECT_TRUE(in);
        std::string line;
        std::vector<std::vector<double>> counts;
        while (std::getline(in, line)) {
            if (line[0] == '#') continue;
            auto cells = split_tab(line);
            if (samples.empty()) {
                samples.assign(cells.begin() + 1, cells.end() - 1);
                continue;
            }
            features.push_back(cells[0]);
            std::vector<double> row;
            for (std::size_t i = 1; i + 1 < cells.size(); ++i) row.push_back(std::stod(cells[i]));
            counts.push_back(row);
        }
        std::vector<double> total(samples.size(), 0.0);
        for (auto const& r : counts)
            for (std::size_t s = 0; s < r.size(); ++s) total[s] += r[s];
        for (auto const& r : counts) {
            std::vector<double> v(r.size());
            for (std::size_t s = 0; s < r.size(); ++s) v[s] = r[s] / total[s];
            rel.push_back(v);
        }
        std::ifstream md(dir + "rr5_fecal_meta.tsv");
        std::getline(md, line);  // header without the row-name cell
        while (std::getline(md, line)) {
            auto c = split_tab(line);
            time[c[0]] = c[3];
            treatment[c[0]] = c[4];
        }
    }
    std::size_t feature(std::string const& id) const {
        for (std::size_t i = 0; i < features.size(); ++i)
            if (features[i] == id) return i;
        ADD_FAILURE() << "no feature " << id;
        return 0;
    }
    std::vector<std::size_t> where(std::string const& time_value, std::vector<std::string> const& treatments) const {
        std::vector<std::size_t> out;
        for (std::size_t s = 0; s < samples.size(); ++s) {
            if (!time_value.empty() && time.at(samples[s]) != time_value) continue;
            for (auto const& t : treatments)
                if (treatment.at(samples[s]) == t) out.push_back(s);
        }
        return out;
    }
    std::vector<double> values(std::size_t f, std::vector<std::size_t> const& idx) const {
        std::vector<double> v;
        for (auto s : idx) v.push_back(rel[f][s]);
        return v;
    }
};

/// LEfSe's feature-name rewriting (lefse_format_input.modify_feature_names), to match names in
/// lefse_run.py output: drop " $@#%^&*\"'", map "/()-+={}[],.;:?<>" to '_' and '|' to '.', and
/// prefix "f_" to a name starting with a digit or '_'.
inline std::string lefse_name(std::string const& s) {
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

/// One row of lefse_run.py's output: feature, log10 of the highest class mean, class (empty when
/// not discriminative), LDA (empty likewise), KW p ("-" when the feature failed the tests).
struct LefseResRow {
    std::string feature, cls, lda, kw_p;
};

inline std::vector<LefseResRow> read_lefse_res(std::string const& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::vector<LefseResRow> rows;
    std::string line;
    while (std::getline(in, line)) {
        auto c = split_tab(line);
        EXPECT_EQ(c.size(), 5u) << line;
        if (c.size() == 5) rows.push_back({c[0], c[2], c[3], c[4]});
    }
    return rows;
}

/// |a - b| <= tol * |b| (or tol absolute when b == 0).
inline ::testing::AssertionResult rel_near(double a, double b, double tol) {
    double const scale = b == 0 ? 1.0 : std::abs(b);
    if (std::abs(a - b) <= tol * scale) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << a << " vs reference " << b << " (rel diff " << std::abs(a - b) / scale
                                         << ")";
}

/// The same frozen RR-5 genus table and metadata read through orbiome's own readers, for tests
/// of the diff library (Rr5Genus above stays an independent reader for the statistics parity).
struct Rr5Tables {
    std::string const dir = test_data("../parity/r_stats/rr5_genus/");
    table::FeatureTable t = io::read_table(dir + "genus_counts.tsv");
    io::Metadata md = io::read_metadata(dir + "rr5_fecal_meta.tsv");
};

inline Rr5Tables const& rr5_tables() {
    static Rr5Tables const d;
    return d;
}

}  // namespace orbiome::testing
