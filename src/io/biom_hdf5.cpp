#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <unistd.h>

#include <hdf5.h>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/biom_io.hpp"
#include "io/hdf5_kit.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io {

namespace {

using table::Entry;
using table::FeatureTable;
using hdf5::check;
using hdf5::checked;
using hdf5::Hid;
using hdf5::link_exists;

[[noreturn]] void fail_dataset(std::string const& path, std::string const& dataset, std::string const& what,
                               std::string hint = {}) {
    throw ParseError({path}, "dataset '" + dataset + "': " + what, std::move(hint));
}

constexpr char const* kMissingHint = "is this a BIOM 2.1 file? (biom-format.org)";

Hid open_dataset(hid_t file, std::string const& path, std::string const& name) {
    return hdf5::open_dataset(file, path, name, kMissingHint);
}

std::vector<hsize_t> dataset_dims(hid_t d, std::string const& path, std::string const& name) {
    return hdf5::dims(d, path, name);
}

std::size_t n_elements(std::vector<hsize_t> const& dims) {
    std::size_t n = 1;
    for (auto d : dims) n *= static_cast<std::size_t>(d);
    return n;
}

std::vector<std::string> read_strings(hid_t file, std::string const& path, std::string const& name,
                                      std::vector<hsize_t>& dims) {
    return hdf5::read_strings(file, path, name, dims, kMissingHint);
}

/// Reads a 1-D numeric dataset converted to `T` (libhdf5 converts int <-> float on read).
template <class T>
std::vector<T> read_numbers(hid_t file, std::string const& path, std::string const& name, hid_t mem_type) {
    Hid d = open_dataset(file, path, name);
    Hid ftype(H5Dget_type(d.get()), H5Tclose);
    H5T_class_t const cls = ftype.ok() ? H5Tget_class(ftype.get()) : H5T_NO_CLASS;
    if (cls == H5T_STRING)
        fail_dataset(path, name, "holds text, not numbers", "orbiome reads numeric BIOM tables only");
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail_dataset(path, name, "is not a numeric dataset");
    if (std::is_integral_v<T> && cls != H5T_INTEGER) fail_dataset(path, name, "is not an integer dataset");
    auto const dims = dataset_dims(d.get(), path, name);
    if (dims.size() != 1) fail_dataset(path, name, "is not one-dimensional");
    std::vector<T> out(n_elements(dims));
    if (!out.empty() && H5Dread(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        fail_dataset(path, name, "cannot read (" + hdf5::detail() + ")", "the file may be truncated or corrupt");
    return out;
}

std::vector<std::string> read_ids(hid_t file, std::string const& path, std::string const& name) {
    std::vector<hsize_t> dims;
    auto ids = read_strings(file, path, name, dims);
    if (dims.size() != 1) fail_dataset(path, name, "is not one-dimensional");
    return ids;
}

// ---- writing ----

void write_string_dataset(hid_t loc, std::string const& name, std::vector<std::string> const& values,
                          std::vector<hsize_t> const& dims, std::string const& path) {
    hdf5::write_strings(loc, name, values, dims, path);
}

template <class T>
void write_number_dataset(hid_t loc, std::string const& name, std::vector<T> const& values, hid_t mem_type,
                          hid_t file_type, std::string const& path) {
    hsize_t const dims[1] = {values.size()};
    Hid space = checked(H5Screate_simple(1, dims, nullptr), H5Sclose, path, name);
    Hid d = checked(H5Dcreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    H5Dclose, path, name);
    if (!values.empty()) check(H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path, name);
}

void write_string_attribute(hid_t loc, char const* name, std::string const& value, std::string const& path) {
    Hid type = hdf5::vlen_string_type(path);
    Hid space = checked(H5Screate(H5S_SCALAR), H5Sclose, path, name);
    Hid a = checked(H5Acreate2(loc, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, path, name);
    char const* ptr = value.c_str();
    check(H5Awrite(a.get(), type.get(), &ptr), path, name);
}

void write_int_attribute(hid_t loc, char const* name, std::vector<std::int64_t> const& values, bool scalar,
                         hid_t file_type, std::string const& path) {
    hsize_t const dims[1] = {values.size()};
    Hid space = checked(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, dims, nullptr), H5Sclose, path, name);
    Hid a = checked(H5Acreate2(loc, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, path, name);
    check(H5Awrite(a.get(), H5T_NATIVE_INT64, values.data()), path, name);
}

Hid make_group(hid_t loc, char const* name, std::string const& path) {
    return checked(H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, path, name);
}

/// One compressed-sparse matrix as BIOM stores it under `<axis>/matrix`.
struct Compressed {
    std::vector<double> data;
    std::vector<std::int64_t> indices;
    std::vector<std::int64_t> indptr;
};

void write_axis(hid_t file, char const* axis, std::vector<std::string> const& ids, Compressed const& m,
                hid_t index_type, std::string const& path) {
    Hid g = make_group(file, axis, path);
    write_string_dataset(g.get(), "ids", ids, {ids.size()}, path);
    Hid mg = make_group(g.get(), "matrix", path);
    write_number_dataset(mg.get(), "data", m.data, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, path);
    write_number_dataset(mg.get(), "indices", m.indices, H5T_NATIVE_INT64, index_type, path);
    write_number_dataset(mg.get(), "indptr", m.indptr, H5T_NATIVE_INT64, index_type, path);
    Hid gm = make_group(g.get(), "group-metadata", path);
}

void write_file(FeatureTable const& t, std::string const& h5_path, std::string const& path,
                std::string const& generated_by) {
    std::size_t const nf = t.n_features(), ns = t.n_samples();
    // CSC by sample is the table's own storage; CSR by observation is its transpose.
    Compressed by_sample, by_obs;
    by_sample.indptr.push_back(0);
    for (std::size_t s = 0; s < ns; ++s) {
        for (auto f : t.sample_features(s)) by_sample.indices.push_back(f);
        for (auto v : t.sample_values(s)) by_sample.data.push_back(v);
        by_sample.indptr.push_back(static_cast<std::int64_t>(by_sample.data.size()));
    }
    by_obs.indptr.assign(nf + 1, 0);
    for (auto f : by_sample.indices) ++by_obs.indptr[static_cast<std::size_t>(f) + 1];
    for (std::size_t f = 0; f < nf; ++f) by_obs.indptr[f + 1] += by_obs.indptr[f];
    by_obs.data.resize(by_sample.data.size());
    by_obs.indices.resize(by_sample.data.size());
    std::vector<std::int64_t> cursor(by_obs.indptr.begin(), by_obs.indptr.end() - 1);
    for (std::size_t s = 0; s < ns; ++s)
        for (auto k = by_sample.indptr[s]; k < by_sample.indptr[s + 1]; ++k) {
            auto const kk = static_cast<std::size_t>(k);
            auto const pos = static_cast<std::size_t>(cursor[static_cast<std::size_t>(by_sample.indices[kk])]++);
            by_obs.data[pos] = by_sample.data[kk];
            by_obs.indices[pos] = static_cast<std::int64_t>(s);
        }
    bool const small = by_sample.data.size() <= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
    hid_t const index_type = small ? H5T_STD_I32LE : H5T_STD_I64LE;

    Hid file = checked(H5Fcreate(h5_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, path, "file");
    write_string_attribute(file.get(), "id", "No Table ID", path);
    write_string_attribute(file.get(), "type", "OTU table", path);
    write_string_attribute(file.get(), "format-url", "http://biom-format.org", path);
    write_int_attribute(file.get(), "format-version", {2, 1}, false, H5T_STD_I32LE, path);
    write_string_attribute(file.get(), "generated-by", generated_by, path);
    write_string_attribute(file.get(), "creation-date", creation_date(), path);
    write_int_attribute(file.get(), "shape", {static_cast<std::int64_t>(nf), static_cast<std::int64_t>(ns)}, false,
                        H5T_STD_I64LE, path);
    write_int_attribute(file.get(), "nnz", {static_cast<std::int64_t>(by_sample.data.size())}, true, H5T_STD_I64LE,
                        path);
    write_axis(file.get(), "observation", t.feature_ids(), by_obs, index_type, path);
    write_axis(file.get(), "sample", t.sample_ids(), by_sample, index_type, path);
    {
        Hid md = make_group(file.get(), "observation/metadata", path);
        if (t.has_lineages()) {
            // BIOM stores a lineage as a list of levels: a 2-D string dataset padded with "".
            std::vector<std::vector<std::string>> levels(nf);
            std::size_t depth = 1;
            for (std::size_t f = 0; f < nf; ++f) {
                levels[f] = stored_levels(t.lineages()[f]);
                depth = std::max(depth, levels[f].size());
            }
            std::vector<std::string> flat(nf * depth);
            for (std::size_t f = 0; f < nf; ++f)
                for (std::size_t i = 0; i < levels[f].size(); ++i) flat[f * depth + i] = levels[f][i];
            write_string_dataset(md.get(), "taxonomy", flat, {nf, depth}, path);
        }
        Hid smd = make_group(file.get(), "sample/metadata", path);
    }
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), path, "file");
}

/// Removes a private temporary file on scope exit.
struct TempFile {
    std::string path;
    ~TempFile() {
        if (!path.empty()) std::remove(path.c_str());
    }
};

}  // namespace

FeatureTable read_biom_hdf5(std::string const& path) {
    require_readable(path);
    hdf5::Quiet quiet;
    Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.ok()) {
        std::string const detail = hdf5::detail();
        throw ParseError({path}, "not a readable HDF5 file" + (detail.empty() ? std::string() : " (" + detail + ")"),
                         "the file may be truncated or corrupt");
    }
    hid_t const f = file.get();
    auto feature_ids = read_ids(f, path, "observation/ids");
    auto sample_ids = read_ids(f, path, "sample/ids");
    auto const data = read_numbers<double>(f, path, "observation/matrix/data", H5T_NATIVE_DOUBLE);
    auto const indices = read_numbers<long long>(f, path, "observation/matrix/indices", H5T_NATIVE_LLONG);
    auto const indptr = read_numbers<long long>(f, path, "observation/matrix/indptr", H5T_NATIVE_LLONG);
    std::size_t const nf = feature_ids.size(), ns = sample_ids.size();

    if (indptr.size() != nf + 1)
        fail_dataset(path, "observation/matrix/indptr",
                     "has " + std::to_string(indptr.size()) + " entries, expected " + std::to_string(nf + 1) +
                         " (observations + 1)");
    if (indices.size() != data.size())
        fail_dataset(path, "observation/matrix/indices",
                     "has " + std::to_string(indices.size()) + " entries but data has " + std::to_string(data.size()));
    if (indptr[0] != 0 || static_cast<std::size_t>(indptr[nf]) != data.size())
        fail_dataset(path, "observation/matrix/indptr", "does not span data (first must be 0, last must be nnz)");
    std::vector<Entry> entries;
    entries.reserve(data.size());
    for (std::size_t r = 0; r < nf; ++r) {
        if (indptr[r + 1] < indptr[r])
            fail_dataset(path, "observation/matrix/indptr", "record " + std::to_string(r + 2) + ": decreasing offset");
        for (auto k = static_cast<std::size_t>(indptr[r]); k < static_cast<std::size_t>(indptr[r + 1]); ++k) {
            if (indices[k] < 0 || static_cast<std::size_t>(indices[k]) >= ns)
                fail_dataset(path, "observation/matrix/indices",
                             "record " + std::to_string(k + 1) + ": sample index " + std::to_string(indices[k]) +
                                 " outside [0, " + std::to_string(ns) + ")");
            if (!std::isfinite(data[k]) || data[k] < 0)
                fail_dataset(path, "observation/matrix/data",
                             "record " + std::to_string(k + 1) + ": value " + format_double(data[k]) +
                                 " is negative or not finite");
            if (data[k] != 0)
                entries.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(indices[k]), data[k]});
        }
    }

    std::vector<std::string> lineages;
    std::string const tax = "observation/metadata/taxonomy";
    if (link_exists(f, tax)) {
        std::vector<hsize_t> dims;
        auto const cells = read_strings(f, path, tax, dims);
        if (dims.empty() || dims.size() > 2 || dims[0] != nf)
            fail_dataset(path, tax, "shape does not match " + std::to_string(nf) + " observations");
        std::size_t const depth = dims.size() == 2 ? static_cast<std::size_t>(dims[1]) : 1;
        lineages.resize(nf);
        for (std::size_t r = 0; r < nf; ++r) {
            if (dims.size() == 1) {
                lineages[r] = canonical_lineage(cells[r]);
            } else {
                std::vector<std::string> levels(cells.begin() + static_cast<std::ptrdiff_t>(r * depth),
                                                cells.begin() + static_cast<std::ptrdiff_t>((r + 1) * depth));
                lineages[r] = join_levels(levels);
            }
        }
    }
    return FeatureTable(std::move(feature_ids), std::move(sample_ids), std::move(entries), std::move(lineages), path);
}

void write_biom_hdf5(FeatureTable const& t, std::string const& path, std::string const& generated_by) {
    AtomicOutput out(path);
    hdf5::Quiet quiet;
    bool const direct = out.write_path() == out.path();
    if (!direct) {
        // libhdf5 writes the AtomicOutput temporary by name; its own stream stays empty, so
        // commit() only closes it and renames the finished file into place.
        write_file(t, out.write_path(), path, generated_by);
        out.commit();
        return;
    }
    // A pipe or device cannot be written by libhdf5 (it seeks): build the file privately, then
    // stream its bytes.
    char const* tmpdir = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/orbiome-biom-XXXXXX";
    int const fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw IoError(Errc::io, path, "cannot create a temporary file for BIOM HDF5 output");
    ::close(fd);
    TempFile tmp{tmpl};
    write_file(t, tmp.path, path, generated_by);
    std::ifstream in(tmp.path, std::ios::binary);
    out.stream() << in.rdbuf();
    out.commit();
}

namespace detail {

namespace {

/// Positions where an HDF5 superblock may start (after a user block of 0, 512, 1024, ... bytes).
constexpr std::size_t kHdf5SignatureOffsets[] = {0, 512, 1024, 2048, 4096};
constexpr std::string_view kHdf5Signature{"\x89HDF\r\n\x1a\n", 8};

int sniff_biom_hdf5(SniffInput const& in) {
    for (std::size_t off : kHdf5SignatureOffsets)
        if (in.head.size() >= off + kHdf5Signature.size() && in.head.compare(off, kHdf5Signature.size(), kHdf5Signature) == 0)
            return kMagic;
    return kNotThisFormat;
}

}  // namespace

FormatHandler const kBiomHdf5Format{
    TableFormat::biom_hdf5, &sniff_biom_hdf5,
    [](std::string const& path, TableReadOptions const&) { return read_biom_hdf5(path); },
    [](FeatureTable const& t, std::string const& path, std::string const& generated_by) {
        write_biom_hdf5(t, path, generated_by_value(generated_by));
    }};

}  // namespace detail

}  // namespace orbiome::io
