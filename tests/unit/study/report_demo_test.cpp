// The HTML report of the real `orbiome demo` output (RR-5 fecal and oral studies, run here by
// the library as the command does): every figure agrees with the result file the manifest names,
// the methods section states the filter and rarefaction counts, volcano labels do not overlap,
// the page is self-contained and its JSON cannot close its <script> element.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "report/html_report.hpp"
#include "report/manifest.hpp"
#include "report/tsv.hpp"
#include "study/demo_data.hpp"
#include "study/study.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using orbiome::report::Figure;
using orbiome::report::StudyReport;
using orbiome::report::TsvTable;
using orbiome::testing::TempDir;
namespace fs = std::filesystem;

/// One demo run per study for the whole suite (a second each).
class DemoReport : public ::testing::Test {
protected:
    static std::string run_demo(std::string const& name) {
        static TempDir tmp;
        std::string const out = tmp.file(name);
        if (fs::exists(out)) return out;
        orbiome::study::StagedDirectory stage(out);
        std::string const inputs = (fs::path(stage.path()) / "inputs").string();
        orbiome::study::write_demo_files(inputs);
        auto const spec = orbiome::study::read_study(inputs + "/rr5/" + name + ".toml");
        orbiome::study::RunOptions options;
        (void)orbiome::study::run_study_staged(spec, stage, options);
        stage.commit();
        return out;
    }
};

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

TEST_F(DemoReport, FiguresFollowTheManifest) {
    auto const dir = run_demo("fecal");
    auto const m = orbiome::report::read_manifest(dir + "/manifest.json");
    auto const r = orbiome::report::load_study(dir);
    EXPECT_EQ(r.title, "NASA Rodent Research 5 - fecal 16S rRNA");
    EXPECT_EQ(r.groups, (std::vector<std::string>{"ISS", "ISS_G", "LAR", "LAR_G", "baseline"}));
    EXPECT_EQ(r.n_samples, 140u);
    // One volcano per diff entry, one PCoA per pcoa entry, 2 composition, 4 alpha, 1 ratio.
    std::size_t const n_diff = m.of_kind("diff").size(), n_pcoa = m.of_kind("pcoa").size();
    EXPECT_EQ(n_diff, 3u * 10u * 2u);
    EXPECT_EQ(n_pcoa, 10u * 2u);
    EXPECT_EQ(r.figures.size(), 2 + 4 + n_pcoa + 1 + n_diff);
    // Every volcano's subtitle counts the q < 0.05 rows of the file its entry names.
    for (auto const& e : m.of_kind("diff")) {
        auto const t = TsvTable::read(dir + "/" + e.path);
        std::size_t const qc = t.require("q_value");
        std::size_t n_sig = 0;
        for (std::size_t i = 0; i < t.n_rows(); ++i) n_sig += t.number(i, qc).value_or(1.0) < 0.05;
        bool found = false;
        for (auto const& f : r.figures)
            if (f.kind == "volcano" && f.title.find(e.rank + " (" + e.method + ")") != std::string::npos &&
                f.subtitle.find(std::to_string(t.n_rows()) + " features tested, " + std::to_string(n_sig) + " with") == 0)
                found = true;
        EXPECT_TRUE(found) << e.path;
    }
    // Alpha subtitles carry alpha/tests.tsv's p and q (ISS vs ISS_G first, the study's order).
    auto const tests = TsvTable::read(dir + "/alpha/tests.tsv");
    EXPECT_EQ(tests.cell(1, 0), "ISS_vs_ISS_G");
    EXPECT_EQ(tests.cell(1, 1), "shannon");
    char expected[128];
    std::snprintf(expected, sizeof expected, "ISS vs ISS_G: p = %.2g, q = %.2g", *tests.number(1, 9), *tests.number(1, 10));
    EXPECT_EQ(figure(r, "alpha-shannon").subtitle.rfind(expected, 0), 0u) << figure(r, "alpha-shannon").subtitle;
    EXPECT_EQ(figure(r, "alpha-shannon").rows.size(), 140u);
}

TEST_F(DemoReport, RatioSubtitleIsNotBlank) {
    // Issue #17: the ratio subtitle was blank because the report looked for columns the
    // ratio step never writes.
    auto const r = orbiome::report::load_study(run_demo("fecal"));
    auto const& ratio = figure(r, "ratio-log2");
    EXPECT_EQ(ratio.title, "log2(Firmicutes / Bacteroidetes) by group");
    EXPECT_EQ(ratio.subtitle.rfind("ISS vs ISS_G: Welch p = 0.024, Wilcoxon p = 0.015\n", 0), 0u) << ratio.subtitle;
}

TEST_F(DemoReport, MethodsStateCountsAfterRarefaction) {
    auto const r = orbiome::report::load_study(run_demo("oral"));
    // The oral study rarefies to 18,000 reads and drops two samples: the header counts 78.
    EXPECT_EQ(r.n_samples, 78u);
    EXPECT_EQ(r.n_samples_total, 80u);
    std::string const all = [&] {
        std::string s;
        for (auto const& l : r.methods) s += l + "\n";
        return s;
    }();
    EXPECT_NE(all.find("Feature filter: a feature is kept if >= 10 reads in >= 2 samples, or >= 100 reads in total: 480 -> 97 features."),
              std::string::npos) << all;
    EXPECT_NE(all.find("Rarefaction to 18000 reads per sample (seed 42): 80 -> 78 samples"), std::string::npos) << all;
    EXPECT_NE(all.find("t14D34 (fewer than 18000 reads)"), std::string::npos) << all;
    EXPECT_NE(all.find("Pre3C4E (fewer than 18000 reads)"), std::string::npos) << all;
    EXPECT_NE(all.find("Step assoc not run: no [host] section."), std::string::npos) << all;
    // Hill numbers have display names (the report knew `pielou_e`, a name nothing writes).
    EXPECT_EQ(figure(r, "alpha-hill-1").title, "Hill number q = 1");
}

TEST_F(DemoReport, VolcanoLabelsDoNotOverlap) {
    auto const r = orbiome::report::load_study(run_demo("fecal"));
    std::size_t labelled = 0;
    for (auto const& f : r.figures) {
        if (f.kind != "volcano") continue;
        double const xr = f.params["x_max"].get<double>(), yr = f.params["y_max"].get<double>();
        struct B {
            double x0, y0, x1, y1;
        };
        std::vector<B> boxes;
        for (auto const& row : f.rows) {
            if (row["label"] == "") continue;
            ++labelled;
            // The page's frame (sections.cpp): 440 x 300 px, 6 px per glyph, 13 px lines.
            double const ax = (row["label_x"].get<double>() + xr) / (2 * xr) * 440;
            double const ay = 300 - row["label_y"].get<double>() / yr * 300;
            double const w = 6.0 * static_cast<double>(row["label"].get<std::string>().size()) + 2;
            bool const right = row["label_side"] == "right";
            boxes.push_back({right ? ax : ax - w, ay - 13, right ? ax + w : ax, ay});
        }
        for (std::size_t i = 0; i < boxes.size(); ++i)
            for (std::size_t j = i + 1; j < boxes.size(); ++j) {
                bool const overlap = boxes[i].x0 < boxes[j].x1 && boxes[j].x0 < boxes[i].x1 && boxes[i].y0 < boxes[j].y1 &&
                                     boxes[j].y0 < boxes[i].y1;
                EXPECT_FALSE(overlap) << f.id << " labels " << i << " and " << j;
            }
    }
    EXPECT_GT(labelled, 20u);
}

TEST_F(DemoReport, PageIsSelfContainedAndItsJsonParses) {
    auto const dir = run_demo("fecal");
    std::string const page = slurp(dir + "/report.html");
    EXPECT_FALSE(std::regex_search(page, std::regex(R"(<script[^>]*\ssrc\s*=)", std::regex::icase)));
    EXPECT_FALSE(std::regex_search(page, std::regex(R"(<link[^>]*\shref\s*=)", std::regex::icase)));
    EXPECT_EQ(page.find("@import"), std::string::npos);
    EXPECT_NE(page.find("vegaEmbed"), std::string::npos);
    auto const blocks = json_blocks(page);
    ASSERT_GT(blocks.size(), 90u);
    EXPECT_FALSE(blocks[0]["methods"].empty());
    EXPECT_FALSE(blocks[0].contains("created"));  // a key nothing wrote (issue #19)
    for (auto const& b : blocks) {
        if (!b.contains("kind")) continue;
        EXPECT_FALSE(b["rows"].empty()) << b["id"];
        for (auto const& c : b["columns"]) EXPECT_TRUE(b["rows"][0].contains(c.get<std::string>())) << b["id"] << " " << c;
    }
    EXPECT_EQ(count(page, "<script"), count(page, "</script>"));
}

TEST_F(DemoReport, HostileTaxonNameStaysData) {
    TempDir tmp;
    fs::copy(run_demo("fecal"), tmp.path() / "study", fs::copy_options::recursive);
    std::string const genus = (tmp.path() / "study/tables/genus.tsv").string();
    std::string text = slurp(genus);
    std::string const name = "Lactobacillus";
    text.replace(text.find(name), name.size(), "</script><script>alert(1)</script>");
    std::ofstream(genus, std::ios::binary) << text;
    std::string const out = tmp.file("report.html");
    orbiome::report::write_report((tmp.path() / "study").string(), out);
    std::string const page = slurp(out);
    EXPECT_EQ(page.find("alert(1)</script>"), std::string::npos);
    EXPECT_EQ(count(page, "<script"), count(page, "</script>"));
    EXPECT_NE(page.find("\\u003c/script>\\u003cscript>alert(1)"), std::string::npos);
}

TEST_F(DemoReport, ASectionIsBuiltOnlyFromItsManifestEntries) {
    // A manifest that lists only the alpha files gives only the alpha figures, whatever else
    // lies in the directory: the report reads the manifest, not file names.
    TempDir tmp;
    fs::copy(run_demo("fecal"), tmp.path() / "study", fs::copy_options::recursive);
    std::string const mpath = (tmp.path() / "study/manifest.json").string();
    auto m = orbiome::report::read_manifest(mpath);
    std::erase_if(m.entries, [](auto const& e) { return e.kind != "alpha" && e.kind != "alpha_tests" && e.kind != "samples"; });
    orbiome::report::write_manifest(m, mpath);
    auto const r = orbiome::report::load_study((tmp.path() / "study").string());
    EXPECT_EQ(r.figures.size(), 4u);
    for (auto const& f : r.figures) EXPECT_EQ(f.section, "alpha");
}

TEST_F(DemoReport, MissingManifestIsNoInput) {
    TempDir tmp;
    fs::copy(run_demo("fecal"), tmp.path() / "study", fs::copy_options::recursive);
    fs::remove(tmp.path() / "study/manifest.json");
    try {
        orbiome::report::load_study((tmp.path() / "study").string());
        FAIL() << "no error";
    } catch (orbiome::IoError const& e) {
        EXPECT_EQ(e.code(), orbiome::Errc::no_input);
        EXPECT_EQ(std::string(e.what()), (tmp.path() / "study/manifest.json").string() +
                                             ": missing; not a study directory written by `orbiome run` (see docs/study.md)");
    }
}

}  // namespace
