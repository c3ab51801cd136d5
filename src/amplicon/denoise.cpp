#include "amplicon/denoise.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "amplicon/derep.hpp"
#include "amplicon/md5.hpp"
#include "amplicon/reads.hpp"
#include "amplicon/schedule.hpp"
#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "io/table_io.hpp"
#include "table/feature_table.hpp"

namespace orbiome::amplicon {

namespace {

std::vector<std::string> split_tabs(std::string const& line) {
    std::vector<std::string> out;
    std::string cell;
    std::stringstream ss(line);
    while (std::getline(ss, cell, '\t')) {
        if (!cell.empty() && cell.back() == '\r') cell.pop_back();
        out.push_back(cell);
    }
    if (!line.empty() && line.back() == '\t') out.emplace_back();
    return out;
}

// Bases an IUPAC code stands for, as a 4-bit mask A=1 C=2 G=4 T=8.
int iupac_mask(char c) {
    switch (c) {
        case 'A': return 1;
        case 'C': return 2;
        case 'G': return 4;
        case 'T': case 'U': return 8;
        case 'R': return 1 | 4;
        case 'Y': return 2 | 8;
        case 'S': return 2 | 4;
        case 'W': return 1 | 8;
        case 'K': return 4 | 8;
        case 'M': return 1 | 2;
        case 'B': return 2 | 4 | 8;
        case 'D': return 1 | 4 | 8;
        case 'H': return 1 | 2 | 8;
        case 'V': return 1 | 2 | 4;
        case 'N': return 15;
        default: return 0;
    }
}

/// Per-sample costs for scheduling the reading and filtering: the size of the reads files.
std::vector<std::uint64_t> file_costs(std::vector<SampleInput> const& samples) {
    std::vector<std::uint64_t> c;
    for (auto const& s : samples) {
        std::error_code ec;
        std::uintmax_t size = std::filesystem::file_size(s.reads, ec);
        c.push_back(ec ? 0 : static_cast<std::uint64_t>(size));
    }
    return c;
}

std::vector<std::pair<std::string, std::uint64_t>> asv_counts(DadaResult const& d) {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < d.asv.size(); ++i)
        if (d.abundance[i] > 0) out.emplace_back(d.asv[i], d.abundance[i]);
    return out;
}

// Pseudo-pooling priors: ASVs found in at least two samples (DADA2's PSEUDO_PREVALENCE = 2).
std::vector<bool> prior_flags(Derep const& d, std::set<std::string> const& priors) {
    std::vector<bool> f(d.seqs.size());
    for (std::size_t u = 0; u < d.seqs.size(); ++u) f[u] = priors.count(d.seqs[u]) > 0;
    return f;
}

std::set<std::string> pseudo_priors(std::vector<DadaResult> const& res, std::vector<char> const& active) {
    std::unordered_map<std::string, int> prevalence;
    for (std::size_t i = 0; i < res.size(); ++i) {
        if (!active[i]) continue;
        for (std::size_t k = 0; k < res[i].asv.size(); ++k)
            if (res[i].abundance[k] > 0) ++prevalence[res[i].asv[k]];
    }
    std::set<std::string> out;
    for (auto const& [s, n] : prevalence)
        if (n >= 2) out.insert(s);
    return out;
}

}  // namespace

std::vector<SampleInput> read_samplesheet(std::string const& path) {
    std::ifstream in = open_input(path);
    std::filesystem::path const base = std::filesystem::path(path).parent_path();
    std::string line;
    std::size_t lineno = 0;
    std::vector<std::string> header;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.empty() || line[0] == '#') continue;
        header = split_tabs(line);
        break;
    }
    auto col = [&](std::string const& name) -> long {
        auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : static_cast<long>(it - header.begin());
    };
    long const cs = col("sample"), cr = col("reads"), cr2 = col("reads2");
    if (cs < 0 || cr < 0)
        fail_data(path, lineno, "the sample sheet needs a header with columns 'sample' and 'reads' (and optionally 'reads2')");
    auto resolve = [&](std::string const& p) {
        if (p.empty() || std::filesystem::path(p).is_absolute()) return p;
        return (base / p).string();
    };
    std::vector<SampleInput> out;
    std::set<std::string> seen;
    while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto cells = split_tabs(line);
        auto get = [&](long c) { return c >= 0 && static_cast<std::size_t>(c) < cells.size() ? cells[static_cast<std::size_t>(c)] : std::string(); };
        SampleInput s{get(cs), resolve(get(cr)), resolve(get(cr2))};
        if (s.id.empty()) fail_data(path, lineno, "empty sample id");
        if (s.reads.empty()) fail_data(path, lineno, "sample '" + s.id + "' has no 'reads' file");
        if (!seen.insert(s.id).second) fail_data(path, lineno, "duplicate sample id '" + s.id + "'");
        if (!out.empty() && out.front().reads2.empty() != s.reads2.empty())
            fail_data(path, lineno, "sample '" + s.id + "' mixes single-end and paired-end rows (give 'reads2' for all or none)");
        out.push_back(std::move(s));
    }
    if (out.empty()) fail_data(path, lineno, "the sample sheet lists no samples");
    return out;
}

bool trim_primer(Read& read, std::string_view primer) {
    if (read.seq.size() < primer.size()) return false;
    std::size_t const allowed = primer.size() / 10;
    std::size_t mism = 0;
    for (std::size_t i = 0; i < primer.size(); ++i) {
        int const pm = iupac_mask(primer[i]), rm = iupac_mask(read.seq[i]);
        // An N in the read matches nothing specific: it counts as a mismatch unless the primer has N.
        if (rm == 15 ? pm != 15 : (pm & rm) == 0) {
            if (++mism > allowed) return false;
        }
    }
    read.seq.erase(0, primer.size());
    read.qual.erase(read.qual.begin(), read.qual.begin() + static_cast<std::ptrdiff_t>(primer.size()));
    return true;
}

DenoiseResult denoise(std::vector<SampleInput> const& samples, DenoiseOptions const& opt) {
    std::size_t const n = samples.size();
    DenoiseResult res;
    res.paired = !samples.empty() && !samples.front().reads2.empty();
    res.stats.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        res.stats[i].id = samples[i].id;
        res.sample_ids.push_back(samples[i].id);
    }
    for (char c : opt.primer_fwd + opt.primer_rev)
        if (iupac_mask(c) == 0) throw UsageError(std::string("primer has a character that is not an IUPAC code: '") + c + "'");

    // 1. Read, remove primers, filter; dereplicate. Per sample, in parallel.
    std::vector<Derep> dfwd(n), drev(n);
    std::vector<char> active(n, 0);  // char, not bool: written from several threads
    run_costliest_first(file_costs(samples), opt.threads, [&](std::size_t i) {
        SampleReads r = read_sample(samples[i].reads, samples[i].reads2);
        SampleStats& st = res.stats[i];
        st.input = r.fwd.size();
        if (!opt.primer_fwd.empty() || !opt.primer_rev.empty()) {
            std::size_t kept = 0;
            for (std::size_t k = 0; k < r.fwd.size(); ++k) {
                bool ok = opt.primer_fwd.empty() || trim_primer(r.fwd[k], opt.primer_fwd);
                if (ok && res.paired && !opt.primer_rev.empty()) ok = trim_primer(r.rev[k], opt.primer_rev);
                if (!ok) continue;
                if (kept != k) {
                    r.fwd[kept] = std::move(r.fwd[k]);
                    if (res.paired) r.rev[kept] = std::move(r.rev[k]);
                }
                ++kept;
            }
            r.fwd.resize(kept);
            if (res.paired) r.rev.resize(kept);
        }
        st.primer = r.fwd.size();
        st.filtered = filter_and_trim(r, opt.filter);
        if (st.filtered == 0) return;
        active[i] = 1;
        dfwd[i] = dereplicate(r.fwd);
        if (res.paired) drev[i] = dereplicate(r.rev);
    });
    for (std::size_t i = 0; i < n; ++i) {
        if (opt.warn && (opt.primer_fwd.size() || opt.primer_rev.size()) && res.stats[i].input > 0 &&
            res.stats[i].primer == 0)
            opt.warn("sample '" + samples[i].id + "': the primer was found in no read (" + samples[i].reads + ")");
        if (opt.warn && !active[i])
            opt.warn("sample '" + samples[i].id + "' has no reads left after filtering; it is kept with zero counts");
    }
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < n; ++i)
        if (active[i]) idx.push_back(i);
    if (idx.empty())
        throw Error(Errc::data, {}, "no reads passed the filter in any sample",
                    "check --trunc-len against the read lengths, and --max-ee / --trunc-q");

    // 2. Error models, then 3. denoise each sample (pseudo-pooling: again with the ASVs seen in
    // >= 2 samples as priors). The forward and reverse loops run side by side, round by round,
    // on one pool of threads, costliest samples first, so that neither waits on the other's last
    // sample; the samples learnErrors used keep their alignment caches for the final dada, which
    // compares the same sequences. Every result is the one a direction-at-a-time run gives.
    double const nb = opt.learn_reads > 0 ? -1 : opt.learn_bases;
    std::size_t const ndir = res.paired ? 2 : 1;
    std::array<std::vector<Derep> const*, 2> const derep{&dfwd, &drev};
    std::array<LearnResult*, 2> const learned{&res.err_fwd, &res.err_rev};
    std::vector<DadaResult> rf(n), rr(n);
    std::array<std::vector<DadaResult>*, 2> const dada_out{&rf, &rr};
    std::vector<ErrorLearner> learners;
    for (std::size_t d = 0; d < ndir; ++d) {
        std::vector<Derep const*> ptrs;
        for (std::size_t i : idx) ptrs.push_back(&(*derep[d])[i]);
        learners.emplace_back(ptrs, DadaOptions{}, nb, 10, opt.learn_reads);
    }
    while (std::any_of(learners.begin(), learners.end(), [](ErrorLearner const& l) { return !l.done(); })) {
        std::vector<std::pair<std::size_t, std::size_t>> tasks;  // (direction, sample)
        std::vector<std::uint64_t> costs;
        for (std::size_t d = 0; d < ndir; ++d)
            for (std::size_t i = 0; !learners[d].done() && i < learners[d].n_samples(); ++i) {
                tasks.emplace_back(d, i);
                costs.push_back(learners[d].cost(i));
            }
        run_costliest_first(costs, opt.threads, [&](std::size_t k) { learners[tasks[k].first].run_sample(tasks[k].second); });
        for (auto& l : learners)
            if (!l.done()) l.end_round();
    }
    std::array<std::vector<AlignCache>, 2> caches;
    for (std::size_t d = 0; d < ndir; ++d) {
        std::vector<AlignCache> learn_caches;
        *learned[d] = learners[d].finish(&learn_caches);
        caches[d].resize(n);
        for (std::size_t u = 0; u < learn_caches.size(); ++u) caches[d][idx[u]] = std::move(learn_caches[u]);
    }
    auto run = [&](std::array<std::set<std::string>, 2> const* priors) {
        std::vector<std::pair<std::size_t, std::size_t>> tasks;
        std::vector<std::uint64_t> costs;
        for (std::size_t d = 0; d < ndir; ++d)
            for (std::size_t i : idx) {
                tasks.emplace_back(d, i);
                costs.push_back((*derep[d])[i].seqs.size());
            }
        run_costliest_first(costs, opt.threads, [&](std::size_t k) {
            auto const [d, i] = tasks[k];
            Derep const& dr = (*derep[d])[i];
            std::vector<bool> pf;
            if (priors) pf = prior_flags(dr, (*priors)[d]);
            (*dada_out[d])[i] = dada_uniques(dr, extend_columns(learned[d]->err, max_quality(dr) + 1), DadaOptions{}, pf,
                                             &caches[d][i]);
        });
    };
    run(nullptr);
    if (opt.pool == Pool::pseudo) {
        std::array<std::set<std::string>, 2> priors;
        for (std::size_t d = 0; d < ndir; ++d) priors[d] = pseudo_priors(*dada_out[d], active);
        run(&priors);
    }

    // 4. Merge pairs; the sequence table.
    std::vector<std::vector<std::pair<std::string, std::uint64_t>>> per_sample(n);
    std::vector<std::uint64_t> merge_costs(n);
    for (std::size_t i = 0; i < n; ++i) merge_costs[i] = dfwd[i].seqs.size();
    run_costliest_first(merge_costs, opt.threads, [&](std::size_t i) {
        if (!active[i]) return;
        std::uint64_t den = 0;
        for (auto a : rf[i].abundance) den += a;
        res.stats[i].denoised = den;
        if (res.paired) {
            for (auto const& m : merge_pairs(rf[i], dfwd[i], rr[i], drev[i], opt.min_overlap, opt.max_mismatch))
                per_sample[i].emplace_back(m.sequence, m.abundance);
        } else {
            per_sample[i] = asv_counts(rf[i]);
        }
        for (auto const& [s, c] : per_sample[i]) res.stats[i].merged += c;
    });
    SeqTable st = make_sequence_table(per_sample);

    // 5. Chimeras (consensus over samples).
    std::vector<bool> bim(st.seqs.size(), false);
    if (opt.remove_chimeras) bim = is_bimera_table(st, opt.bimera, opt.threads);
    SeqTable out;
    for (std::size_t j = 0; j < st.seqs.size(); ++j)
        if (!bim[j]) out.seqs.push_back(st.seqs[j]);
    out.counts.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < st.seqs.size(); ++j)
            if (!bim[j]) {
                out.counts[i].push_back(st.counts[i][j]);
                res.stats[i].non_chimeric += st.counts[i][j];
            }
    }
    res.n_bimeras = static_cast<std::size_t>(std::count(bim.begin(), bim.end(), true));
    res.table = std::move(out);
    if (opt.progress)
        for (std::size_t i = 0; i < n; ++i) {
            auto const& s = res.stats[i];
            opt.progress("sample " + s.id + " (" + std::to_string(i + 1) + "/" + std::to_string(n) + "): input " +
                         std::to_string(s.input) + ", filtered " + std::to_string(s.filtered) + ", denoised " +
                         std::to_string(s.denoised) + ", " + (res.paired ? "merged " + std::to_string(s.merged) + ", " : "") +
                         "non-chimeric " + std::to_string(s.non_chimeric));
        }
    return res;
}

void write_denoise_outputs(DenoiseResult const& r, std::string const& dir, std::string const& header) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw IoError(Errc::io, dir, "cannot create the output directory: " + ec.message());
    auto path = [&](char const* f) { return (std::filesystem::path(dir) / f).string(); };
    std::vector<std::string> ids;
    for (auto const& s : r.table.seqs) ids.push_back(md5_hex(s));
    std::vector<table::Entry> entries;
    for (std::size_t i = 0; i < r.table.counts.size(); ++i)
        for (std::size_t j = 0; j < r.table.seqs.size(); ++j)
            if (r.table.counts[i][j] > 0)
                entries.push_back({static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i),
                                   static_cast<double>(r.table.counts[i][j])});
    table::FeatureTable const t(ids, r.sample_ids, std::move(entries));
    io::TableWriteOptions wo;
    wo.generated_by = header;
    io::write_table(t, path("asv_table.tsv"), io::TableFormat::tsv, wo);
    io::write_table(t, path("asv_table.biom"), io::TableFormat::biom_hdf5, wo);
    {
        AtomicOutput fa(path("asv.fasta"));
        for (std::size_t j = 0; j < ids.size(); ++j) fa.stream() << '>' << ids[j] << '\n' << r.table.seqs[j] << '\n';
        fa.commit();
    }
    {
        AtomicOutput so(path("stats.tsv"));
        so.stream() << "sample\tinput\tprimer\tfiltered\tdenoised\tmerged\tnon_chimeric\n";
        for (auto const& s : r.stats)
            so.stream() << s.id << '\t' << s.input << '\t' << s.primer << '\t' << s.filtered << '\t' << s.denoised
                        << '\t' << s.merged << '\t' << s.non_chimeric << '\n';
        so.commit();
    }
    {
        AtomicOutput ef(path("errors.fwd.tsv"));
        ef.stream() << error_matrix_tsv(r.err_fwd.err);
        ef.commit();
    }
    if (r.paired) {
        AtomicOutput er(path("errors.rev.tsv"));
        er.stream() << error_matrix_tsv(r.err_rev.err);
        er.commit();
    }
}

}  // namespace orbiome::amplicon
