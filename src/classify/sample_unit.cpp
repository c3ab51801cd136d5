#include "classify/sample_unit.hpp"

#include <filesystem>
#include <memory>

#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace orbiome::classify {

std::vector<std::string> sample_unit_outputs(std::string const& dir, std::string const& sample, bool per_read) {
    std::string const base = (std::filesystem::path(dir) / sample).string();
    std::vector<std::string> out{base + ".kreport", base + ".profile", base + ".abundance.tsv"};
    if (per_read) out.push_back(base + ".reads.tsv");
    return out;
}

ProfileResult profile_sample(Classifier const& clf, seqio::SampleReads const& sample, std::string const& dir,
                             SampleUnitOptions const& options) {
    require_readable(sample.reads);
    if (!sample.reads2.empty()) require_readable(sample.reads2);
    auto const paths = sample_unit_outputs(dir, sample.name, options.per_read);
    std::unique_ptr<AtomicOutput> reads_out;
    if (options.per_read) reads_out = std::make_unique<AtomicOutput>(paths[3]);
    auto const res = profile_reads(clf, sample.reads, sample.reads2, options.profile, reads_out ? &reads_out->stream() : nullptr);
    auto const& tax = clf.index().taxonomy();
    AtomicOutput kreport(paths[0]), cami(paths[1]), tsv(paths[2]);
    write_kreport(kreport.stream(), tax, res);
    write_cami_profile(cami.stream(), tax, res, sample.name, options.program);
    write_abundance_tsv(tsv.stream(), tax, res, options.tsv_header);
    // Every file is complete in its temporary; rename them, and take back the renamed ones if a
    // later rename fails, so the sample's files appear together or not at all.
    std::vector<AtomicOutput*> units{&kreport, &cami, &tsv};
    if (reads_out) units.push_back(reads_out.get());
    std::size_t committed = 0;
    try {
        for (auto* u : units) {
            u->commit();
            ++committed;
        }
    } catch (...) {
        std::error_code ec;
        for (std::size_t i = 0; i < committed; ++i) std::filesystem::remove(units[i]->path(), ec);
        throw;
    }
    return res;
}

}  // namespace orbiome::classify
