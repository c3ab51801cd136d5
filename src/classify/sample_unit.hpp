#pragma once
/// \file sample_unit.hpp
/// Profiling of one sample as one unit of work (`orbiome profile`, and the per-sample steps of
/// a study): classify, estimate abundance, and write the sample's outputs DIR/NAME.kreport,
/// DIR/NAME.profile (CAMI 0.9.1), DIR/NAME.abundance.tsv and, when asked, DIR/NAME.reads.tsv.
///
/// The files appear together or not at all: each is written to a temporary; only when all are
/// complete are they renamed into place, and if a rename fails the ones already renamed are
/// removed again, so a failure never leaves half a sample (issue #19). Prints nothing; progress
/// goes through `ProfileOptions::on_progress`.

#include <string>

#include "classify/profile.hpp"
#include "seqio/samplesheet.hpp"

namespace orbiome::classify {

struct SampleUnitOptions {
    ProfileOptions profile;
    bool per_read = false;        ///< also write NAME.reads.tsv
    std::string tsv_header;       ///< first line of NAME.abundance.tsv ("#orbiome profile <version>")
    std::string program;          ///< `@__program__` of the CAMI profile ("orbiome <version>")
};

/// The output paths of `sample` in `dir`, in the order listed above (reads.tsv last, only
/// with `per_read`).
std::vector<std::string> sample_unit_outputs(std::string const& dir, std::string const& sample, bool per_read);

/// Profiles `sample` against `clf` and writes its outputs into `dir` (which must exist) as one
/// unit. Throws as `profile_reads` does (input files are checked first: IoError 66 naming a
/// missing one), IoError (74) when an output cannot be written; then no output of the sample is
/// left behind.
ProfileResult profile_sample(Classifier const& clf, seqio::SampleReads const& sample, std::string const& dir,
                             SampleUnitOptions const& options);

}  // namespace orbiome::classify
