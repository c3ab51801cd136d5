#pragma once
/// \file study_reporting.hpp
/// How `orbiome run` and `orbiome demo` show a study run on stderr: a note for each skipped
/// step and each shallow sample (always, unless --quiet), and each step's wall time only with
/// --progress or --verbose (the times are kept in provenance.json either way). The library
/// reports through study::RunOptions callbacks and never prints itself.

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/progress.hpp"
#include "study/study.hpp"

namespace orbiome::cli {

struct StudyReporting {
    ProgressFlags progress;
    bool verbose = false;

    void add_to(CLI::App& app) {
        progress.add_to(app);
        app.add_flag("-v,--verbose", verbose, "Print each step's wall time on stderr (as --progress does)");
    }
    /// Callbacks for `threads` that print as described above, prefixed by `command`.
    study::RunOptions options(std::string const& command, int threads) const {
        study::RunOptions o;
        o.threads = threads;
        bool const timings = (progress.force || verbose) && !progress.quiet;
        if (timings)
            o.on_step_done = [command](std::string const& step, double seconds) {
                std::fprintf(stderr, "[orbiome::%s %s %.3gs]\n", command.c_str(), step.c_str(), seconds);
            };
        if (!progress.quiet)
            o.on_note = [command](std::string const& note) {
                std::fprintf(stderr, "orbiome %s: %s\n", command.c_str(), note.c_str());
            };
        return o;
    }
};

}  // namespace orbiome::cli
