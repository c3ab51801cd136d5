#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/newick.hpp"
#include "support/paths.hpp"

using namespace orbiome;
using io::parse_newick;
using io::Tree;

namespace {

std::size_t count_tips(Tree const& t) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < t.size(); ++i) n += t.is_tip(i) ? 1 : 0;
    return n;
}

double total_length(Tree const& t) {
    double s = 0;
    for (double v : t.length) s += v;
    return s;
}

std::size_t find(Tree const& t, std::string const& name) {
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t.name[i] == name) return i;
    return t.size();
}

// Checks the structural invariants every consumer relies on: post-order, consistent child lists.
void expect_consistent(Tree const& t) {
    ASSERT_GT(t.size(), 0u);
    EXPECT_EQ(t.parent[t.root()], -1);
    std::vector<std::size_t> n_children(t.size(), 0);
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        ASSERT_GT(t.parent[i], static_cast<std::int32_t>(i)) << "child after parent at node " << i;
        ++n_children[static_cast<std::size_t>(t.parent[i])];
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
        std::size_t k = 0;
        for (auto c = t.first_child[i]; c >= 0; c = t.next_sibling[static_cast<std::size_t>(c)]) {
            EXPECT_EQ(t.parent[static_cast<std::size_t>(c)], static_cast<std::int32_t>(i));
            ++k;
        }
        EXPECT_EQ(k, n_children[i]);
    }
}

template <class F>
std::string parse_error_of(F&& f) {
    try {
        f();
    } catch (ParseError const& e) {
        EXPECT_EQ(e.code(), Errc::data);
        return e.what();
    }
    return "no ParseError";
}

}  // namespace

TEST(Newick, SimpleTreeInPostOrder) {
    Tree t = parse_newick("((A:1,B:2)C:3,D:4)E;", "t.nwk");
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t.name, (std::vector<std::string>{"A", "B", "C", "D", "E"}));
    EXPECT_EQ(t.parent, (std::vector<std::int32_t>{2, 2, 4, 4, -1}));
    EXPECT_EQ(t.length, (std::vector<double>{1, 2, 3, 4, 0}));
    EXPECT_EQ(t.first_child[4], 2);
    EXPECT_EQ(t.next_sibling[2], 3);
    EXPECT_EQ(t.next_sibling[3], -1);
    EXPECT_EQ(t.first_child[2], 0);
    EXPECT_EQ(t.next_sibling[0], 1);
    EXPECT_TRUE(t.is_tip(0));
    EXPECT_FALSE(t.is_tip(4));
    EXPECT_EQ(t.root(), 4u);
    expect_consistent(t);
}

TEST(Newick, QuotedLabelsCommentsWhitespaceAndFloatForms) {
    Tree t = parse_newick("[lead] ( 'a b':1e-2 [c1],\n  'it''s' : +2.5E1 ,\tplain_name:.5 [x] ,'(,:;)':0 )\n"
                          " '0.985.6' : 7 ; [trailing] \n",
                          "q.nwk");
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t.name[0], "a b");
    EXPECT_DOUBLE_EQ(t.length[0], 0.01);
    EXPECT_EQ(t.name[1], "it's");
    EXPECT_DOUBLE_EQ(t.length[1], 25.0);
    EXPECT_EQ(t.name[2], "plain_name");  // underscores kept verbatim
    EXPECT_DOUBLE_EQ(t.length[2], 0.5);
    EXPECT_EQ(t.name[3], "(,:;)");
    EXPECT_EQ(t.name[4], "0.985.6");
    EXPECT_EQ(t.length[4], 7.0);
    expect_consistent(t);
}

TEST(Newick, InternalSupportLabelsAndMultifurcation) {
    Tree t = parse_newick("((a:0.1,b:0.2,c:0.3,d:0.4)0.985.6:0.15875,e)1.000:0;", "m.nwk");
    ASSERT_EQ(t.size(), 7u);
    std::size_t const inner = find(t, "0.985.6");
    ASSERT_LT(inner, t.size());
    std::size_t n = 0;
    for (auto c = t.first_child[inner]; c >= 0; c = t.next_sibling[static_cast<std::size_t>(c)]) ++n;
    EXPECT_EQ(n, 4u);
    EXPECT_DOUBLE_EQ(t.length[inner], 0.15875);
    EXPECT_EQ(t.length[find(t, "e")], 0.0);  // no length given
    EXPECT_EQ(t.name[t.root()], "1.000");
    expect_consistent(t);
}

TEST(Newick, UnnamedNodesAndSingleNode) {
    Tree t = parse_newick("(,(,));", "u.nwk");
    EXPECT_EQ(t.size(), 5u);
    EXPECT_EQ(count_tips(t), 3u);
    expect_consistent(t);
    Tree one = parse_newick("A:1;", "one.nwk");
    ASSERT_EQ(one.size(), 1u);
    EXPECT_TRUE(one.is_tip(one.root()));
    EXPECT_EQ(one.name[0], "A");
}

TEST(Newick, DeepLadderDoesNotRecurse) {
    // A caterpillar of 200k tips: ((((t0,t1),t2),t3)...); nesting depth 200k.
    constexpr std::size_t kTips = 200000;
    std::string s(kTips - 1, '(');
    s += "t0:1";
    for (std::size_t i = 1; i < kTips; ++i) s += ",t" + std::to_string(i) + ":1):1";
    s += ";";
    Tree t = parse_newick(s, "ladder.nwk");
    EXPECT_EQ(t.size(), 2 * kTips - 1);
    EXPECT_EQ(count_tips(t), kTips);
    EXPECT_EQ(total_length(t), static_cast<double>(2 * kTips - 1));  // every node, root included, has :1
    expect_consistent(t);
}

TEST(Newick, ErrorsNameLineAndCharacter) {
    EXPECT_EQ(parse_error_of([] { parse_newick("((A,B),C;", "e.nwk"); }),
              "e.nwk:1: character 1: unbalanced parentheses: '(' is never closed");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A,B));", "e.nwk"); }),
              "e.nwk:1: character 6: unbalanced parentheses: ')' without a matching '('");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A,B)\n", "e.nwk"); }),
              "e.nwk:2: character 1: missing ';' at end of tree");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A:1,\n B:-0.5);", "e.nwk"); }),
              "e.nwk:2: character 4: negative branch length: '-0.5'");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A:inf,B);", "e.nwk"); }),
              "e.nwk:1: character 4: branch length is not finite: 'inf'");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A:nan,B);", "e.nwk"); }),
              "e.nwk:1: character 4: branch length is not finite: 'nan'");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A:1e999,B);", "e.nwk"); }),
              "e.nwk:1: character 4: branch length out of range: '1e999'");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A:0.1x,B);", "e.nwk"); }),
              "e.nwk:1: character 4: branch length is not a number: '0.1x'");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A:,B);", "e.nwk"); }),
              "e.nwk:1: character 4: missing branch length after ':'");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A,B);\n(C,D);", "e.nwk"); }),
              "e.nwk:2: character 1: text after ';' (only one tree per file is supported)");
    EXPECT_EQ(parse_error_of([] { parse_newick("  \n [only a comment]\n", "e.nwk"); }),
              "e.nwk:3: character 1: empty tree");
    EXPECT_EQ(parse_error_of([] { parse_newick("", "e.nwk"); }), "e.nwk:1: character 1: empty tree");
    EXPECT_EQ(parse_error_of([] { parse_newick(";", "e.nwk"); }), "e.nwk:1: character 1: empty tree");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A,'B);", "e.nwk"); }),
              "e.nwk:1: character 4: unterminated quoted label");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A,B)[x;", "e.nwk"); }),
              "e.nwk:1: character 6: unterminated comment '['");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A B,C);", "e.nwk"); }),
              "e.nwk:1: character 4: unexpected 'B' after a node (expected ',', ')' or ';')");
    EXPECT_EQ(parse_error_of([] { parse_newick("A,B;", "e.nwk"); }),
              "e.nwk:1: character 2: ',' outside parentheses (a tree has one root)");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A,B", "e.nwk"); }),
              "e.nwk:1: character 1: unbalanced parentheses: '(' is never closed");
    EXPECT_EQ(parse_error_of([] { parse_newick("(A,", "e.nwk"); }),
              "e.nwk:1: character 4: missing ';' at end of tree (input ends inside the tree)");
}

TEST(Newick, ReadsQiimeTinyTestTree) {
    // Reference: scikit-bio 0.5.8 TreeNode.read (tests/data/newick/skbio_tree_summary.py):
    // 19 nodes, 10 tips, total branch length 1.5199599999999998, root named "root".
    Tree t = io::read_newick(orbiome::testing::test_data("newick/qiime191tt_tree_alpha.nwk"));
    EXPECT_EQ(t.size(), 19u);
    EXPECT_EQ(count_tips(t), 10u);
    EXPECT_NEAR(total_length(t), 1.5199599999999998, 1e-12);
    EXPECT_EQ(t.name[t.root()], "root");
    EXPECT_EQ(t.name[0], "879972");
    EXPECT_DOUBLE_EQ(t.length[find(t, "0.958")], 0.064315);
    expect_consistent(t);
}

TEST(Newick, ReadsGp500Tree) {
    // Reference: scikit-bio 0.5.8 (same script): 999 nodes, 500 tips, total 51.122820000000033,
    // first tip in post-order 153762, deepest tip 31 edges below the root.
    Tree t = io::read_newick(orbiome::testing::test_data("newick/gp500_tree.nwk"));
    EXPECT_EQ(t.size(), 999u);
    EXPECT_EQ(count_tips(t), 500u);
    EXPECT_NEAR(total_length(t), 51.122820000000033, 1e-9);
    EXPECT_EQ(t.name[0], "153762");
    std::size_t max_depth = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        std::size_t d = 0;
        for (auto p = t.parent[i]; p >= 0; p = t.parent[static_cast<std::size_t>(p)]) ++d;
        max_depth = std::max(max_depth, d);
    }
    EXPECT_EQ(max_depth, 31u);
    expect_consistent(t);
}

TEST(Newick, MissingFileIsNoInput) {
    try {
        io::read_newick("/nonexistent/tree.nwk");
        FAIL();
    } catch (IoError const& e) {
        EXPECT_EQ(e.code(), Errc::no_input);
        EXPECT_STREQ(e.what(), "/nonexistent/tree.nwk: cannot open tree file");
    }
}
