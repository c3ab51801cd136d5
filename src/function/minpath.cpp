// MinPath 1.2 (Ye & Doak 2009) as HUMAnN 3.9 runs it: the same integer program, written in the
// same MPS text (row, column and entry order) and solved by the GLPK library with the steps of
// `glpsol FILE -o OUT` (read free MPS, scale GLP_SF_AUTO, advanced initial basis, primal simplex,
// branch and bound with default controls). Which of several minimal pathway sets wins depends on
// that order, so the problem is posed exactly as MinPath writes it (docs/function.md).
#include <glpk.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
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

namespace {

/// Removes the temporary MPS file however the solve ends.
struct TempFile {
    std::string path;
    ~TempFile() {
        if (!path.empty()) std::remove(path.c_str());
    }
};

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
    ~GlpProb() { glp_delete_prob(p); }
};

}  // namespace

std::vector<std::size_t> minpath(std::vector<std::string> const& observed, PathwayDb const& db) {
    return minpath(observed, build_minpath_map(db));
}

std::vector<std::size_t> minpath(std::vector<std::string> const& observed, MinPathMap const& m) {
    std::vector<std::size_t> fam_mapped;
    std::vector<char> fam_valid(m.fam2path.size(), 0);
    {
        std::set<std::string> seen;
        for (auto const& r : observed) {
            if (!seen.insert(r).second) continue;
            auto const it = m.fam_index.find(r);
            if (it == m.fam_index.end() || m.fam2path[it->second].empty()) continue;
            fam_mapped.push_back(it->second);
            fam_valid[it->second] = 1;
        }
    }
    std::vector<char> selected(m.path_db.size(), 0);
    if (!fam_mapped.empty()) {
        std::vector<char> path_mapped(m.path_db.size(), 0);
        for (std::size_t f : fam_mapped)
            for (std::size_t p : m.fam2path[f]) path_mapped[p] = 1;
        // The MPS text of MinPath12hmp.WriteMps, byte for byte.
        std::string mps;
        char buf[128];
        std::snprintf(buf, sizeof buf, "%-14s%s\n", "NAME", "PATH");
        mps += buf;
        mps += "ROWS\n N  NUM\n";
        for (std::size_t f : fam_mapped) mps += " G  F" + std::to_string(f + 1) + "\n";
        mps += "COLUMNS\n";
        // Column p's entries in the order of the observed families (MinPath loops over them).
        std::vector<std::vector<std::size_t>> col(m.path_db.size());
        for (std::size_t f : fam_mapped)
            for (std::size_t q : m.fam2path[f]) col[q].push_back(f);
        for (std::size_t p = 0; p < m.path_db.size(); ++p) {
            if (!path_mapped[p]) continue;
            std::string const pname = "P" + std::to_string(p + 1);
            std::snprintf(buf, sizeof buf, "    %-10s%-10s%10d\n", pname.c_str(), "NUM", 1);
            mps += buf;
            for (std::size_t f : col[p]) {
                std::string const fname = "F" + std::to_string(f + 1);
                std::snprintf(buf, sizeof buf, "    %-10s%-10s%10d\n", pname.c_str(), fname.c_str(), 1);
                mps += buf;
            }
        }
        mps += "RHS\n";
        for (std::size_t f : fam_mapped) {
            std::string const fname = "F" + std::to_string(f + 1);
            std::snprintf(buf, sizeof buf, "    %-10s%-10s%10.1f\n", "RHS1", fname.c_str(), 1.0);
            mps += buf;
        }
        mps += "BOUNDS\n";
        for (std::size_t p = 0; p < m.path_db.size(); ++p)
            if (path_mapped[p]) {
                std::string const pname = "P" + std::to_string(p + 1);
                std::snprintf(buf, sizeof buf, " BV %-10s%-10s\n", "BND1", pname.c_str());
                mps += buf;
            }
        mps += "ENDATA\n";

        // GLPK reads MPS only from a file; glp_read_mps builds rows and columns in file order.
        TempFile tmp;
        std::string templ = (std::filesystem::temp_directory_path() / "orbiome-minpath-XXXXXX").string();
        int const fd = mkstemp(templ.data());
        if (fd < 0) throw IoError(Errc::io, templ, "cannot create MinPath's temporary MPS file");
        tmp.path = templ;
        bool const ok = ::write(fd, mps.data(), mps.size()) == static_cast<ssize_t>(mps.size());
        ::close(fd);
        if (!ok) throw IoError(Errc::io, templ, "cannot write MinPath's temporary MPS file");

        GlpEnv const env;
        glp_term_out(GLP_OFF);
        GlpProb prob;
        if (glp_read_mps(prob.p, GLP_MPS_FILE, nullptr, tmp.path.c_str()) != 0)
            throw Error(Errc::software, {}, "internal error: GLPK rejected MinPath's MPS problem");
        glp_scale_prob(prob.p, GLP_SF_AUTO);
        glp_adv_basis(prob.p, 0);
        glp_bfcp bfcp;
        glp_get_bfcp(prob.p, &bfcp);
        glp_set_bfcp(prob.p, &bfcp);
        glp_smcp smcp;
        glp_init_smcp(&smcp);
        smcp.msg_lev = GLP_MSG_OFF;
        glp_simplex(prob.p, &smcp);
        glp_iocp iocp;
        glp_init_iocp(&iocp);
        iocp.msg_lev = GLP_MSG_OFF;
        int const rc = glp_intopt(prob.p, &iocp);
        if (rc != 0 || glp_mip_status(prob.p) != GLP_OPT)
            throw Error(Errc::software, {}, "internal error: GLPK found no optimal MinPath solution (glp_intopt " +
                                                std::to_string(rc) + ")");
        int const ncol = glp_get_num_cols(prob.p);
        for (int j = 1; j <= ncol; ++j) {
            if (glp_mip_col_val(prob.p, j) < 0.5) continue;
            std::string const name = glp_get_col_name(prob.p, j);
            selected[std::stoul(name.substr(1)) - 1] = 1;
        }
    }
    // PopulatePath(par = 0.5): add back pathways with at least half their families observed.
    std::vector<char> chosen = selected;
    for (std::size_t p = 0; p < m.path_db.size(); ++p) {
        if (selected[p] || m.path2fam[p].empty()) continue;
        std::size_t add = 0;
        for (std::size_t f : m.path2fam[p]) add += fam_valid[f];
        if (static_cast<double>(add) >= static_cast<double>(m.path2fam[p].size()) * 0.5) chosen[p] = 1;
    }
    std::vector<std::size_t> out;
    for (std::size_t p = 0; p < m.path_db.size(); ++p)
        if (chosen[p]) out.push_back(m.path_db[p]);
    return out;
}

}  // namespace orbiome::function
