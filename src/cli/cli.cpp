#include "cli/cli.hpp"

#include <cstdio>
#include <iostream>
#include <new>

#include "core/error.hpp"
#include "orbiome/version.hpp"

namespace orbiome::cli {


namespace {

constexpr Command kCommands[] = {
    {"demo", "Run the built-in RR-5 study", &cmd_demo},
    {"run", "Run a whole study from a TOML file and write the report", &cmd_run},
    {"report", "Write the HTML report of a study directory", &cmd_report},
    {"db", "Build or inspect a reference index", &cmd_db},
    {"profile", "Classify reads and estimate taxon abundance", &cmd_profile},
    {"align", "Translated search of DNA reads against proteins (BLAST tabular)", &cmd_align},
    {"function", "Gene families, reactions and MetaCyc pathways (HUMAnN 3.9's numbers)", &cmd_function},
    {"qc", "Trim adapters and low-quality bases, filter reads, remove host reads", &cmd_qc},
    {"table", "Convert, merge, filter, rarefy, collapse feature tables", &cmd_table},
    {"alpha", "Alpha diversity per sample", &cmd_alpha},
    {"beta", "Beta diversity (Bray-Curtis, Jaccard, Aitchison, UniFrac)", &cmd_beta},
    {"pcoa", "Principal coordinates of a distance matrix", &cmd_pcoa},
    {"permanova", "PERMANOVA on a distance matrix", &cmd_permanova},
    {"permdisp", "Test homogeneity of group dispersions", &cmd_permdisp},
    {"anosim", "Analysis of similarities", &cmd_anosim},
    {"mantel", "Mantel test between two distance matrices", &cmd_mantel},
    {"diff", "Differential abundance between groups", &cmd_diff},
    {"assoc", "Associate features with host variables or a second table", &cmd_assoc},
    {"simulate", "Simulate a study with known effects from a pilot table", &cmd_simulate},
    {"power", "Power and sample size by simulating studies from a pilot table", &cmd_power},
    {"amplicon", "16S amplicon reads to ASVs (DADA2-exact) and taxonomy", &cmd_amplicon},
};

void print_usage(std::span<Command const> cmds, std::string const& prefix, std::ostream& os) {
    os << "orbiome " << kVersion << " - one engine for host-microbiome studies\n\n"
       << "Usage: " << prefix << " <command> [options]   (" << prefix << " <command> --help for details)\n\n"
       << "Commands:\n";
    for (auto const& c : cmds) {
        std::string name = c.name;
        name.resize(std::max<std::size_t>(name.size(), 11), ' ');
        os << "  " << name << "  " << c.summary << '\n';
    }
}

int report(std::string const& name, Error const& e) {
    std::cerr << "orbiome " << name << ": error: " << e.what() << '\n';
    if (!e.hint().empty()) std::cerr << "orbiome " << name << ": hint: " << e.hint() << '\n';
    return static_cast<int>(e.code());
}

}  // namespace

std::span<Command const> commands() { return kCommands; }

int dispatch(Args const& a, std::span<Command const> subs) {
    if (a.args.empty() || a.args[0] == "-h" || a.args[0] == "--help") {
        print_usage(subs, "orbiome " + a.name, a.args.empty() ? std::cerr : std::cout);
        if (a.args.empty()) throw UsageError("missing subcommand", "see 'orbiome " + a.name + " --help'");
        return 0;
    }
    for (auto const& c : subs)
        if (a.args[0] == c.name)
            return c.run(Args{a.name + " " + c.name, std::vector<std::string>(a.args.begin() + 1, a.args.end())});
    throw UsageError("unknown subcommand '" + a.args[0] + "'", "see 'orbiome " + a.name + " --help'");
}

int run(int argc, char** argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    Args top{"", words};
    std::string name = "orbiome";
    try {
        if (words.empty()) {
            print_usage(commands(), "orbiome", std::cerr);
            return static_cast<int>(Errc::usage);
        }
        if (words[0] == "--version" || words[0] == "-V") {
            std::cout << "orbiome " << kVersion << '\n';
            return 0;
        }
        if (words[0] == "-h" || words[0] == "--help") {
            print_usage(commands(), "orbiome", std::cout);
            return 0;
        }
        for (auto const& c : commands()) {
            if (words[0] != c.name) continue;
            name = c.name;
            // Subcommand errors name the deepest command word we know ("table convert").
            if ((name == "table" || name == "db") && words.size() > 1 && words[1][0] != '-') name += " " + words[1];
            int const rc = c.run(Args{c.name, std::vector<std::string>(words.begin() + 1, words.end())});
            std::cout.flush();
            if (!std::cout) throw IoError(Errc::io, "standard output", "write failed");
            return rc;
        }
        throw UsageError("unknown command '" + words[0] + "'", "see 'orbiome --help'");
    } catch (Error const& e) {
        return report(name, e);
    } catch (std::bad_alloc const&) {
        return report(name, Error(Errc::os, {}, "out of memory", "use a machine with more memory or a smaller input"));
    } catch (std::exception const& e) {
        return report(name, Error(Errc::software, {}, std::string("internal error: ") + e.what()));
    }
}

std::unique_ptr<CLI::App> make_app(Args const& a, std::string const& description) {
    auto app = std::make_unique<CLI::App>(description, "orbiome " + a.name);
    app->set_help_flag("-h,--help", "Print this help and exit");
    app->option_defaults()->always_capture_default();
    return app;
}

bool parse(CLI::App& app, Args const& a) {
    std::vector<std::string> reversed(a.args.rbegin(), a.args.rend());  // CLI11 parses from the back
    try {
        app.parse(reversed);
    } catch (CLI::CallForHelp const&) {
        std::cout << app.help();
        return false;
    } catch (CLI::ParseError const& e) {
        throw UsageError(e.what(), "see 'orbiome " + a.name + " --help'");
    }
    return true;
}

void add_threads(CLI::App& app, int& threads) {
    app.add_option("--threads", threads, "Worker threads")->check(CLI::Range(1, 1024));
}

std::string output_header(Args const& a) { return "#orbiome " + a.name + " " + kVersion; }


}  // namespace orbiome::cli
