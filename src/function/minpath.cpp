// MinPath 1.2 (Ye & Doak 2009) as HUMAnN 3.9 runs it: the integer program that MinPath writes as
// MPS text and glpsol solves, posed here through GLPK's API with the same rows, columns, bounds
// and coefficients in the same order, then solved with the steps of `glpsol FILE -o OUT`. Which
// of several minimal pathway sets wins depends on that order (docs/function.md, "MinPath").
#include <glpk.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "function/minpath_ilp.hpp"
#include "function/pathways.hpp"

namespace orbiome::function {

MinPathMap build_minpath_map(PathwayDb const& db) {
    MinPathMap m;
    for (auto const& [id, pi] : db.index) {  // by id, as HUMAnN writes MinPath's map
        std::vector<std::size_t> fams;
        for (auto const& r : db.pathways[pi].reactions) {
            if (r.empty() || r.find_first_of(" \t") != std::string::npos) continue;  // whitespace-split
            auto [it, inserted] = m.fam_index.try_emplace(r, m.fam2path.size());
            if (inserted) m.fam2path.emplace_back();
            if (std::find(fams.begin(), fams.end(), it->second) == fams.end()) fams.push_back(it->second);
        }
        if (fams.empty()) continue;  // a line with fewer than two words
        std::size_t const p = m.path_db.size();
        m.path_db.push_back(pi);
        for (std::size_t f : fams) m.fam2path[f].push_back(p);
        m.path2fam.push_back(std::move(fams));
    }
    return m;
}

std::vector<std::size_t> pose_minpath_ilp(glp_prob* P, std::vector<std::size_t> const& observed, MinPathMap const& m) {
    // glp_read_mps of MinPath's text: the N row (objective) is row 1 while the COLUMNS are read
    // and then deleted; each G row gets lower bound 1 (RHS); each column starts continuous >= 0
    // with objective coefficient 1 (its NUM entry), and its BV bound makes it integer in [0, 1].
    // The objective row aside, that is the problem below; glp_sort_matrix then orders the
    // row and column lists by index, as glp_read_mps's last step does.
    int const nrow = static_cast<int>(observed.size());
    std::vector<int> row_of(m.fam2path.size(), 0);  // family -> 1-based row
    for (int i = 0; i < nrow; ++i) row_of[observed[static_cast<std::size_t>(i)]] = i + 1;
    std::vector<std::size_t> cols;
    {
        std::vector<char> mapped(m.path_db.size(), 0);
        for (std::size_t f : observed)
            for (std::size_t p : m.fam2path[f]) mapped[p] = 1;
        for (std::size_t p = 0; p < mapped.size(); ++p)
            if (mapped[p]) cols.push_back(p);
    }
    // Column p's entries (any order: glp_sort_matrix below puts them in row order).
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0.0};
    for (std::size_t j = 0; j < cols.size(); ++j)
        for (std::size_t f : m.path2fam[cols[j]])
            if (row_of[f] != 0) {
                ia.push_back(row_of[f]);
                ja.push_back(static_cast<int>(j + 1));
            }
    ar.resize(ia.size(), 1.0);
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_rows(P, nrow);
    for (int i = 1; i <= nrow; ++i) glp_set_row_bnds(P, i, GLP_LO, 1.0, 1.0);
    int const ncol = static_cast<int>(cols.size());
    if (ncol > 0) glp_add_cols(P, ncol);
    for (int j = 1; j <= ncol; ++j) {
        glp_set_col_kind(P, j, GLP_IV);
        glp_set_col_bnds(P, j, GLP_DB, 0.0, 1.0);
        glp_set_obj_coef(P, j, 1.0);
    }
    glp_load_matrix(P, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
    glp_sort_matrix(P);
    return cols;
}

std::vector<std::size_t> solve_minpath_ilp(glp_prob* P) {
    glp_scale_prob(P, GLP_SF_AUTO);
    glp_adv_basis(P, 0);
    glp_bfcp bfcp;
    glp_get_bfcp(P, &bfcp);
    glp_set_bfcp(P, &bfcp);
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    glp_simplex(P, &smcp);
    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    int const rc = glp_intopt(P, &iocp);
    if (rc != 0 || glp_mip_status(P) != GLP_OPT)
        throw Error(Errc::software, {},
                    "internal error: GLPK found no optimal MinPath solution (glp_intopt " + std::to_string(rc) + ")");
    std::vector<std::size_t> ones;
    int const ncol = glp_get_num_cols(P);
    for (int j = 1; j <= ncol; ++j)
        if (glp_mip_col_val(P, j) >= 0.5) ones.push_back(static_cast<std::size_t>(j - 1));
    return ones;
}

namespace {

/// GLPK (built thread-local) keeps an environment per thread; freeing it after each solve leaves
/// nothing behind on the worker threads that ran strata.
struct GlpEnv {
    GlpEnv() = default;
    GlpEnv(GlpEnv const&) = delete;
    GlpEnv& operator=(GlpEnv const&) = delete;
    ~GlpEnv() { glp_free_env(); }
};

struct GlpProb {
    glp_prob* p = glp_create_prob();
    GlpProb() = default;
    GlpProb(GlpProb const&) = delete;
    GlpProb& operator=(GlpProb const&) = delete;
    ~GlpProb() { glp_delete_prob(p); }
};

}  // namespace

std::vector<char> minpath(std::vector<std::size_t> const& observed, MinPathMap const& m) {
    std::vector<std::size_t> fam_mapped;
    std::vector<char> fam_valid(m.fam2path.size(), 0);
    for (std::size_t f : observed) {
        if (fam_valid[f] || m.fam2path[f].empty()) continue;
        fam_mapped.push_back(f);
        fam_valid[f] = 1;
    }
    std::vector<char> selected(m.path_db.size(), 0);
    if (!fam_mapped.empty()) {
        GlpEnv const env;
        glp_term_out(GLP_OFF);
        GlpProb prob;
        auto const cols = pose_minpath_ilp(prob.p, fam_mapped, m);
        for (std::size_t j : solve_minpath_ilp(prob.p)) selected[cols[j]] = 1;
    }
    // PopulatePath(par = 0.5): add back pathways with at least half their families observed.
    std::vector<char> chosen(m.path_db.size(), 0);
    for (std::size_t p = 0; p < m.path_db.size(); ++p) {
        if (selected[p]) {
            chosen[p] = 1;
            continue;
        }
        if (m.path2fam[p].empty()) continue;
        std::size_t add = 0;
        for (std::size_t f : m.path2fam[p]) add += static_cast<std::size_t>(fam_valid[f]);
        if (static_cast<double>(add) >= static_cast<double>(m.path2fam[p].size()) * 0.5) chosen[p] = 1;
    }
    return chosen;
}

}  // namespace orbiome::function
