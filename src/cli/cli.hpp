#pragma once
/// \file cli.hpp
/// The command-line layer: a table of subcommands, each parse -> validate -> one library call
/// (STYLE.md §8.1). Only `run()` catches errors and decides the exit status (STYLE.md §8.5).

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace orbiome::cli {

/// Arguments of one subcommand: `name` is the full command ("table convert") used in messages
/// and help; `args` are the words after it.
struct Args {
    std::string name;
    std::vector<std::string> args;
};

using CommandFn = int (*)(Args const&);

struct Command {
    char const* name;
    char const* summary;
    CommandFn run;
};

/// All top-level subcommands, in the order `--help` lists them.
std::span<Command const> commands();

/// Entry point: dispatches argv, catches every orbiome::Error and prints
/// "orbiome <cmd>: error: <message>" (+ "orbiome <cmd>: hint: ..."), returns the exit code.
int run(int argc, char** argv);

/// Parses `a.args` into `app`. Returns true if the command should go on, false if help was
/// printed (exit 0). Throws UsageError for unknown or missing options.
bool parse(CLI::App& app, Args const& a);

/// A CLI11 app for a subcommand, with `-h/--help` and the summary as description (CLI11 apps
/// cannot be moved, hence the pointer).
std::unique_ptr<CLI::App> make_app(Args const& a, std::string const& description);

/// Adds `--threads N` (default 1, at least 1).
void add_threads(CLI::App& app, int& threads);

/// "#orbiome <name> <version>": the first line of TSV outputs.
std::string output_header(Args const& a);

/// Dispatches `a` to one of `subs` by its first word (for `table` and `db`).
int dispatch(Args const& a, std::span<Command const> subs);

// Subcommands (one file each: cmd_<name>.cpp).
int cmd_demo(Args const&);
int cmd_run(Args const&);
int cmd_report(Args const&);
int cmd_db(Args const&);
int cmd_align(Args const&);
int cmd_profile(Args const&);
int cmd_function(Args const&);
int cmd_table(Args const&);
int cmd_table_convert(Args const&);
int cmd_table_merge(Args const&);
int cmd_table_filter(Args const&);
int cmd_table_rarefy(Args const&);
int cmd_table_collapse(Args const&);
int cmd_table_relabund(Args const&);
int cmd_alpha(Args const&);
int cmd_beta(Args const&);
int cmd_pcoa(Args const&);
int cmd_permanova(Args const&);
int cmd_permdisp(Args const&);
int cmd_anosim(Args const&);
int cmd_mantel(Args const&);
int cmd_diff(Args const&);
int cmd_assoc(Args const&);
int cmd_simulate(Args const&);
int cmd_power(Args const&);
int cmd_qc(Args const&);
int cmd_amplicon(Args const&);


}  // namespace orbiome::cli
