#include "simulate/replicate_analysis.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "diffabund/design.hpp"
#include "diffabund/diff.hpp"
#include "ecology/beta.hpp"
#include "ecology/permanova.hpp"
#include "io/metadata.hpp"

namespace orbiome::simulate {

namespace {

constexpr std::string_view kNames[] = {"linda", "wilcoxon", "welch", "permanova"};
constexpr char const* kOrigin = "simulated study";

io::Metadata study_metadata(Study const& s) {
    io::Metadata md;
    md.source = kOrigin;
    md.sample_ids = s.table.sample_ids();
    for (std::size_t i = 0; i < md.sample_ids.size(); ++i) md.sample_lines.push_back(i + 2);
    md.columns = {"group"};
    md.types = {io::ColumnType::categorical};
    md.values = {s.group};
    return md;
}

}  // namespace

std::string_view method_name(Method m) { return kNames[static_cast<std::size_t>(m)]; }

Method parse_method(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kNames); ++i)
        if (kNames[i] == name) return static_cast<Method>(i);
    throw UsageError("unknown method '" + std::string(name) + "'", "methods: linda, wilcoxon, welch, permanova");
}

MethodOutcome analyse(Study const& s, Method m, AnalysisOptions const& o, std::uint64_t seed) {
    MethodOutcome out;
    auto const md = study_metadata(s);
    if (m == Method::permanova) {
        ecology::BetaOptions bo;
        bo.metric = ecology::BetaMetric::braycurtis;
        bo.table_origin = kOrigin;
        auto const dm = ecology::beta_diversity(s.table, bo);
        ecology::PermanovaOptions po;
        po.permutations = o.permutations;
        po.seed = seed;
        auto const res = ecology::permanova(dm, kOrigin, md, "group", "", po);
        out.rejected = !res.rows.empty() && res.rows.front().p_value < o.alpha;
        return out;
    }
    diffabund::DesignSpec spec;
    spec.group = "group";
    spec.compare = std::pair<std::string, std::string>{"test", "reference"};
    auto const design = diffabund::make_design(s.table, kOrigin, md, spec);
    diffabund::DiffOptions dopt;
    dopt.method = m == Method::linda      ? diffabund::DiffMethod::linda
                  : m == Method::wilcoxon ? diffabund::DiffMethod::wilcoxon
                                          : diffabund::DiffMethod::welch;
    auto const res = diffabund::run_diff(s.table, design, dopt);
    ORBIOME_ASSERT(res.rows.size() == design.features.size());
    out.called.assign(s.table.n_features(), false);
    for (std::size_t i = 0; i < res.rows.size(); ++i)
        if (res.rows[i].tested && res.rows[i].q_value < o.alpha) {
            out.called[design.features[i]] = true;
            out.rejected = true;
        }
    return out;
}

}  // namespace orbiome::simulate
