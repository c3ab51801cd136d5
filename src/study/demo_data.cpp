#include "study/demo_data.hpp"

#include <filesystem>
#include <utility>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "index/index.hpp"
#include "taxonomy/taxdump.hpp"

namespace orbiome::study {

namespace embedded {
extern std::pair<std::string_view, std::string_view> const kEmbeddedFiles[];
extern std::size_t const kNumEmbeddedFiles;
}  // namespace embedded

std::vector<std::string_view> demo_file_names() {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < embedded::kNumEmbeddedFiles; ++i) out.push_back(embedded::kEmbeddedFiles[i].first);
    return out;
}

std::string_view demo_file(std::string_view name) {
    for (std::size_t i = 0; i < embedded::kNumEmbeddedFiles; ++i)
        if (embedded::kEmbeddedFiles[i].first == name) return embedded::kEmbeddedFiles[i].second;
    throw Error(Errc::software, {}, "no embedded demo file '" + std::string(name) + "'");
}

void write_demo_files(std::string const& dir, std::string_view folder) {
    for (std::size_t i = 0; i < embedded::kNumEmbeddedFiles; ++i) {
        auto const& [name, content] = embedded::kEmbeddedFiles[i];
        if (name.substr(0, folder.size() + 1) != std::string(folder) + "/") continue;
        std::filesystem::path const path = std::filesystem::path(dir) / name;
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) throw IoError(Errc::io, path.parent_path().string(), "cannot create directory: " + ec.message());
        AtomicOutput out(path.string());
        out.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
        out.commit();
    }
}

void build_shotgun_demo_indexes(std::string const& dir, int threads) {
    auto const folder = std::filesystem::path(dir) / "shotgun";
    auto build = [&](std::string const& genomes, std::string const& prefix, std::string const& out) {
        index::BuildInput in;
        in.genome_files = {(folder / genomes).string()};
        in.seqid2taxid_file = (folder / (prefix + "seqid2taxid.tsv")).string();
        in.seqid2taxid = index::read_seqid2taxid(in.seqid2taxid_file);
        in.taxonomy_file = (folder / (prefix + "lineages.tsv")).string();
        in.taxonomy = index::taxon_specs(taxonomy::Taxonomy::from_lineage_tsv(in.taxonomy_file));
        index::Index::build(in, threads).save((folder / out).string());
    };
    build("genomes.fa.gz", "", "demo.idx");
    build("phix.fa.gz", "phix.", "phix.idx");
}

}  // namespace orbiome::study
