// The report's pieces that need no study: JSON embedding, taxon labels, the TSV reader, the
// manifest format and a missing study directory. The report of a real study is tested on the
// demo's output in tests/unit/study/report_demo_test.cpp.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "report/html_report.hpp"
#include "report/manifest.hpp"
#include "report/tsv.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using orbiome::testing::TempDir;
namespace fs = std::filesystem;

TEST(Report, MissingRequiredFileIsNoInput) {
    TempDir tmp;
    fs::create_directories(tmp.path() / "study");
    std::ofstream(tmp.file("study/samples.tsv")) << "sample_id\tgroup\ns1\tA\n";
    std::string const out = tmp.file("report.html");
    try {
        orbiome::report::write_report((tmp.path() / "study").string(), out);
        FAIL() << "no error";
    } catch (orbiome::IoError const& e) {
        EXPECT_EQ(e.code(), orbiome::Errc::no_input);
        EXPECT_EQ(std::string(e.what()), tmp.file("study/provenance.json") +
                                             ": missing; not a study directory written by `orbiome run` (see docs/study.md)");
    }
    EXPECT_FALSE(fs::exists(out));
    try {
        orbiome::report::load_study(tmp.file("absent"));
        FAIL() << "no error";
    } catch (orbiome::IoError const& e) {
        EXPECT_EQ(e.code(), orbiome::Errc::no_input);
        EXPECT_EQ(std::string(e.what()), tmp.file("absent") + ": no such study directory");
    }
}

TEST(Manifest, RoundTripAndBadFiles) {
    TempDir tmp;
    orbiome::report::Manifest m;
    m.add({"diff", "diff/a.genus.linda.tsv", "diff", "a", "", "genus", "linda"});
    m.add({"alpha", "alpha/alpha.tsv", "alpha", "", "", "", ""});
    m.skipped.push_back({"assoc", "no [host] section"});
    m.methods["load"]["samples_in"] = 12;
    orbiome::report::write_manifest(m, tmp.file("manifest.json"));
    auto const back = orbiome::report::read_manifest(tmp.file("manifest.json"));
    ASSERT_EQ(back.entries.size(), 2u);
    EXPECT_EQ(back.entries[0].rank, "genus");
    EXPECT_EQ(back.entries[0].method, "linda");
    EXPECT_EQ(back.entries[0].comparison, "a");
    EXPECT_EQ(back.of_kind("alpha").size(), 1u);
    EXPECT_EQ(back.first("pcoa"), nullptr);
    EXPECT_EQ(back.skipped[0].reason, "no [host] section");
    EXPECT_EQ(back.methods["load"]["samples_in"], 12);
    std::ofstream(tmp.file("bad.json")) << R"({"format": 1, "entries": [{"kind": "alpha"}]})";
    try {
        orbiome::report::read_manifest(tmp.file("bad.json"));
        FAIL() << "no error";
    } catch (orbiome::ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find("an entry lacks 'kind' or 'path'"), std::string::npos) << e.what();
    }
    std::ofstream(tmp.file("new.json")) << R"({"format": 99, "entries": []})";
    EXPECT_THROW(orbiome::report::read_manifest(tmp.file("new.json")), orbiome::ParseError);
}

TEST(Report, ScriptJsonCannotCloseTheElement) {
    json const v = {{"name", "</script><script>alert(1)</script><!-- x"}, {"n", 1.5}};
    std::string const text = orbiome::report::script_json(v);
    EXPECT_EQ(text.find('<'), std::string::npos);
    EXPECT_NE(text.find("\\u003c/script>"), std::string::npos);
    EXPECT_EQ(json::parse(text), v);
}

TEST(Report, PowerTableAlone) {
    // A power.tsv as `orbiome power` writes it (two named taxa, two methods, two sizes).
    TempDir tmp;
    std::ofstream(tmp.file("power.tsv"))
        << "#alpha: 0.01 (per-feature methods: BH q < alpha)\n"
           "#model: Gaussian copula, empirical zero-inflated marginals of 8 reference samples, 40 features\n"
           "#smallest n per group with power >= 0.5: linda: all 10, A 10, B > 10\n"
           "#flag: linda: false calls in more than alpha\n"
           "method\tn_per_group\tfold\tpower\tpower_low\tpower_high\tfdr\tfwer\treplicates\ttaxon\tfdr_low\tfdr_high\t"
           "fwer_low\tfwer_high\n"
           "linda\t5\t2,3\t0.2\t0.1\t0.3\t0\t0.1\t100\tall\t0\t0\t0.05\t0.18\n"
           "linda\t5\t2\t0.1\t0.05\t0.18\t0\t0.1\t100\tA\t0\t0\t0.05\t0.18\n"
           "linda\t5\t3\t0.3\t0.21\t0.4\t0\t0.1\t100\tB\t0\t0\t0.05\t0.18\n"
           "linda\t10\t2,3\t0.5\t0.4\t0.6\t0\t0.02\t100\tall\t0\t0\t0\t0.07\n"
           "linda\t10\t2\t0.6\t0.5\t0.7\t0\t0.02\t100\tA\t0\t0\t0\t0.07\n"
           "linda\t10\t3\t0.4\t0.3\t0.5\t0\t0.02\t100\tB\t0\t0\t0\t0.07\n"
           "permanova\t5\t2,3\t0.05\t0.02\t0.11\t\t\t100\tcommunity\t\t\t\t\n"
           "permanova\t10\t2,3\t0.2\t0.13\t0.29\t\t\t100\tcommunity\t\t\t\t\n";
    auto const r = orbiome::report::load_power_report(tmp.file("power.tsv"));
    std::vector<std::string> ids, subtitles;
    for (auto const& f : r.figures) {
        EXPECT_EQ(f.kind, "power_curve");
        ids.push_back(f.id);
        subtitles.push_back(f.subtitle);
    }
    // Per named taxon (not `all`), the community test, the false calls of the overall rows.
    EXPECT_EQ(ids, (std::vector<std::string>{"power-a", "power-b", "power-community", "power-false-calls"}));
    // The target is read from the notes; each curve names the methods it has.
    EXPECT_NE(subtitles[0].find("smallest n for power ≥ 0.5: linda 10"), std::string::npos) << subtitles[0];
    EXPECT_NE(subtitles[1].find("fold 3 "), std::string::npos) << subtitles[1];
    EXPECT_NE(subtitles[1].find("linda > 10"), std::string::npos) << subtitles[1];
    EXPECT_NE(subtitles[2].find("fold 2,3 "), std::string::npos) << subtitles[2];
    EXPECT_NE(subtitles[2].find("permanova > 10"), std::string::npos) << subtitles[2];
    EXPECT_NE(subtitles[3].find("alpha = 0.01"), std::string::npos) << subtitles[3];
    EXPECT_EQ(r.figures[0].rows.size(), 2u);
    EXPECT_EQ(r.figures[0].params["pilot_n"].get<double>(), 8.0);  // the pilot's size, marked on the n axis
    EXPECT_EQ(r.figures[3].rows.size(), 2u);  // linda's overall rows; permanova has no fwer with effects
    EXPECT_EQ(r.figures[3].rows[0]["fwer_high"].get<double>(), 0.18);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0], "Power: linda: false calls in more than alpha.");
    ASSERT_EQ(r.tables.size(), 1u);
    EXPECT_EQ(r.tables[0].rows.size(), 8u);
    EXPECT_THROW(orbiome::report::load_power_report(tmp.file("absent.tsv")), orbiome::IoError);
}

TEST(Report, BadCellIsAParseErrorAtItsLine) {
    TempDir tmp;
    std::ofstream(tmp.file("t.tsv")) << "#orbiome x\na\tb\n1\t2\n3\n";
    try {
        orbiome::report::TsvTable::read(tmp.file("t.tsv"));
        FAIL() << "no error";
    } catch (orbiome::ParseError const& e) {
        EXPECT_EQ(std::string(e.what()), tmp.file("t.tsv") + ":4: 1 fields, the header has 2");
    }
    std::ofstream(tmp.file("u.tsv")) << "a\tb\n1\tNA\nx\tinf\n";
    auto const t = orbiome::report::TsvTable::read(tmp.file("u.tsv"));
    EXPECT_EQ(t.number(0, 0), 1.0);
    EXPECT_FALSE(t.number(0, 1).has_value());
    EXPECT_FALSE(t.number(1, 1).has_value());
    try {
        (void)t.number(1, 0);
        FAIL() << "no error";
    } catch (orbiome::ParseError const& e) {
        EXPECT_NE(std::string(e.what()).find(tmp.file("u.tsv") + ":3:"), std::string::npos) << e.what();
    }
}

TEST(Report, TaxonLabels) {
    using orbiome::report::taxon_label;
    EXPECT_EQ(taxon_label("Bacteria;Firmicutes;Bacilli;Lactobacillales;Lactobacillaceae;Lactobacillus"), "Lactobacillus");
    EXPECT_EQ(taxon_label("k__Bacteria; p__Firmicutes; g__Dorea"), "Dorea");
    EXPECT_EQ(taxon_label("Bacteria;Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;unassigned"),
              "Lachnospiraceae (unassigned)");
    EXPECT_EQ(taxon_label("unassigned"), "unassigned");
    EXPECT_EQ(taxon_label("shannon"), "shannon");
}

}  // namespace
