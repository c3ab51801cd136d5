#include "seqio/samplesheet.hpp"

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace orbiome::seqio {

std::vector<SampleReads> read_samplesheet(std::string const& path) {
    auto in = open_input(path);
    LineReader reader(in, path);
    std::string line;
    int c_sample = -1, c_reads = -1, c_reads2 = -1;
    std::vector<SampleReads> out;
    while (reader.next(line)) {
        if (trim(line).empty() || line[0] == '#') continue;
        auto const f = split(line, '\t');
        if (c_sample < 0) {
            for (std::size_t i = 0; i < f.size(); ++i) {
                auto const h = trim(f[i]);
                if (h == "sample") c_sample = static_cast<int>(i);
                else if (h == "reads") c_reads = static_cast<int>(i);
                else if (h == "reads2") c_reads2 = static_cast<int>(i);
            }
            if (c_sample < 0 || c_reads < 0)
                fail_data(path, reader.line_no(), "samplesheet header needs columns 'sample' and 'reads' (and optionally 'reads2')");
            continue;
        }
        auto field = [&](int c) {
            return c >= 0 && static_cast<std::size_t>(c) < f.size() ? std::string(trim(f[static_cast<std::size_t>(c)]))
                                                                    : std::string();
        };
        SampleReads s{field(c_sample), field(c_reads), field(c_reads2)};
        if (s.name.empty() || s.reads.empty()) fail_data(path, reader.line_no(), "empty 'sample' or 'reads' field");
        for (auto const& o : out)
            if (o.name == s.name) fail_data(path, reader.line_no(), "duplicate sample '" + s.name + "'");
        out.push_back(std::move(s));
    }
    if (out.empty()) fail_data(path, reader.line_no(), "samplesheet lists no samples");
    return out;
}

}  // namespace orbiome::seqio
