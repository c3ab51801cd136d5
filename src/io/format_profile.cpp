// Formats `orbiome-profile` and `cami`: one sample's taxonomic profile, as `orbiome profile`
// writes it (NAME.abundance.tsv: taxid, rank, name, lineage, reads, ...) or as a CAMI 0.9.1
// profile (@SampleID, @Ranks, then TAXID RANK TAXPATH TAXPATHSN PERCENTAGE rows; the format of
// OPAL, MetaPhlAn's and mOTUs' CAMI output). A profile lists every rank, each row holding its
// whole clade, so summing its rows would count a read once per rank: the reader keeps the rows
// of one rank (`TableReadOptions::profile_rank`, species by default). Values: the clade's reads
// (NAME.abundance.tsv's `reads`, a Kraken2 report's second column) or its percentage (CAMI).
// Feature id: the taxid; lineage: the row's lineage.
#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"
#include "io/table_formats.hpp"

namespace orbiome::io::detail {

namespace {

using table::FeatureTable;

constexpr std::string_view kProfileColumns[] = {"taxid", "rank", "name", "lineage", "reads"};

std::string rank_wanted(TableReadOptions const& options) {
    return std::string(taxonomy::rank_name(options.profile_rank.value_or(taxonomy::Rank::species)));
}

/// The rank column's value as a canonical rank name ("" for `no rank` and the like).
std::string canonical_rank(std::string_view r) {
    auto const parsed = taxonomy::parse_rank(r);
    return parsed ? std::string(taxonomy::rank_name(*parsed)) : std::string();
}

int sniff_orbiome(SniffInput const& in) {
    if (!in.text || in.layout->header.size() < std::size(kProfileColumns)) return kNotThisFormat;
    for (std::size_t c = 0; c < std::size(kProfileColumns); ++c)
        if (lower(in.layout->header[c]) != kProfileColumns[c]) return kNotThisFormat;
    return kSignature;
}

FeatureTable read_orbiome(std::string const& path, TableReadOptions const& options) {
    TextLines const text = read_text_lines(path);
    HeaderLayout const layout = locate_header(text);
    // The sample is the file's: NAME.abundance.tsv -> NAME.
    std::string sample = std::filesystem::path(path).filename().string();
    for (std::string_view suffix : {".abundance.tsv", ".tsv"})
        if (sample.size() > suffix.size() && sample.ends_with(suffix)) {
            sample.resize(sample.size() - suffix.size());
            break;
        }
    ColumnPlan plan;
    for (std::size_t c = 0; c < layout.header.size(); ++c) {
        plan.role.push_back(c == 0 ? Role::id : c == 3 ? Role::lineage : c == 4 ? Role::sample : Role::skip);
        plan.rank.push_back(taxonomy::Rank::domain);
    }
    plan.samples.push_back(sample);
    auto const rows = parse_rows(text, layout, plan);
    auto const fields = data_rows(text, layout, rows.ids.size());
    std::string const wanted = rank_wanted(options);
    std::vector<std::size_t> keep;
    std::vector<std::string> ids, lineages;
    for (std::size_t i = 0; i < rows.ids.size(); ++i)
        if (canonical_rank(fields[i][1]) == wanted) {
            keep.push_back(i);
            ids.push_back(rows.ids[i]);
            lineages.push_back(rows.lineages.empty() ? std::string() : rows.lineages[i]);
        }
    return keep_rows(rows, keep, std::move(ids), std::move(lineages), plan.samples, path);
}

int sniff_cami(SniffInput const& in) {
    return in.head.find("@SampleID") != std::string_view::npos && in.head.find("@@TAXID") != std::string_view::npos
               ? kSignature
               : kNotThisFormat;
}

/// Rank prefix of a CAMI rank name ("k__" for superkingdom), so that the lineage reads as
/// orbiome's own lineages do.
std::string rank_prefix(std::string_view rank) {
    auto const r = taxonomy::parse_rank(rank);
    return r ? std::string(taxonomy::rank_prefix(*r)) : std::string();
}

FeatureTable read_cami(std::string const& path, TableReadOptions const& options) {
    TextLines const text = read_text_lines(path);
    std::string sample;
    std::vector<std::string_view> ranks;
    std::string const wanted = rank_wanted(options);
    std::vector<std::string> ids, lineages;
    std::vector<table::Entry> entries;
    bool header_seen = false;
    for (std::size_t i = 0; i < text.lines.size(); ++i) {
        std::string_view const line = text.lines[i];
        SourceLoc const at{path, i + 1};
        if (line.empty() || line.starts_with('#')) continue;
        if (line.starts_with("@@")) {
            header_seen = true;
            continue;
        }
        if (line.starts_with("@SampleID:")) sample = std::string(trim(line.substr(10)));
        if (line.starts_with("@Ranks:")) ranks = split(trim(line.substr(7)), '|');
        if (line.starts_with('@')) continue;
        if (!header_seen) throw ParseError(at, "CAMI profile row before its @@TAXID header line");
        auto const f = split(line, '\t');
        if (f.size() < 5) throw ParseError(at, "CAMI profile row has " + std::to_string(f.size()) + " fields, expected 5");
        if (canonical_rank(f[1]) != wanted) continue;
        double const value = parse_double(f[4], path, i + 1, "PERCENTAGE");
        if (value < 0) throw ParseError(at, "PERCENTAGE '" + std::string(f[4]) + "' is negative");
        auto const names = split(f[3], '|');
        std::string lineage;
        for (std::size_t k = 0; k < names.size(); ++k)
            lineage += (k ? ";" : "") + (k < ranks.size() ? rank_prefix(ranks[k]) : std::string()) + std::string(names[k]);
        entries.push_back({static_cast<std::uint32_t>(ids.size()), 0, value});
        ids.emplace_back(f[0]);
        lineages.push_back(std::move(lineage));
    }
    if (sample.empty()) throw ParseError({path}, "CAMI profile without @SampleID");
    return FeatureTable(std::move(ids), {sample}, std::move(entries), std::move(lineages), path);
}

}  // namespace

FormatHandler const kOrbiomeProfileFormat{TableFormat::orbiome_profile, &sniff_orbiome, &read_orbiome, nullptr};
FormatHandler const kCamiFormat{TableFormat::cami, &sniff_cami, &read_cami, nullptr};

}  // namespace orbiome::io::detail
