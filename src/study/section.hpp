#pragma once
/// \file section.hpp
/// Reading one section of a study file (study_file.cpp, and the per-sample steps' own sections,
/// sample_step.hpp): typed keys with their lines kept for messages, paths resolved against the
/// study file's folder, unknown keys refused. Private to the study library.

#include <filesystem>
#include <set>
#include <string>
#include <type_traits>

#include <toml.hpp>

#include "core/error.hpp"
#include "study/study.hpp"

namespace orbiome::study {

inline std::size_t line_of_value(toml::value const& v) { return v.location().line(); }

/// One TOML table of the study file, refusing keys it does not know.
class Section {
public:
    Section(std::string file, std::string name, toml::value const& v, StudySpec& spec)
        : file_(std::move(file)), name_(std::move(name)), v_(v), spec_(spec) {
        if (!v_.is_table())
            throw ParseError({file_, line_of_value(v_)}, "[" + name_ + "] must be a table");
    }

    bool has(std::string const& key) const { return v_.as_table().count(key) > 0; }
    std::string const& file() const { return file_; }
    std::size_t line() const { return line_of_value(v_); }  ///< of the section header

    toml::value const* get(std::string const& key) {
        known_.insert(key);
        auto const& t = v_.as_table();
        auto it = t.find(key);
        if (it == t.end()) return nullptr;
        spec_.key_lines.emplace_back(name_ + "." + key, line_of_value(it->second));
        return &it->second;
    }

    template <class T>
    void read(std::string const& key, T& out) {
        auto const* v = get(key);
        if (!v) return;
        try {
            if constexpr (std::is_floating_point_v<T>) {
                // TOML writes 10 as an integer; a number key takes both.
                out = v->is_integer() ? static_cast<T>(v->as_integer()) : toml::get<T>(*v);
            } else {
                out = toml::get<T>(*v);
            }
        } catch (toml::type_error const&) {
            throw ParseError({file_, line_of_value(*v)}, name_ + "." + key + ": wrong type, expected " + expected<T>());
        }
    }

    void read_path(std::string const& key, std::string& out, bool required) {
        read(key, out);
        if (out.empty()) {
            if (required) throw ParseError({file_, line_of_value(v_)}, "[" + name_ + "] needs '" + key + "'");
            return;
        }
        std::filesystem::path p(out);
        if (p.is_relative()) p = std::filesystem::path(file_).parent_path() / p;
        out = p.lexically_normal().string();
        if (!std::filesystem::exists(out))
            throw IoError(Errc::no_input, file_ + ":" + std::to_string(spec_.line_of(name_ + "." + key)),
                          name_ + "." + key + ": no such file '" + out + "'");
    }

    /// Throws for any key not read.
    void finish() const {
        for (auto const& [key, value] : v_.as_table())
            if (!known_.count(key)) {
                std::string options;
                for (auto const& k : known_) options += (options.empty() ? "" : ", ") + k;
                throw ParseError({file_, line_of_value(value)}, "unknown key '" + key + "' in [" + name_ + "]",
                                 "known keys: " + options);
            }
    }

private:
    template <class T>
    static std::string expected() {
        if constexpr (std::is_same_v<T, std::string>) return "a string";
        else if constexpr (std::is_integral_v<T>) return "an integer";
        else if constexpr (std::is_floating_point_v<T>) return "a number";
        else return "a list of strings";
    }
    std::string file_, name_;
    toml::value const& v_;
    StudySpec& spec_;
    std::set<std::string> known_;
};

}  // namespace orbiome::study
