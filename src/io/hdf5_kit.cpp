#include "io/hdf5_kit.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace orbiome::io::hdf5 {

Quiet::Quiet() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Quiet::~Quiet() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

std::string detail() {
    std::string msg;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_UPWARD,
        [](unsigned n, H5E_error2_t const* err, void* out) -> herr_t {
            if (n == 0 && err->desc) *static_cast<std::string*>(out) = err->desc;
            return 0;
        },
        &msg);
    return msg;
}

bool link_exists(hid_t file, std::string const& name) {
    // H5Lexists needs every intermediate group to exist, so check each prefix.
    for (std::size_t p = name.find('/');; p = name.find('/', p + 1)) {
        std::string const prefix = name.substr(0, p);
        if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        if (p == std::string::npos) return true;
    }
}

Hid open_dataset(hid_t file, std::string const& path, std::string const& name, std::string const& missing_hint) {
    if (!link_exists(file, name)) throw ParseError({path}, "dataset '" + name + "': missing", missing_hint);
    Hid d(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.ok())
        throw ParseError({path}, "dataset '" + name + "': cannot open (" + detail() + ")",
                         "the file may be truncated or corrupt");
    return d;
}

std::vector<hsize_t> dims(hid_t dataset, std::string const& path, std::string const& name) {
    Hid space(H5Dget_space(dataset), H5Sclose);
    int const rank = space.ok() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0) throw ParseError({path}, "dataset '" + name + "': cannot read its shape (" + detail() + ")");
    std::vector<hsize_t> out(static_cast<std::size_t>(rank));
    if (rank > 0) H5Sget_simple_extent_dims(space.get(), out.data(), nullptr);
    return out;
}

std::vector<std::string> read_strings(hid_t file, std::string const& path, std::string const& name,
                                      std::vector<hsize_t>& shape, std::string const& missing_hint) {
    Hid d = open_dataset(file, path, name, missing_hint);
    auto fail = [&](std::string const& what) {
        throw ParseError({path}, "dataset '" + name + "': " + what, "the file may be truncated or corrupt");
    };
    Hid ftype(H5Dget_type(d.get()), H5Tclose);
    if (!ftype.ok() || H5Tget_class(ftype.get()) != H5T_STRING) fail("is not a string dataset");
    shape = dims(d.get(), path, name);
    std::size_t n = 1;
    for (auto x : shape) n *= static_cast<std::size_t>(x);
    std::vector<std::string> out(n);
    if (n == 0) return out;
    Hid mtype(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_cset(mtype.get(), H5Tget_cset(ftype.get()));
    if (H5Tis_variable_str(ftype.get()) > 0) {
        H5Tset_size(mtype.get(), H5T_VARIABLE);
        std::vector<char*> buf(n, nullptr);
        if (H5Dread(d.get(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
            fail("cannot read (" + detail() + ")");
        for (std::size_t i = 0; i < n; ++i)
            if (buf[i]) out[i] = buf[i];
        Hid space(H5Dget_space(d.get()), H5Sclose);
#if H5_VERSION_GE(1, 12, 0)
        H5Treclaim(mtype.get(), space.get(), H5P_DEFAULT, buf.data());
#else
        H5Dvlen_reclaim(mtype.get(), space.get(), H5P_DEFAULT, buf.data());
#endif
    } else {
        std::size_t const size = H5Tget_size(ftype.get());
        H5Tset_size(mtype.get(), size);
        std::vector<char> buf(n * size);
        if (H5Dread(d.get(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
            fail("cannot read (" + detail() + ")");
        for (std::size_t i = 0; i < n; ++i) {
            std::string s(buf.data() + i * size, size);
            s.erase(std::min(s.find('\0'), s.size()));
            while (!s.empty() && s.back() == ' ') s.pop_back();
            out[i] = std::move(s);
        }
    }
    return out;
}

void check(herr_t status, std::string const& path, std::string const& what) {
    if (status < 0) throw IoError(Errc::io, path, "cannot write HDF5 " + what + " (" + detail() + ")");
}

Hid checked(hid_t id, herr_t (*close)(hid_t), std::string const& path, std::string const& what) {
    if (id < 0) throw IoError(Errc::io, path, "cannot write HDF5 " + what + " (" + detail() + ")");
    return Hid(id, close);
}

Hid vlen_string_type(std::string const& path) {
    Hid type = checked(H5Tcopy(H5T_C_S1), H5Tclose, path, "string type");
    check(H5Tset_size(type.get(), H5T_VARIABLE), path, "string type");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), path, "string type");
    return type;
}

void write_strings(hid_t loc, std::string const& name, std::vector<std::string> const& values,
                   std::vector<hsize_t> const& shape, std::string const& path) {
    Hid type = vlen_string_type(path);
    Hid space = checked(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose, path, name);
    Hid d = checked(H5Dcreate2(loc, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    H5Dclose, path, name);
    std::vector<char const*> ptrs;
    ptrs.reserve(values.size());
    for (auto const& v : values) ptrs.push_back(v.c_str());
    if (!ptrs.empty()) check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), path, name);
}

void write_fixed_string(hid_t loc, std::string const& name, std::string const& value, std::string const& path) {
    Hid type = checked(H5Tcopy(H5T_C_S1), H5Tclose, path, "string type");
    check(H5Tset_size(type.get(), std::max<std::size_t>(1, value.size())), path, "string type");
    check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), path, "string type");
    hsize_t const one[1] = {1};
    Hid space = checked(H5Screate_simple(1, one, nullptr), H5Sclose, path, name);
    Hid d = checked(H5Dcreate2(loc, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    H5Dclose, path, name);
    check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, value.c_str()), path, name);
}

}  // namespace orbiome::io::hdf5
