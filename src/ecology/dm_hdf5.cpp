#include "ecology/dm_hdf5.hpp"

#include <cmath>
#include <fstream>
#include <unordered_set>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/hdf5_kit.hpp"

namespace orbiome::ecology {

namespace {

constexpr char const* kMissingHint = "is this a distance matrix written by Striped UniFrac (ssu) or orbiome?";
constexpr char const* kFormat = "BDSM";
constexpr char const* kVersion = "2020.12";
// HDF5's file signature; libhdf5 also looks for it after a user block at 512, 1024, 2048, ...
constexpr char kSignature[] = "\x89HDF\r\n\x1a\n";

}  // namespace

bool is_hdf5_file(std::string const& path) {
    auto in = open_input(path);
    char head[8] = {};
    in.read(head, sizeof head);
    if (in.gcount() == sizeof head && std::equal(head, head + 8, kSignature)) return true;
    for (std::streamoff off = 512; in.clear(), in.seekg(off) && in.read(head, sizeof head); off *= 2)
        if (std::equal(head, head + 8, kSignature)) return true;
    return false;
}

DistanceMatrix read_distance_matrix_hdf5(std::string const& path) {
    namespace h5 = io::hdf5;
    require_readable(path);
    h5::Quiet quiet;
    h5::Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.ok()) throw ParseError({path}, "not a readable HDF5 file (" + h5::detail() + ")");
    std::vector<hsize_t> shape;
    auto ids = h5::read_strings(file.get(), path, "order", shape, kMissingHint);
    auto fail = [&](std::string const& what) { throw ParseError({path}, what, kMissingHint); };
    if (shape.size() != 1) fail("dataset 'order' is not one-dimensional");
    std::unordered_set<std::string> seen;
    for (auto const& id : ids)
        if (!seen.insert(id).second) fail("sample id '" + id + "' is repeated in 'order'");
    std::size_t const n = ids.size();
    h5::Hid d = h5::open_dataset(file.get(), path, "matrix", kMissingHint);
    h5::Hid ftype(H5Dget_type(d.get()), H5Tclose);
    if (!ftype.ok() || H5Tget_class(ftype.get()) != H5T_FLOAT) fail("dataset 'matrix' is not floating point");
    auto const dims = h5::dims(d.get(), path, "matrix");
    if (dims.size() != 2 || dims[0] != n || dims[1] != n)
        fail("dataset 'matrix' is not " + std::to_string(n) + " x " + std::to_string(n) + " for the " +
             std::to_string(n) + " ids of 'order'");
    DistanceMatrix dm(ids);
    if (n == 0) return dm;
    // Read row blocks, so memory stays near the condensed matrix rather than twice the square.
    constexpr std::size_t kRowsPerRead = 256;
    std::vector<double> rows;
    h5::Hid space(H5Dget_space(d.get()), H5Sclose);
    std::vector<double> lower;  // d(j, i) for j > i, checked against d(i, j) when row j is read
    for (std::size_t r0 = 0; r0 < n; r0 += kRowsPerRead) {
        std::size_t const nr = std::min(kRowsPerRead, n - r0);
        rows.resize(nr * n);
        hsize_t const start[2] = {r0, 0}, count[2] = {nr, n};
        H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
        h5::Hid mem(H5Screate_simple(2, count, nullptr), H5Sclose);
        if (H5Dread(d.get(), H5T_NATIVE_DOUBLE, mem.get(), space.get(), H5P_DEFAULT, rows.data()) < 0)
            fail("dataset 'matrix': cannot read (" + h5::detail() + ")");
        for (std::size_t a = 0; a < nr; ++a) {
            std::size_t const i = r0 + a;
            double const* row = rows.data() + a * n;
            for (std::size_t j = 0; j < n; ++j) {
                double const v = row[j];
                if (!std::isfinite(v) || v < 0)
                    fail("matrix[" + std::to_string(i) + "][" + std::to_string(j) + "] = " + format_double(v) +
                         " is not a finite non-negative distance");
                if (j == i && v != 0) fail("non-zero diagonal for '" + ids[i] + "'");
                if (j > i) dm.set(i, j, v);
                if (j < i) {
                    double const u = dm(j, i);
                    if (std::abs(u - v) > 1e-12 * std::max(1.0, std::abs(u)))
                        fail("matrix is not symmetric: d('" + ids[j] + "','" + ids[i] + "') = " + format_double(u) +
                             " but d('" + ids[i] + "','" + ids[j] + "') = " + format_double(v));
                }
            }
        }
    }
    return dm;
}

void write_distance_matrix_hdf5(DistanceMatrix const& dm, std::string const& path) {
    namespace h5 = io::hdf5;
    AtomicOutput out(path);
    if (out.write_path() == out.path())
        throw UsageError("'" + path + "': an HDF5 distance matrix must be written to a regular file",
                         "libhdf5 seeks in its output; write .tsv to stream a matrix");
    // libhdf5 writes the temporary by name; the stream stays empty and commit() renames the file.
    {
        h5::Quiet quiet;
        std::string const& file_path = out.write_path();
        h5::Hid file = h5::checked(H5Fcreate(file_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                                   path, "file");
        h5::write_fixed_string(file.get(), "format", kFormat, path);
        h5::write_fixed_string(file.get(), "version", kVersion, path);
        std::size_t const n = dm.size();
        h5::write_strings(file.get(), "order", dm.ids(), {n}, path);
        hsize_t const shape[2] = {n, n};
        h5::Hid space = h5::checked(H5Screate_simple(2, shape, nullptr), H5Sclose, path, "matrix");
        h5::Hid d = h5::checked(H5Dcreate2(file.get(), "matrix", H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                                           H5P_DEFAULT, H5P_DEFAULT),
                                H5Dclose, path, "matrix");
        std::vector<double> row(n);
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) row[j] = dm(i, j);
            hsize_t const start[2] = {i, 0}, count[2] = {1, n};
            h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), path, "matrix");
            h5::Hid mem = h5::checked(H5Screate_simple(2, count, nullptr), H5Sclose, path, "matrix");
            h5::check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, mem.get(), space.get(), H5P_DEFAULT, row.data()), path,
                      "matrix");
        }
        h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), path, "file");
    }
    out.commit();
}

}  // namespace orbiome::ecology
