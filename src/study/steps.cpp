// The registered study steps, in run order. A new step: its own file defining
// `Step <name>_step(StudySpec const&)`, and one line in kSteps (docs/architecture.md).
#include "study/step.hpp"

namespace orbiome::study {

Step tables_step(StudySpec const&);
Step alpha_step(StudySpec const&);
Step beta_step(StudySpec const&);
Step ratio_step(StudySpec const&);
Step diff_step(StudySpec const&);
Step assoc_step(StudySpec const&);

namespace {
using StepFactory = Step (*)(StudySpec const&);
constexpr StepFactory kSteps[] = {
    &tables_step, &alpha_step, &beta_step, &ratio_step, &diff_step, &assoc_step,
};
}  // namespace

std::vector<Step> study_steps(StudySpec const& spec) {
    std::vector<Step> steps;
    for (auto const factory : kSteps) steps.push_back(factory(spec));
    return steps;
}

}  // namespace orbiome::study
