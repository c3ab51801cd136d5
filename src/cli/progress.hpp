#pragma once
/// \file progress.hpp
/// Progress of long runs on stderr (`profile`, `db build`): a status line at most every
/// `kProgressInterval`, redrawn in place on a terminal, one line per update otherwise. Shown
/// when stderr is a terminal or `--progress` forces it, never with `--quiet`. It only prints:
/// outputs and results do not depend on it.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include <unistd.h>

#include <CLI/CLI.hpp>

namespace orbiome::cli {

/// Shortest time between two progress lines.
inline constexpr std::chrono::milliseconds kProgressInterval{500};

/// The `--progress` / `--quiet` pair of a command.
struct ProgressFlags {
    bool force = false;  ///< --progress
    bool quiet = false;  ///< --quiet

    /// Adds both flags to `app` (mutually exclusive).
    void add_to(CLI::App& app) {
        auto* p = app.add_flag("--progress", force, "Report progress on stderr even when it is not a terminal");
        auto* q = app.add_flag("--quiet", quiet, "Print only errors and warnings on stderr (no progress, no summary)");
        p->excludes(q);
    }
    /// Whether progress lines are shown: a terminal or --progress, and not --quiet.
    bool show() const noexcept { return !quiet && (force || isatty(STDERR_FILENO) == 1); }
};

/// Rate-limited progress lines; `update` may be called from several threads.
class ProgressMeter {
public:
    explicit ProgressMeter(bool enabled)
        : enabled_(enabled), terminal_(isatty(STDERR_FILENO) == 1), start_(Clock::now()), last_(start_) {}

    /// Prints `message(seconds since start)` if the interval has passed since the last line.
    template <class Message>
    void update(Message&& message) {
        if (!enabled_) return;
        std::lock_guard<std::mutex> lock(mutex_);
        auto const now = Clock::now();
        if (now - last_ < kProgressInterval) return;
        last_ = now;
        print(message(seconds(now)));
    }
    /// Prints the final state unconditionally (when enabled) and ends a redrawn line.
    template <class Message>
    void finish(Message&& message) {
        if (!enabled_) return;
        std::lock_guard<std::mutex> lock(mutex_);
        print(message(seconds(Clock::now())));
        if (terminal_) std::fputc('\n', stderr);
    }

private:
    using Clock = std::chrono::steady_clock;
    double seconds(Clock::time_point t) const { return std::chrono::duration<double>(t - start_).count(); }
    void print(std::string const& line) const {
        // On a terminal the line is redrawn: carriage return, text, clear to the end of line.
        if (terminal_) std::fprintf(stderr, "\r%s\033[K", line.c_str());
        else std::fprintf(stderr, "%s\n", line.c_str());
        std::fflush(stderr);
    }

    bool enabled_;
    bool terminal_;
    Clock::time_point start_;
    Clock::time_point last_;
    std::mutex mutex_;
};

}  // namespace orbiome::cli
