#pragma once
/// \file hdf5_kit.hpp
/// The few libhdf5 pieces orbiome's HDF5 formats share (BIOM 2.1, Striped UniFrac's distance
/// matrix): identifiers that close themselves, errors as one orbiome line instead of libhdf5's
/// stack dump, and string/number datasets read and written with the file named in every error.
/// Not thread-safe (libhdf5's default build serialises nothing); one file per thread at a time.

#include <string>
#include <vector>

#include <hdf5.h>

namespace orbiome::io::hdf5 {

/// Turns libhdf5's automatic error printing off while alive, restoring it afterwards.
class Quiet {
public:
    Quiet();
    ~Quiet();
    Quiet(Quiet const&) = delete;
    Quiet& operator=(Quiet const&) = delete;

private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

/// Owns one HDF5 identifier (file, dataset, dataspace, type) and closes it.
class Hid {
public:
    Hid(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    ~Hid() {
        if (id_ >= 0) close_(id_);
    }
    Hid(Hid const&) = delete;
    Hid& operator=(Hid const&) = delete;
    Hid(Hid&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
    Hid& operator=(Hid&&) = delete;
    hid_t get() const { return id_; }
    bool ok() const { return id_ >= 0; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

/// The most specific message on libhdf5's error stack (e.g. "truncated file: eof = ..."), or "".
std::string detail();

/// True when `name` (a path like "a/b") exists in `file`.
bool link_exists(hid_t file, std::string const& name);

/// Opens dataset `name`; ParseError (65) at `path` naming the dataset when it is missing
/// (`missing_hint` says what file was expected) or cannot be opened.
Hid open_dataset(hid_t file, std::string const& path, std::string const& name, std::string const& missing_hint);

/// The dimensions of an open dataset.
std::vector<hsize_t> dims(hid_t dataset, std::string const& path, std::string const& name);

/// Reads a string dataset (fixed-length or variable-length, any rank) in row-major order, with
/// its dimensions in `shape`. ParseError (65) when it is not a string dataset or cannot be read.
std::vector<std::string> read_strings(hid_t file, std::string const& path, std::string const& name,
                                      std::vector<hsize_t>& shape, std::string const& missing_hint);

/// Throws IoError (74) at `path` ("cannot write <what>: <libhdf5 detail>") when status < 0.
void check(herr_t status, std::string const& path, std::string const& what);
/// Wraps a newly created identifier; IoError (74) as `check` when it is invalid.
Hid checked(hid_t id, herr_t (*close)(hid_t), std::string const& path, std::string const& what);

/// A variable-length UTF-8 string type, for datasets and attributes.
Hid vlen_string_type(std::string const& path);
/// Writes a dataset of variable-length UTF-8 strings with the given dimensions.
void write_strings(hid_t loc, std::string const& name, std::vector<std::string> const& values,
                   std::vector<hsize_t> const& shape, std::string const& path);
/// Writes a one-element fixed-length ASCII string dataset (as Striped UniFrac's "format").
void write_fixed_string(hid_t loc, std::string const& name, std::string const& value, std::string const& path);

}  // namespace orbiome::io::hdf5
