#pragma once
/// \file pathways.hpp
/// Gene families -> reactions -> structured MetaCyc pathways, with HUMAnN 3.9's numbers:
/// MinPath's minimal pathway set (an integer program solved with GLPK, posed as HUMAnN's bundled
/// MinPath 1.2 poses it to glpsol, so that ties resolve the same way), gap filling, abundance and
/// coverage, UNMAPPED / UNINTEGRATED, per stratum and for the community (docs/function.md).
///
/// Reproduced from HUMAnN 3.9 (quantify/modules.py, store.py, MinPath12hmp.py, chi2cdf.py):
///  - a reaction's score is the sum of its genes' RPK (a gene listed twice counts twice);
///  - each stratum, and the community ("all", read from the table's unstratified rows, never the
///    sum of strata) is run on its own: MinPath (when on and > 3 reactions score), median, gap fill;
///  - coverage uses chi2cdf(score, median) with HUMAnN's own series and Lanczos coefficients;
///  - UNINTEGRATED|stratum sums that stratum's abundance only over pathways the community has.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "function/genefamilies.hpp"

namespace orbiome::function {

/// UniRef -> reaction map (`RXN<TAB>EC<TAB>UniRef...`, as metacyc_reactions_level4ec_only.uniref).
struct ReactionMap {
    std::map<std::string, std::vector<std::string>> genes;  ///< reaction -> genes, as listed
    std::map<std::string, std::string> ec;                  ///< reaction -> EC number
};
/// Lines with a reaction and EC but no gene are skipped (as HUMAnN). A non-empty line with fewer
/// than two tab-separated fields is a ParseError naming the line.
ReactionMap read_reaction_map(std::string const& path);
class TextInput;
ReactionMap read_reaction_map(TextInput& in);

/// A node of a structured pathway: its join (AND unless a ',' in the list made it OR) and its
/// items, each a reaction name (child < 0) or a sub-list.
struct PathwayNode {
    bool is_or = false;
    std::vector<std::string> reactions;  ///< item i's reaction when children[i] < 0
    std::vector<int> children;           ///< item i's sub-list index into Pathway::nodes, or -1
};

struct Pathway {
    std::string id;
    std::vector<PathwayNode> nodes;       ///< nodes[0] is the whole pathway
    std::vector<std::string> reactions;   ///< every reaction token, optional marks stripped, as listed
    std::vector<std::string> key;         ///< key (non-optional) tokens, as listed (duplicates kept)
};

struct PathwayDb {
    std::vector<Pathway> pathways;                        ///< in file order
    std::map<std::string, std::size_t> index;             ///< id -> position
    bool structured = false;
};
/// Reads a pathway file (`PWY<TAB>tokens`; structured when a line's tokens contain '('). A token
/// with one or three leading '-' is optional unless it is itself a reaction of `reactions`.
/// Unbalanced parentheses and lines without a tab are ParseErrors naming the line.
PathwayDb read_pathways(std::string const& path, ReactionMap const& reactions);
PathwayDb read_pathways(TextInput& in, ReactionMap const& reactions);

/// Optional `PWY<TAB>name` map (map_metacyc-pwy_name.txt.gz); names print as `PWY: name`.
std::map<std::string, std::string> read_names(std::string const& path);

struct PathwayOptions {
    bool minpath = true;
    bool gap_fill = true;
    int threads = 1;  ///< strata computed at once; results do not depend on it
};

/// One table (abundance or coverage): community value and per-stratum values per pathway.
struct PathwayTable {
    std::map<std::string, double> all;                            ///< pathway -> community value (> 0 only)
    std::map<std::string, std::map<std::string, double>> strata;  ///< pathway -> stratum -> value (> 0 only)
};

struct PathwayResult {
    PathwayTable abundance, coverage;
    double unmapped = 0.0, unintegrated = 0.0;
    std::map<std::string, double> unintegrated_strata;
    /// reaction -> stratum ("all" = community) -> score, reactions with a score > 0.
    std::map<std::string, std::map<std::string, double>> reactions;
};

/// The whole computation for one sample.
PathwayResult compute_pathways(GeneFamilies const& genes, ReactionMap const& reactions, PathwayDb const& db,
                               PathwayOptions const& o = {});

/// MinPath's pathway-reaction map as it reads HUMAnN's flattened database: pathways sorted by
/// id, reactions ("families") numbered by first appearance, each pathway's distinct in listed
/// order. It depends on the database alone, so compute_pathways builds it once for all strata.
struct MinPathMap {
    std::vector<std::size_t> path_db;  ///< map pathway index -> db pathway index
    std::vector<std::vector<std::size_t>> path2fam;
    std::vector<std::vector<std::size_t>> fam2path;
    std::unordered_map<std::string, std::size_t> fam_index;  ///< reaction name -> family
};
MinPathMap build_minpath_map(PathwayDb const& db);

/// MinPath 1.2's pathway set for the observed reactions, given as map families in the order
/// HUMAnN writes them (sorted by name): the ILP min sum x_p s.t. every observed reaction lies in
/// a chosen pathway, rows and columns in MinPath's order, solved by GLPK as glpsol does
/// (minpath_ilp.hpp), then every pathway with >= 50 % of its distinct reactions observed added
/// back. Returns a flag per map pathway.
std::vector<char> minpath(std::vector<std::size_t> const& observed, MinPathMap const& m);

/// HUMAnN's chi2cdf(x, k) (series with its own Lanczos log-gamma); exposed for unit tests.
double humann_chi2cdf(double x, double k);
/// HUMAnN's gap fill of a pathway's key reactions (repeats kept), by name; exposed for unit
/// tests (compute_pathways runs the same code on reaction indices).
std::map<std::string, double> gap_fill(std::vector<std::string> const& key, std::map<std::string, double> scores);
/// Abundance (coverage when `coverage`) of a structured pathway from gap-filled scores, by name;
/// exposed for unit tests as gap_fill.
double structured_value(Pathway const& p, std::map<std::string, double> const& scores, bool coverage, double median);

/// Writes DIR-less files: pathabundance and pathcoverage in HUMAnN's layout (`# Pathway<TAB>
/// column`, UNMAPPED, UNINTEGRATED, UNINTEGRATED|stratum, pathways by community value with their
/// strata), 10 decimals; a pathway is written when its 10-decimal community value is > 0.
void write_pathways(PathwayResult const& r, std::string const& abundance_path, std::string const& coverage_path,
                    std::string const& sample, std::map<std::string, std::string> const& names,
                    std::string const& comment);
/// Reactions table: `# Reaction<TAB>SAMPLE_Abundance-RPKs`, rows `RXN: EC` (community) and
/// `RXN: EC|stratum`, by value as the gene-family table.
void write_reactions(PathwayResult const& r, ReactionMap const& map, std::string const& path,
                     std::string const& sample, std::string const& comment);

}  // namespace orbiome::function
