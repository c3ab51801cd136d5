#include "io/newick.hpp"

#include <zlib.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "core/error.hpp"

namespace orbiome::io {

namespace {

// The parser is an explicit state machine with a stack of open '(' frames instead of recursive
// descent: a caterpillar tree of 100k tips (common after rerooting) would otherwise overflow the
// call stack. Nodes are numbered when they are closed, which is exactly post-order.
class NewickParser {
public:
    NewickParser(std::string_view text, std::string const& origin) : s_(text), origin_(origin) {}

    Tree run() {
        skip_blank();
        if (pos_ == s_.size() || s_[pos_] == ';') fail(pos_, "empty tree");
        bool expect_node = true;
        while (true) {
            skip_blank();
            if (expect_node) {
                if (at_end()) fail(pos_, "missing ';' at end of tree (input ends inside the tree)");
                if (s_[pos_] == '(') {
                    open_.push_back({pending_.size(), pos_});
                    ++pos_;
                    continue;
                }
                std::int32_t const node = new_node();
                read_label_and_length(node);
                pending_.push_back(node);
                expect_node = false;
                continue;
            }
            if (at_end()) {
                if (!open_.empty()) fail(open_.back().pos, "unbalanced parentheses: '(' is never closed");
                fail(pos_, "missing ';' at end of tree");
            }
            char const c = s_[pos_];
            if (c == ',') {
                if (open_.empty()) fail(pos_, "',' outside parentheses (a tree has one root)");
                ++pos_;
                expect_node = true;
            } else if (c == ')') {
                if (open_.empty()) fail(pos_, "unbalanced parentheses: ')' without a matching '('");
                ++pos_;
                close_internal();
            } else if (c == ';') {
                if (!open_.empty()) fail(open_.back().pos, "unbalanced parentheses: '(' is never closed");
                ++pos_;
                break;
            } else {
                fail(pos_, std::string("unexpected '") + c + "' after a node (expected ',', ')' or ';')");
            }
        }
        skip_blank();
        if (!at_end()) fail(pos_, "text after ';' (only one tree per file is supported)");
        ORBIOME_ASSERT(pending_.size() == 1 && pending_[0] + 1 == static_cast<std::int32_t>(t_.size()));
        return std::move(t_);
    }

private:
    struct Frame {
        std::size_t first_pending;  // index into pending_ of this frame's first child
        std::size_t pos;            // where the '(' is, for "never closed" errors
    };

    bool at_end() const { return pos_ >= s_.size(); }

    [[noreturn]] void fail(std::size_t at, std::string const& msg) const {
        std::size_t line = 1, line_start = 0;
        std::size_t const stop = std::min(at, s_.size());
        for (std::size_t i = 0; i < stop; ++i)
            if (s_[i] == '\n') {
                ++line;
                line_start = i + 1;
            }
        throw ParseError({origin_, line}, "character " + std::to_string(stop - line_start + 1) + ": " + msg);
    }

    // Whitespace and [comments] may appear between any two tokens.
    void skip_blank() {
        while (!at_end()) {
            char const c = s_[pos_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++pos_;
            } else if (c == '[') {
                std::size_t const close = s_.find(']', pos_);
                if (close == std::string_view::npos) fail(pos_, "unterminated comment '['");
                pos_ = close + 1;
            } else {
                return;
            }
        }
    }

    static bool is_delimiter(char c) {
        return c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '[' || c == ' ' ||
               c == '\t' || c == '\n' || c == '\r' || c == '\'';
    }

    std::int32_t new_node() {
        if (t_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
            fail(pos_, "too many nodes");
        auto const id = static_cast<std::int32_t>(t_.size());
        t_.parent.push_back(-1);
        t_.length.push_back(0.0);
        t_.name.emplace_back();
        t_.first_child.push_back(-1);
        t_.next_sibling.push_back(-1);
        return id;
    }

    void read_label_and_length(std::int32_t node) {
        skip_blank();
        std::string& name = t_.name[static_cast<std::size_t>(node)];
        if (!at_end() && s_[pos_] == '\'') {
            std::size_t const open = pos_++;
            while (true) {
                if (at_end()) fail(open, "unterminated quoted label");
                char const c = s_[pos_++];
                if (c != '\'') {
                    name += c;
                } else if (!at_end() && s_[pos_] == '\'') {
                    name += '\'';
                    ++pos_;
                } else {
                    break;
                }
            }
        } else {
            std::size_t const start = pos_;
            while (!at_end() && !is_delimiter(s_[pos_])) ++pos_;
            name.assign(s_.substr(start, pos_ - start));
        }
        skip_blank();
        if (!at_end() && s_[pos_] == '\'') fail(pos_, "a label cannot be followed by a quoted label");
        if (at_end() || s_[pos_] != ':') return;
        ++pos_;
        skip_blank();
        std::size_t const start = pos_;
        while (!at_end() && !is_delimiter(s_[pos_])) ++pos_;
        std::string_view const tok = s_.substr(start, pos_ - start);
        if (tok.empty()) fail(start, "missing branch length after ':'");
        char const* first = tok.data();
        char const* last = tok.data() + tok.size();
        if (*first == '+') ++first;
        double v = 0;
        auto const [ptr, ec] = std::from_chars(first, last, v);
        if (ec == std::errc::result_out_of_range) fail(start, "branch length out of range: '" + std::string(tok) + "'");
        if (ec != std::errc() || ptr != last) fail(start, "branch length is not a number: '" + std::string(tok) + "'");
        if (!std::isfinite(v)) fail(start, "branch length is not finite: '" + std::string(tok) + "'");
        if (v < 0) fail(start, "negative branch length: '" + std::string(tok) + "'");
        t_.length[static_cast<std::size_t>(node)] = v == 0 ? 0.0 : v;  // fold -0
    }

    void close_internal() {
        Frame const f = open_.back();
        open_.pop_back();
        std::int32_t const node = new_node();
        std::int32_t prev = -1;
        for (std::size_t k = f.first_pending; k < pending_.size(); ++k) {
            auto const child = static_cast<std::size_t>(pending_[k]);
            t_.parent[child] = node;
            if (prev < 0)
                t_.first_child[static_cast<std::size_t>(node)] = pending_[k];
            else
                t_.next_sibling[static_cast<std::size_t>(prev)] = pending_[k];
            prev = pending_[k];
        }
        pending_.resize(f.first_pending);
        read_label_and_length(node);
        pending_.push_back(node);
    }

    std::string_view s_;
    std::string const& origin_;
    std::size_t pos_ = 0;
    Tree t_;
    std::vector<Frame> open_;
    std::vector<std::int32_t> pending_;  // closed nodes whose parent is not closed yet
};

}  // namespace

Tree parse_newick(std::string_view text, std::string const& origin) { return NewickParser(text, origin).run(); }

Tree read_newick(std::string const& path) {
    // gzread passes plain files through unchanged, so one path handles .nwk and .nwk.gz.
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw IoError(Errc::no_input, path, "cannot open tree file");
    std::unique_ptr<gzFile_s, int (*)(gzFile)> guard(f, gzclose);
    constexpr unsigned kChunk = 1u << 16;
    std::string text;
    std::vector<char> buf(kChunk);
    while (true) {
        int const n = gzread(f, buf.data(), kChunk);
        if (n < 0) throw IoError(Errc::io, path, "read failed (corrupt gzip data?)");
        if (n == 0) break;
        text.append(buf.data(), static_cast<std::size_t>(n));
    }
    return parse_newick(text, path);
}

}  // namespace orbiome::io
