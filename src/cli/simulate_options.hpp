#pragma once
/// \file simulate_options.hpp
/// The options `simulate` and `power` share: the template table, its reference group, the
/// sample sizes, library sizes and spiked effects (SPEC, "study design").

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "io/metadata.hpp"
#include "io/table_io.hpp"
#include "simulate/power.hpp"
#include "table/ops.hpp"
#include "taxonomy/lineage.hpp"

namespace orbiome::cli {

struct TemplateOptions {
    std::string table, taxonomy, rank, metadata, group, reference, n, depth = "match";
    std::vector<std::string> where, effects;
    double effect_fraction = 0, fold = 0;
    std::uint64_t seed = 0;

    void add_to(CLI::App& app, char const* n_help) {
        app.add_option("--table", table, "Template (pilot) feature table of counts")->required();
        app.add_option("--taxonomy", taxonomy, "Taxonomy TSV joined by feature id");
        app.add_option("--rank", rank, "Collapse the template to this rank first (e.g. genus)");
        app.add_option("--metadata", metadata, "Sample metadata (QIIME 2 TSV)")->required();
        app.add_option("--group", group, "Metadata column of the groups")->required();
        app.add_option("--reference", reference, "Level of --group whose samples the model is fitted to")->required();
        app.add_option("--where", where, "COL=VALUE: fit only to samples with this value (repeatable)");
        app.add_option("--n", n, n_help)->required();
        app.add_option("--depth", depth, "Library sizes: 'match' (the reference group's) or a median depth D");
        app.add_option("--effect", effects, "TAXON=FOLD: multiply the taxon's abundance in the test group (repeatable; "
                                            "TAXON a feature id or a name at the table's rank)");
        app.add_option("--effect-fraction", effect_fraction, "Spike this fraction of the features, chosen at random");
        app.add_option("--fold", fold, "Fold of the randomly spiked features (with --effect-fraction)");
        app.add_option("--seed", seed, "Random seed")->required();
    }

    std::optional<double> depth_value() const {
        if (depth == "match") return std::nullopt;
        auto const d = try_parse_double(depth);
        if (!d || !(*d >= 1) || !std::isfinite(*d)) throw UsageError("--depth must be 'match' or a number >= 1, got '" + depth + "'");
        return d;
    }

    std::vector<std::size_t> sizes() const {
        std::vector<std::size_t> out;
        for (auto part : split(n, ',')) {
            auto const v = try_parse_double(trim(part));
            if (!v || !(*v >= 1) || *v != std::floor(*v))
                throw UsageError("--n expects whole numbers >= 1 separated by commas, got '" + n + "'");
            out.push_back(static_cast<std::size_t>(*v));
        }
        return out;
    }

    simulate::EffectSpec effect_spec() const {
        simulate::EffectSpec e;
        for (auto const& s : effects) e.named.push_back(simulate::parse_effect(s));
        if (effect_fraction != 0 || fold != 0) {
            if (!e.named.empty()) throw UsageError("give either --effect or --effect-fraction with --fold, not both");
            if (!(effect_fraction > 0 && effect_fraction <= 1)) throw UsageError("--effect-fraction must be in (0, 1]");
            if (!(fold > 0) || !std::isfinite(fold)) throw UsageError("--effect-fraction needs --fold X, X > 0");
            e.fraction = effect_fraction;
            e.fold = fold;
        }
        return e;
    }

    /// Reads, collapses and fits; `t` receives the template table (at --rank).
    simulate::Model fit(table::FeatureTable& t) const {
        std::optional<taxonomy::Rank> r;
        if (!rank.empty()) {
            r = taxonomy::parse_rank(rank);
            if (!r) throw UsageError("unknown --rank '" + rank + "'", "ranks: domain, phylum, class, order, family, genus, species");
        }
        std::vector<std::pair<std::string, std::string>> filters;
        for (auto const& w : where) {
            auto eq = w.find('=');
            if (eq == std::string::npos || eq == 0) throw UsageError("--where expects COL=VALUE, got '" + w + "'");
            filters.emplace_back(w.substr(0, eq), w.substr(eq + 1));
        }
        t = io::read_table(table, {taxonomy});
        if (r) t = table::collapse(t, *r);
        auto const md = io::read_metadata(metadata);
        return simulate::fit_model(t, simulate::reference_samples(t, md, group, reference, filters), table);
    }
};

}  // namespace orbiome::cli
