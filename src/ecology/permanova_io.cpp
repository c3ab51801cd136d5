#include "ecology/permanova_io.hpp"

#include <cmath>

#include "core/text.hpp"

namespace orbiome::ecology {

namespace {
std::string cell(double v) { return std::isnan(v) ? std::string("NA") : format_double(v); }
}  // namespace

void write_permanova_header(std::ostream& out, std::vector<std::string> const& leading) {
    for (auto const& c : leading) out << c << '\t';
    out << "term\tdf\tsum_sq\tr2\tF\tp_value\n";
}

void write_permanova_rows(std::ostream& out, PermanovaResult const& r, std::vector<std::string> const& leading) {
    for (auto const& row : r.rows) {
        for (auto const& v : leading) out << v << '\t';
        out << row.term << '\t' << row.df << '\t' << cell(row.sum_sq) << '\t' << cell(row.r2) << '\t' << cell(row.f)
            << '\t' << cell(row.p_value) << '\n';
    }
}

}  // namespace orbiome::ecology
