// The registered study steps, in run order. A new step: its own file defining
// `Step <name>_step(StudySpec const&)`, and one line in kSteps; a new per-sample step: its file
// defining its section parser and `SampleStep <name>_sample_step(StudySpec const&)`, and one line
// in kSampleSteps (docs/architecture.md).
#include "study/sample_step.hpp"
#include "study/step.hpp"

namespace orbiome::study {

Step tables_step(StudySpec const&);
Step alpha_step(StudySpec const&);
Step beta_step(StudySpec const&);
Step ratio_step(StudySpec const&);
Step diff_step(StudySpec const&);
Step assoc_step(StudySpec const&);

void parse_qc_section(toml::value const*, std::string const&, StudySpec&);
SampleStep qc_sample_step(StudySpec const&);
void parse_profile_section(toml::value const*, std::string const&, StudySpec&);
SampleStep profile_sample_step(StudySpec const&);
void parse_function_section(toml::value const*, std::string const&, StudySpec&);
SampleStep function_sample_step(StudySpec const&);

namespace {
using StepFactory = Step (*)(StudySpec const&);
constexpr StepFactory kSteps[] = {
    &tables_step, &alpha_step, &beta_step, &ratio_step, &diff_step, &assoc_step,
};
}  // namespace

std::vector<SampleStepEntry> const& sample_step_registry() {
    // Per-sample steps of a study from reads, in run order (sample_step.hpp): section, parser, step.
    static std::vector<SampleStepEntry> const kSampleSteps = {
        {"qc", &parse_qc_section, &qc_sample_step},
        {"profile", &parse_profile_section, &profile_sample_step},
        {"function", &parse_function_section, &function_sample_step},
    };
    return kSampleSteps;
}

std::vector<Step> study_steps(StudySpec const& spec) {
    std::vector<Step> steps;
    for (auto const factory : kSteps) steps.push_back(factory(spec));
    return steps;
}

}  // namespace orbiome::study
