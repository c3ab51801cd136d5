#include "ecology/distance_matrix.hpp"

#include <cmath>
#include <unordered_set>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "ecology/dm_hdf5.hpp"

namespace orbiome::ecology {

DistanceMatrix::DistanceMatrix(std::vector<std::string> ids) : ids_(std::move(ids)) {
    d_.assign(ids_.size() * (ids_.size() - (ids_.empty() ? 0 : 1)) / 2, 0.0);
}

DistanceMatrix DistanceMatrix::subset(std::vector<std::size_t> const& rows) const {
    std::vector<std::string> ids;
    for (auto r : rows) ids.push_back(ids_[r]);
    DistanceMatrix out(std::move(ids));
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = i + 1; j < rows.size(); ++j) out.set(i, j, (*this)(rows[i], rows[j]));
    return out;
}

DistanceMatrix read_distance_matrix(std::string const& path) {
    if (is_hdf5_file(path)) return read_distance_matrix_hdf5(path);
    auto in = open_input(path);
    LineReader reader(in, path);
    std::string line;
    std::vector<std::string> ids;
    bool have_header = false;
    std::vector<std::vector<double>> rows;
    while (reader.next(line)) {
        if (line.empty() || line[0] == '#') continue;
        auto fields = split(line, '\t');
        if (!have_header) {
            for (std::size_t i = 1; i < fields.size(); ++i) ids.emplace_back(trim(fields[i]));
            std::unordered_set<std::string> seen;
            for (auto const& id : ids)
                if (!seen.insert(id).second) fail_data(path, reader.line_no(), "sample id '" + id + "' repeated in the header");
            if (ids.empty()) fail_data(path, reader.line_no(), "header names no samples");
            have_header = true;
            continue;
        }
        std::size_t const r = rows.size();
        if (fields.size() != ids.size() + 1)
            fail_data(path, reader.line_no(),
                      "row has " + std::to_string(fields.size()) + " fields, expected " + std::to_string(ids.size() + 1));
        if (r >= ids.size()) fail_data(path, reader.line_no(), "more rows than the header has samples");
        if (trim(fields[0]) != ids[r])
            fail_data(path, reader.line_no(),
                      "row id '" + std::string(trim(fields[0])) + "' differs from column id '" + ids[r] + "'",
                      "rows and columns must list the same samples in the same order");
        std::vector<double> row;
        row.reserve(ids.size());
        for (std::size_t j = 1; j < fields.size(); ++j) {
            auto const parsed = try_parse_double(fields[j]);  // the message is built only on failure
            double const v = parsed ? *parsed : parse_double(fields[j], path, reader.line_no(), "distance to '" + ids[j - 1] + "'");
            if (v < 0) fail_data(path, reader.line_no(), "negative distance to '" + ids[j - 1] + "'");
            row.push_back(v);
        }
        if (row[r] != 0) fail_data(path, reader.line_no(), "non-zero diagonal for '" + ids[r] + "'");
        rows.push_back(std::move(row));
    }
    if (!have_header) fail_data(path, reader.line_no(), "empty distance matrix");
    if (rows.size() != ids.size())
        fail_data(path, reader.line_no(),
                  "matrix has " + std::to_string(rows.size()) + " rows but " + std::to_string(ids.size()) + " columns");
    DistanceMatrix dm(ids);
    for (std::size_t i = 0; i < ids.size(); ++i)
        for (std::size_t j = i + 1; j < ids.size(); ++j) {
            double const a = rows[i][j], b = rows[j][i];
            if (std::abs(a - b) > 1e-12 * std::max(1.0, std::abs(a)))
                throw ParseError({path, j + 2}, "matrix is not symmetric: d('" + ids[i] + "','" + ids[j] + "') = " +
                                                    format_double(a) + " but d('" + ids[j] + "','" + ids[i] +
                                                    "') = " + format_double(b));
            dm.set(i, j, a);
        }
    return dm;
}

void write_distance_matrix(DistanceMatrix const& dm, std::string const& path) {
    if (path.ends_with(".h5") || path.ends_with(".hdf5")) return write_distance_matrix_hdf5(dm, path);
    AtomicOutput out(path);
    auto& os = out.stream();
    for (auto const& id : dm.ids()) os << '\t' << id;
    os << '\n';
    // One write per row: a 1,000-sample matrix is a million numbers.
    std::string line;
    for (std::size_t i = 0; i < dm.size(); ++i) {
        line.assign(dm.ids()[i]);
        line.resize(line.size() + dm.size() * (kDoubleTextMax + 1) + 1);
        char* at = line.data() + dm.ids()[i].size();
        for (std::size_t j = 0; j < dm.size(); ++j) {
            *at++ = '\t';
            at = format_double_to(dm(i, j), at);
        }
        *at++ = '\n';
        os.write(line.data(), at - line.data());
    }
    out.commit();
}

}  // namespace orbiome::ecology
