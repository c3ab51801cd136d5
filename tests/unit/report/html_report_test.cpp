// The HTML report: figures computed from the RR-5 fixture study (tests/data/report, values
// from pandas/scipy/scikit-bio; see its PROVENANCE.md), a page with no external reference,
// embedded JSON that parses and cannot close its <script> element, and bad-input errors.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "report/html_report.hpp"
#include "report/tsv.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using orbiome::report::Figure;
using orbiome::report::StudyReport;
using orbiome::testing::TempDir;
using orbiome::testing::test_data;
namespace fs = std::filesystem;

std::string const kStudy = test_data("report/rr5_study");

std::string slurp(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Figure const& figure(StudyReport const& r, std::string const& id) {
    for (auto const& f : r.figures)
        if (f.id == id) return f;
    throw std::runtime_error("no figure " + id);
}

double mean_abundance(Figure const& f, std::string const& group, std::string const& taxon) {
    for (auto const& row : f.rows)
        if (row["group"] == group && row["taxon"] == taxon) return row["mean_relative_abundance"].get<double>();
    throw std::runtime_error("no bar " + group + "/" + taxon);
}

/// Every `<script type="application/json" ...>` body of the page, parsed.
std::vector<json> json_blocks(std::string const& page) {
    std::vector<json> out;
    std::string const open = "<script type=\"application/json\"";
    for (std::size_t pos = page.find(open); pos != std::string::npos; pos = page.find(open, pos + 1)) {
        auto const body = page.find('>', pos) + 1;
        auto const end = page.find("</script>", body);
        out.push_back(json::parse(page.substr(body, end - body)));
    }
    return out;
}

std::size_t count(std::string const& text, std::string const& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

TEST(Report, CompositionMeansEqualPandas) {
    auto const r = orbiome::report::load_study(kStudy);
    // Reference: pandas, per-sample relative abundance then mean over the group's samples.
    auto const& phylum = figure(r, "composition-phylum");
    EXPECT_NEAR(mean_abundance(phylum, "ISS", "Bacteroidetes"), 0.4780133561819018, 1e-12);
    EXPECT_NEAR(mean_abundance(phylum, "ISS_G", "Bacteroidetes"), 0.6510605510182763, 1e-12);
    auto const& genus = figure(r, "composition-genus");
    EXPECT_NEAR(mean_abundance(genus, "ISS", "Lactobacillus"), 0.03609635654629264, 1e-12);
    EXPECT_NEAR(mean_abundance(genus, "ISS_G", "Lactobacillus"), 0.019963280037005406, 1e-12);
    EXPECT_NEAR(mean_abundance(genus, "ISS", "Other"), 0.13039350637510672, 1e-12);
    // Top 12 by mean relative abundance over all samples, in pandas' order, then Other.
    std::vector<std::string> const top = {"Parabacteroides", "Akkermansia", "[Eubacterium] coprostanoligenes group",
                                          "Lachnoclostridium", "Lachnospiraceae NK4A136 group", "Mucispirillum",
                                          "Blautia", "Lactobacillus", "Romboutsia", "Ruminococcaceae UCG-014",
                                          "Eisenbergiella", "Roseburia", "Other"};
    EXPECT_EQ(genus.params["taxa"].get<std::vector<std::string>>(), top);
    std::map<std::string, double> sums;
    for (auto const& row : genus.rows) sums[row["group"].get<std::string>()] += row["mean_relative_abundance"].get<double>();
    ASSERT_EQ(sums.size(), 4u);
    for (auto const& [g, s] : sums) EXPECT_NEAR(s, 1.0, 1e-12) << g;
    EXPECT_EQ(phylum.subtitle, "mean relative abundance; all 7 phyla");
}

TEST(Report, FiguresCarryTheTestResults) {
    auto const r = orbiome::report::load_study(kStudy);
    EXPECT_EQ(r.title, "RR-5 fecal 16S: flight vs ground, final time point");
    EXPECT_EQ(r.groups, (std::vector<std::string>{"ISS", "ISS_G", "LAR", "LAR_G"}));
    EXPECT_EQ(r.n_samples, 40u);
    EXPECT_TRUE(r.skipped.empty());
    // 2 composition + 4 alpha + 2 PCoA + 1 ratio + 2 volcano + 1 heat map.
    EXPECT_EQ(r.figures.size(), 12u);
    // scipy mannwhitneyu p / BH q of alpha/tests.tsv, at 2 significant digits.
    EXPECT_EQ(figure(r, "alpha-shannon").subtitle,
              "ISS vs ISS_G_final: p = 0.045, q = 0.045\nLAR vs LAR_G_final: p = 0.43, q = 0.43");
    EXPECT_EQ(figure(r, "alpha-shannon").rows.size(), 40u);
    // scikit-bio PERMANOVA (999 permutations, seed 42) and R² from the same matrix.
    auto const& pcoa = figure(r, "pcoa-iss-vs-iss-g-final-braycurtis");
    EXPECT_EQ(pcoa.subtitle, "PERMANOVA R² = 0.16, p = 0.012");
    EXPECT_EQ(pcoa.params["x_title"], "PC1 (41%)");
    EXPECT_EQ(pcoa.rows.size(), 20u);
    auto const& ratio = figure(r, "ratio-log2");
    EXPECT_EQ(ratio.title, "log2(Firmicutes / Bacteroidetes) by group");
    EXPECT_EQ(ratio.subtitle, "ISS vs ISS_G_final: Welch p = 0.026, Wilcoxon p = 0.017\n"
                              "LAR vs LAR_G_final: Welch p = 0.73, Wilcoxon p = 0.97");
    auto const& volcano = figure(r, "diff-iss-vs-iss-g-final-genus-wilcoxon");
    EXPECT_EQ(volcano.subtitle, "82 features tested, 6 with q < 0.05");
    EXPECT_EQ(volcano.params["classes"][0], "higher in ISS");
    std::size_t up = 0;
    for (auto const& row : volcano.rows) {
        if (row["class"] == "higher in ISS") {
            ++up;
            EXPECT_LT(row["q_value"].get<double>(), 0.05);
            EXPECT_GT(row["effect"].get<double>(), 0.0);
            EXPECT_NEAR(row["neg_log10_q"].get<double>(), -std::log10(row["q_value"].get<double>()), 1e-12);
        }
    }
    EXPECT_EQ(up, 4u);  // awk over the file: 4 of the 6 with q < 0.05 have effect > 0
    auto const& heat = figure(r, "assoc-heatmap");
    EXPECT_EQ(heat.rows.size(), 132u);
    EXPECT_EQ(heat.params["features"].size(), 12u);
}

TEST(Report, PageIsSelfContainedAndItsJsonParses) {
    std::string const page = orbiome::report::render_html(orbiome::report::load_study(kStudy, {12, "orbiome test"}));
    // No external resource: every script and style is inline.
    EXPECT_FALSE(std::regex_search(page, std::regex(R"(<script[^>]*\ssrc\s*=)", std::regex::icase)));
    EXPECT_FALSE(std::regex_search(page, std::regex(R"(<link[^>]*\shref\s*=)", std::regex::icase)));
    EXPECT_FALSE(std::regex_search(page, std::regex(R"(<(img|iframe)[^>]*\ssrc\s*=\s*["']?https?:)", std::regex::icase)));
    EXPECT_EQ(page.find("@import"), std::string::npos);
    // The three libraries are inlined.
    EXPECT_NE(page.find("vegaEmbed"), std::string::npos);
    EXPECT_NE(page.find("vegaLite"), std::string::npos);
    EXPECT_NE(page.find("<title>RR-5 fecal 16S: flight vs ground, final time point</title>"), std::string::npos);
    auto const blocks = json_blocks(page);
    ASSERT_EQ(blocks.size(), 1u + 12u + 6u);  // meta, figures, tables (alpha, permanova, ratio, 2 diff, assoc)
    EXPECT_EQ(blocks[0]["generator"], "orbiome test");
    std::size_t figures = 0;
    for (auto const& b : blocks) {
        if (!b.contains("kind")) continue;
        ++figures;
        EXPECT_FALSE(b["rows"].empty()) << b["id"];
        for (auto const& c : b["columns"]) EXPECT_TRUE(b["rows"][0].contains(c.get<std::string>())) << b["id"] << " " << c;
    }
    EXPECT_EQ(figures, 12u);
    // Every script element opened is closed exactly once: nothing inside closed one early.
    EXPECT_EQ(count(page, "<script"), count(page, "</script>"));
}

TEST(Report, ScriptJsonCannotCloseTheElement) {
    json const v = {{"name", "</script><script>alert(1)</script><!-- x"}, {"n", 1.5}};
    std::string const text = orbiome::report::script_json(v);
    EXPECT_EQ(text.find('<'), std::string::npos);
    EXPECT_NE(text.find("\\u003c/script>"), std::string::npos);
    EXPECT_EQ(json::parse(text), v);
}

TEST(Report, HostileTaxonNameStaysData) {
    TempDir tmp;
    fs::copy(kStudy, tmp.path() / "study", fs::copy_options::recursive);
    std::string const genus = (tmp.path() / "study/tables/genus.tsv").string();
    std::string text = slurp(genus);
    std::string const name = "Parabacteroides";
    text.replace(text.find(name), name.size(), "</script><script>alert(1)</script>");
    std::ofstream(genus, std::ios::binary) << text;
    std::string const out = tmp.file("report.html");
    orbiome::report::write_report((tmp.path() / "study").string(), out);
    std::string const page = slurp(out);
    EXPECT_EQ(page.find("alert(1)</script>"), std::string::npos);
    EXPECT_EQ(count(page, "<script"), count(page, "</script>"));
    bool found = false;
    for (auto const& b : json_blocks(page))
        if (b.value("id", "") == "composition-genus")
            found = b["params"]["taxa"][0] == "</script><script>alert(1)</script>";
    EXPECT_TRUE(found);
}

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

TEST(Report, AbsentFilesOnlyDropTheirFigures) {
    TempDir tmp;
    fs::create_directories(tmp.path() / "study");
    fs::copy(kStudy + "/provenance.json", tmp.path() / "study/provenance.json");
    fs::copy(kStudy + "/samples.tsv", tmp.path() / "study/samples.tsv");
    fs::create_directories(tmp.path() / "study/alpha");
    fs::copy(kStudy + "/alpha/alpha.tsv", tmp.path() / "study/alpha/alpha.tsv");
    auto const r = orbiome::report::load_study((tmp.path() / "study").string());
    EXPECT_EQ(r.figures.size(), 4u);  // the four alpha metrics, without test results
    EXPECT_EQ(figure(r, "alpha-chao1").subtitle, "");
    EXPECT_EQ(r.skipped.size(), 6u);  // phylum, genus, PCoA, ratio, diff, assoc
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
