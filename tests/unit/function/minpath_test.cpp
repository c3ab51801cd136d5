// MinPath's integer program posed through GLPK's API (minpath_ilp.hpp) against the problem GLPK
// reads from the MPS text MinPath 1.2 writes (MinPath12hmp.WriteMps, the text orbiome wrote
// until session 5): the same rows, columns, bounds, objective and matrix lists in the same order,
// and the same optimal set, on random set-cover problems full of ties between minimal sets.
#include <glpk.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "function/minpath_ilp.hpp"
#include "function/pathways.hpp"

using namespace orbiome::function;

namespace {

/// A database of `n_path` pathways over `n_rxn` reactions, 2-8 reactions each (some listed twice).
PathwayDb random_db(std::mt19937& rng, int n_path, int n_rxn) {
    PathwayDb db;
    for (int p = 0; p < n_path; ++p) {
        Pathway pw;
        pw.id = "PWY-" + std::to_string(1000 - p);  // ids not in file order: the map sorts them
        int const k = std::uniform_int_distribution<int>(2, 8)(rng);
        for (int i = 0; i < k; ++i) pw.reactions.push_back("RXN-" + std::to_string(rng() % static_cast<unsigned>(n_rxn)));
        db.index.emplace(pw.id, db.pathways.size());
        db.pathways.push_back(std::move(pw));
    }
    return db;
}

/// MinPath's MPS text for the observed families (in MinPath's order), as WriteMps formats it.
std::string minpath_mps(std::vector<std::size_t> const& fams, MinPathMap const& m) {
    std::string mps;
    char buf[128];
    std::snprintf(buf, sizeof buf, "%-14s%s\n", "NAME", "PATH");
    mps += buf;
    mps += "ROWS\n N  NUM\n";
    for (std::size_t f : fams) mps += " G  F" + std::to_string(f + 1) + "\n";
    mps += "COLUMNS\n";
    std::vector<std::vector<std::size_t>> col(m.path_db.size());
    for (std::size_t f : fams)
        for (std::size_t q : m.fam2path[f]) col[q].push_back(f);
    for (std::size_t p = 0; p < m.path_db.size(); ++p) {
        if (col[p].empty()) continue;
        std::string const pname = "P" + std::to_string(p + 1);
        std::snprintf(buf, sizeof buf, "    %-10s%-10s%10d\n", pname.c_str(), "NUM", 1);
        mps += buf;
        for (std::size_t f : col[p]) {
            std::snprintf(buf, sizeof buf, "    %-10s%-10s%10d\n", pname.c_str(), ("F" + std::to_string(f + 1)).c_str(), 1);
            mps += buf;
        }
    }
    mps += "RHS\n";
    for (std::size_t f : fams) {
        std::snprintf(buf, sizeof buf, "    %-10s%-10s%10.1f\n", "RHS1", ("F" + std::to_string(f + 1)).c_str(), 1.0);
        mps += buf;
    }
    mps += "BOUNDS\n";
    for (std::size_t p = 0; p < m.path_db.size(); ++p)
        if (!col[p].empty()) {
            std::snprintf(buf, sizeof buf, " BV %-10s%-10s\n", "BND1", ("P" + std::to_string(p + 1)).c_str());
            mps += buf;
        }
    mps += "ENDATA\n";
    return mps;
}

struct Prob {
    glp_prob* p = glp_create_prob();
    Prob() = default;
    Prob(Prob const&) = delete;
    Prob& operator=(Prob const&) = delete;
    ~Prob() { glp_delete_prob(p); }
};

/// Every row, column and matrix list of both problems, element by element in list order.
void expect_same_problem(glp_prob* a, glp_prob* b) {
    ASSERT_EQ(glp_get_num_rows(a), glp_get_num_rows(b));
    ASSERT_EQ(glp_get_num_cols(a), glp_get_num_cols(b));
    EXPECT_EQ(glp_get_obj_dir(a), glp_get_obj_dir(b));
    EXPECT_EQ(glp_get_obj_coef(a, 0), glp_get_obj_coef(b, 0));
    int const m = glp_get_num_rows(a), n = glp_get_num_cols(a);
    std::vector<int> ia(static_cast<std::size_t>(std::max(m, n)) + 1), ib(ia.size());
    std::vector<double> va(ia.size()), vb(ia.size());
    auto same_list = [&](int la, int lb) {
        ASSERT_EQ(la, lb);
        for (int k = 1; k <= la; ++k) {
            EXPECT_EQ(ia[static_cast<std::size_t>(k)], ib[static_cast<std::size_t>(k)]);
            EXPECT_EQ(va[static_cast<std::size_t>(k)], vb[static_cast<std::size_t>(k)]);
        }
    };
    for (int i = 1; i <= m; ++i) {
        EXPECT_EQ(glp_get_row_type(a, i), glp_get_row_type(b, i));
        EXPECT_EQ(glp_get_row_lb(a, i), glp_get_row_lb(b, i));
        EXPECT_EQ(glp_get_row_ub(a, i), glp_get_row_ub(b, i));
        EXPECT_EQ(glp_get_row_stat(a, i), glp_get_row_stat(b, i));
        same_list(glp_get_mat_row(a, i, ia.data(), va.data()), glp_get_mat_row(b, i, ib.data(), vb.data()));
    }
    for (int j = 1; j <= n; ++j) {
        EXPECT_EQ(glp_get_col_kind(a, j), glp_get_col_kind(b, j));
        EXPECT_EQ(glp_get_col_type(a, j), glp_get_col_type(b, j));
        EXPECT_EQ(glp_get_col_lb(a, j), glp_get_col_lb(b, j));
        EXPECT_EQ(glp_get_col_ub(a, j), glp_get_col_ub(b, j));
        EXPECT_EQ(glp_get_col_stat(a, j), glp_get_col_stat(b, j));
        EXPECT_EQ(glp_get_obj_coef(a, j), glp_get_obj_coef(b, j));
        same_list(glp_get_mat_col(a, j, ia.data(), va.data()), glp_get_mat_col(b, j, ib.data(), vb.data()));
    }
}

}  // namespace

TEST(MinPathIlp, SameProblemAndSolutionAsGlpkReadingMinPathsMps) {
    glp_term_out(GLP_OFF);
    std::mt19937 rng(12);
    auto const path = (std::filesystem::temp_directory_path() / ("orbiome_minpath_" + std::to_string(getpid()) + ".mps")).string();
    int cases = 0, tied = 0;
    for (int round = 0; round < 12; ++round) {
        PathwayDb const db = random_db(rng, 20 + 6 * round, 15 + 4 * round);
        MinPathMap const map = build_minpath_map(db);
        for (int t = 0; t < 10; ++t) {
            // Observed reactions: a random subset, in name order as HUMAnN writes them.
            std::vector<std::string> names;
            for (auto const& [name, f] : map.fam_index) names.push_back(name);
            std::sort(names.begin(), names.end());
            std::erase_if(names, [&](std::string const&) { return rng() % 3 != 0; });
            if (names.empty()) continue;
            std::vector<std::size_t> fams;
            for (auto const& n : names) fams.push_back(map.fam_index.at(n));
            {
                std::FILE* f = std::fopen(path.c_str(), "w");
                ASSERT_NE(f, nullptr);
                std::string const text = minpath_mps(fams, map);
                std::fwrite(text.data(), 1, text.size(), f);
                std::fclose(f);
            }
            Prob from_mps, from_api;
            ASSERT_EQ(glp_read_mps(from_mps.p, GLP_MPS_FILE, nullptr, path.c_str()), 0);
            auto const cols = pose_minpath_ilp(from_api.p, fams, map);
            expect_same_problem(from_api.p, from_mps.p);
            // Columns of the MPS problem are named P<map pathway + 1>.
            for (std::size_t j = 0; j < cols.size(); ++j)
                ASSERT_EQ(glp_get_col_name(from_mps.p, static_cast<int>(j + 1)), "P" + std::to_string(cols[j] + 1));
            auto const a = solve_minpath_ilp(from_api.p), b = solve_minpath_ilp(from_mps.p);
            EXPECT_EQ(a, b) << "round " << round << " case " << t;
            // Was the minimum unique? Count optimal sets by forbidding the one found and solving again.
            glp_prob* again = glp_create_prob();
            glp_copy_prob(again, from_api.p, GLP_OFF);
            int const r = glp_add_rows(again, 1);
            std::vector<int> ind{0};
            std::vector<double> val{0.0};
            for (std::size_t j : a) {
                ind.push_back(static_cast<int>(j + 1));
                val.push_back(1.0);
            }
            glp_set_mat_row(again, r, static_cast<int>(a.size()), ind.data(), val.data());
            glp_set_row_bnds(again, r, GLP_UP, 0.0, static_cast<double>(a.size()) - 1);
            glp_iocp iocp;
            glp_init_iocp(&iocp);
            iocp.msg_lev = GLP_MSG_OFF;
            iocp.presolve = GLP_ON;
            if (glp_intopt(again, &iocp) == 0 && glp_mip_status(again) == GLP_OPT &&
                glp_mip_obj_val(again) == static_cast<double>(a.size()))
                ++tied;
            glp_delete_prob(again);
            ++cases;
        }
    }
    std::remove(path.c_str());
    EXPECT_GE(cases, 100);
    EXPECT_GE(tied, 20) << "too few problems with several minimal sets to tell the column order apart";
    glp_free_env();
}

TEST(MinPath, PopulatePathAddsPathwaysWithHalfTheirReactionsObserved) {
    // P1 = {A, B}, P2 = {B, C, D, E}, P3 = {C, D}: observed {A, B, C} -> the minimum is {P1, P3}
    // or {P1, P2}; P2 has 2 of 4 observed (>= 50 %) and P3 1 of 2: both added back either way.
    PathwayDb db;
    for (auto const& [id, rx] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"P1", {"A", "B"}}, {"P2", {"B", "C", "D", "E"}}, {"P3", {"C", "D"}}}) {
        Pathway p;
        p.id = id;
        p.reactions = rx;
        db.index.emplace(id, db.pathways.size());
        db.pathways.push_back(p);
    }
    MinPathMap const m = build_minpath_map(db);
    std::vector<std::size_t> const obs{m.fam_index.at("A"), m.fam_index.at("B"), m.fam_index.at("C")};
    EXPECT_EQ(minpath(obs, m), (std::vector<char>{1, 1, 1}));
    // Observed {A}: P1 alone; P2 and P3 have none observed.
    EXPECT_EQ(minpath({m.fam_index.at("A")}, m), (std::vector<char>{1, 0, 0}));
}
