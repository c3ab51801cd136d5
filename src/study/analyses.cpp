#include "study/analyses.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "diffabund/assoc.hpp"
#include "diffabund/design.hpp"
#include "diffabund/diff.hpp"
#include "diffabund/stats.hpp"
#include "ecology/alpha.hpp"
#include "ecology/beta.hpp"
#include "ecology/formula.hpp"
#include "ecology/pcoa_io.hpp"
#include "ecology/permanova.hpp"
#include "io/newick.hpp"
#include "io/table_io.hpp"
#include "orbiome/version.hpp"
#include "table/ops.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::study {

namespace {

namespace fs = std::filesystem;

std::string header(std::string const& step) { return std::string("#orbiome run ") + step + " " + kVersion; }
std::string path_in(std::string const& out_dir, std::string const& rel) { return (fs::path(out_dir) / rel).string(); }

/// Ranks written under tables/: the study's ranks plus phylum and genus (the report's bars).
std::vector<std::string> table_ranks(StudySpec const& spec) {
    std::vector<std::string> ranks;
    for (auto const& r : spec.ranks) ranks.push_back(std::string(taxonomy::rank_name(*taxonomy::parse_rank(r))));
    for (auto const* r : {"phylum", "genus"})
        if (std::find(ranks.begin(), ranks.end(), r) == ranks.end()) ranks.emplace_back(r);
    return ranks;
}

std::string const& group_of(StudySpec const& spec, StudyData const& data, table::FeatureTable const& t, std::size_t s) {
    std::size_t const row = data.metadata_row.at(t.sample_ids()[s]);
    return data.metadata.values[data.metadata.column_index(spec.group)][row];
}

diffabund::DesignSpec design_spec(StudySpec const& spec, Comparison const& cmp) {
    diffabund::DesignSpec d;
    d.group = spec.group;
    d.covariates = spec.covariates;
    d.compare = std::pair{cmp.test, cmp.reference};
    d.where = cmp.where;
    return d;
}

}  // namespace

StudyData load_study_data(StudySpec const& spec, int threads) {
    StudyData data;
    data.metadata = io::read_metadata(spec.metadata);
    auto const raw = io::read_table(spec.table, {spec.taxonomy});
    auto const rows = io::join_metadata(raw.sample_ids(), spec.table, data.metadata).row_of_sample;
    for (std::size_t s = 0; s < raw.n_samples(); ++s) data.metadata_row.emplace(raw.sample_ids()[s], rows[s]);
    data.filtered = table::filter_features(raw, spec.filter);
    data.analysed = spec.rarefy_depth ? table::rarefy(data.filtered, *spec.rarefy_depth, spec.rarefy_seed, threads) : data.filtered;
    data.tree = spec.tree;
    return data;
}

std::vector<std::size_t> comparison_samples(StudySpec const& spec, StudyData const& data, Comparison const& cmp,
                                            table::FeatureTable const& t) {
    std::vector<std::size_t> rows;
    for (auto const& id : t.sample_ids()) rows.push_back(data.metadata_row.at(id));
    return ecology::select_samples(data.metadata, rows, {cmp.where, spec.group, {cmp.test, cmp.reference}});
}

void write_tables(StudySpec const& spec, StudyData const& data, std::string const& out_dir) {
    io::TableWriteOptions const w{header("tables")};
    io::write_table(data.filtered, path_in(out_dir, "tables/filtered.tsv"), io::TableFormat::tsv, w);
    io::write_table(data.filtered, path_in(out_dir, "tables/filtered.biom"), io::TableFormat::biom_hdf5, w);
    if (data.filtered.has_lineages())
        for (auto const& rank : table_ranks(spec))
            io::write_table(table::collapse(data.filtered, *taxonomy::parse_rank(rank)),
                            path_in(out_dir, "tables/" + rank + ".tsv"), io::TableFormat::tsv, w);

    // samples.tsv: the design columns of every analysed sample.
    std::vector<std::string> columns{spec.group};
    if (!spec.subject.empty()) columns.push_back(spec.subject);
    for (auto const& c : spec.covariates) columns.push_back(c);
    for (auto const& cmp : spec.comparisons)
        for (auto const& [col, v] : cmp.where)
            if (std::find(columns.begin(), columns.end(), col) == columns.end()) columns.push_back(col);
    AtomicOutput out(path_in(out_dir, "samples.tsv"));
    auto& os = out.stream();
    os << "sample_id\tgroup";
    for (auto const& c : columns) os << '\t' << c;
    os << '\n';
    auto const& md = data.metadata;
    for (std::size_t s = 0; s < data.filtered.n_samples(); ++s) {
        std::size_t const row = data.metadata_row.at(data.filtered.sample_ids()[s]);
        os << data.filtered.sample_ids()[s] << '\t' << md.values[md.column_index(spec.group)][row];
        for (auto const& c : columns) os << '\t' << md.values[md.column_index(c)][row];
        os << '\n';
    }
    out.commit();
}

void run_alpha(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads) {
    io::Tree tree;
    ecology::AlphaOptions opt;
    for (auto const& m : spec.alpha) opt.metrics.push_back(ecology::parse_alpha_metric(m));
    if (!data.tree.empty()) {
        tree = io::read_newick(data.tree);
        opt.tree = &tree;
        opt.tree_origin = data.tree;
        opt.metrics.push_back(ecology::AlphaMetric::faith_pd);
    }
    opt.table_origin = spec.table;
    opt.n_threads = threads;
    auto const& t = data.analysed;
    auto const res = ecology::alpha_diversity(t, opt);
    ecology::write_alpha(res, path_in(out_dir, "alpha/alpha.tsv"), header("alpha"));

    AtomicOutput out(path_in(out_dir, "alpha/tests.tsv"));
    auto& os = out.stream();
    os << "comparison\tmetric\ttest\treference\tn_test\tn_reference\tmedian_test\tmedian_reference\tstatistic\tp_value\tq_value\n";
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        std::size_t const n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    };
    for (auto const& cmp : spec.comparisons) {
        auto const samples = comparison_samples(spec, data, cmp, t);
        std::vector<diffabund::TestResult> tests;
        std::vector<std::vector<double>> xs, ys;
        for (std::size_t m = 0; m < res.metrics.size(); ++m) {
            std::vector<double> x, y;
            for (auto s : samples) (group_of(spec, data, t, s) == cmp.test ? x : y).push_back(res.at(s, m));
            tests.push_back(diffabund::wilcoxon_rank_sum(x, y));
            xs.push_back(std::move(x));
            ys.push_back(std::move(y));
        }
        std::vector<double> p;
        for (auto const& r : tests) p.push_back(r.p_value);
        auto const q = diffabund::bh_adjust(p);
        for (std::size_t m = 0; m < res.metrics.size(); ++m)
            os << cmp.name << '\t' << ecology::alpha_metric_name(res.metrics[m]) << '\t' << cmp.test << '\t'
               << cmp.reference << '\t' << xs[m].size() << '\t' << ys[m].size() << '\t' << format_double(median(xs[m]))
               << '\t' << format_double(median(ys[m])) << '\t' << format_double(tests[m].statistic) << '\t'
               << format_double(tests[m].p_value) << '\t' << format_double(q[m]) << '\n';
    }
    out.commit();
}

void run_beta(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads) {
    io::Tree tree;
    std::vector<std::string> metrics = spec.beta;
    if (!data.tree.empty()) {
        tree = io::read_newick(data.tree);
        for (auto const* m : {"unweighted_unifrac", "weighted_normalized_unifrac"})
            if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.emplace_back(m);
    }
    AtomicOutput perm(path_in(out_dir, "beta/permanova.tsv"));
    auto& ps = perm.stream();
    ps << "comparison\tmetric\tterm\tdf\tsum_sq\tr2\tF\tp_value\n";
    for (auto const& name : metrics) {
        ecology::BetaOptions opt;
        opt.metric = ecology::parse_beta_metric(name);
        opt.tree = data.tree.empty() ? nullptr : &tree;
        opt.tree_origin = data.tree;
        opt.table_origin = spec.table;
        opt.n_threads = threads;
        auto const dm = ecology::beta_diversity(data.analysed, opt);
        ecology::write_distance_matrix(dm, path_in(out_dir, "beta/" + name + ".dm.tsv"));
        for (auto const& cmp : spec.comparisons) {
            auto const sub = dm.subset(comparison_samples(spec, data, cmp, data.analysed));
            auto const pc = ecology::pcoa(sub, std::min<std::size_t>(sub.size(), 3));
            ecology::write_pcoa(pc, path_in(out_dir, "beta/" + cmp.name + "." + name + ".pcoa.tsv"), header("pcoa"));
            ecology::PermanovaOptions po;
            po.permutations = spec.permutations;
            po.seed = spec.seed;
            po.threads = threads;
            auto const res = ecology::permanova(sub, spec.table, data.metadata, spec.group, "", po);
            for (auto const& row : res.rows)
                ps << cmp.name << '\t' << name << '\t' << row.term << '\t' << row.df << '\t' << format_double(row.sum_sq)
                   << '\t' << format_double(row.r2) << '\t' << (std::isnan(row.f) ? "" : format_double(row.f)) << '\t'
                   << (std::isnan(row.p_value) ? "" : format_double(row.p_value)) << '\n';
        }
    }
    perm.commit();
}

void run_ratio(StudySpec const& spec, StudyData const& data, std::string const& out_dir) {
    if (!data.filtered.has_lineages()) return;
    auto const phyla = table::collapse(data.filtered, taxonomy::Rank::phylum);
    {
        // Per-sample ratios over all samples, for the report's plot (the tests below use the
        // same formula on each comparison's samples).
        diffabund::DesignSpec all;
        all.group = spec.group;
        auto const design = diffabund::make_design(phyla, spec.table, data.metadata, all);
        double c = 0;
        auto const lr = diffabund::taxon_log2_ratios(phyla, design, spec.ratio, 0, c);
        AtomicOutput out(path_in(out_dir, "ratio/log2_ratio.tsv"));
        auto& os = out.stream();
        os << "# log2((" << spec.ratio.first << " + c) / (" << spec.ratio.second << " + c)) of relative abundances, c = "
           << format_double(c) << '\n';
        os << "sample_id\tgroup\tnumerator\tdenominator\tlog2_ratio\n";
        for (std::size_t i = 0; i < design.samples.size(); ++i)
            os << phyla.sample_ids()[design.samples[i]] << '\t' << design.levels[design.group[i]] << '\t'
               << spec.ratio.first << '\t' << spec.ratio.second << '\t' << format_double(lr[i]) << '\n';
        out.commit();
    }
    AtomicOutput out(path_in(out_dir, "ratio/tests.tsv"));
    auto& os = out.stream();
    bool first = true;
    for (auto const& cmp : spec.comparisons) {
        auto const design = diffabund::make_design(phyla, spec.table, data.metadata, design_spec(spec, cmp));
        diffabund::DiffOptions opt;
        opt.method = diffabund::DiffMethod::ratio;
        opt.ratio = spec.ratio;
        auto const res = diffabund::run_diff(phyla, design, opt);
        std::ostringstream block;
        diffabund::write_diff(res, block);
        // One header for the file, then each comparison's rows prefixed by its name.
        std::istringstream lines(block.str());
        std::string line;
        while (std::getline(lines, line)) {
            if (line.empty() || line[0] == '#') continue;
            if (line.rfind("feature\t", 0) == 0) {
                if (first) os << "comparison\t" << line << '\n';
                first = false;
                continue;
            }
            os << cmp.name << '\t' << line << '\n';
        }
    }
    out.commit();
}

void run_diff(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads) {
    if (!data.filtered.has_lineages()) return;
    for (auto const& rank : spec.ranks) {
        auto const t = table::collapse(data.filtered, *taxonomy::parse_rank(rank));
        for (auto const& cmp : spec.comparisons) {
            auto const design = diffabund::make_design(t, spec.table, data.metadata, design_spec(spec, cmp));
            for (auto const& method : spec.diff_methods) {
                diffabund::DiffOptions opt;
                opt.method = diffabund::parse_method(method);
                opt.n_threads = threads;
                auto const res = diffabund::run_diff(t, design, opt);
                AtomicOutput out(path_in(out_dir, "diff/" + cmp.name + "." + rank + "." + method + ".tsv"));
                diffabund::write_diff(res, out.stream());
                out.commit();
            }
        }
    }
}

void run_assoc(StudySpec const& spec, StudyData const& data, std::string const& out_dir, int threads) {
    if (spec.host_variables.empty() && spec.metabolites.empty()) return;
    if (!data.filtered.has_lineages()) throw UsageError("[host] needs lineages to collapse to " + spec.host_rank);
    fs::create_directories(fs::path(out_dir) / "assoc");
    auto const t = table::collapse(data.filtered, *taxonomy::parse_rank(spec.host_rank));
    diffabund::AssocSpec a;
    a.method = spec.host_method == "pearson" ? diffabund::CorrelationMethod::pearson : diffabund::CorrelationMethod::spearman;
    a.covariates = spec.covariates;
    a.subject = spec.subject;
    a.n_threads = threads;
    auto write = [&](diffabund::NumericMatrix const* with, std::string const& rel) {
        auto const res = diffabund::associate(t, spec.table, data.metadata, with, a);
        AtomicOutput out(path_in(out_dir, rel));
        diffabund::write_assoc(res, a.method, out.stream());
        out.commit();
    };
    if (!spec.host_variables.empty()) {
        a.vars = spec.host_variables;
        write(nullptr, "assoc/assoc.tsv");
    }
    if (!spec.metabolites.empty()) {
        auto const mtb = diffabund::read_numeric_matrix(spec.metabolites);
        write(&mtb, spec.host_variables.empty() ? "assoc/assoc.tsv" : "assoc/metabolites.tsv");
    }
}

}  // namespace orbiome::study
