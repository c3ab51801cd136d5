add_library(orbiome_warnings INTERFACE)
target_compile_options(orbiome_warnings INTERFACE -Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion
  -Wno-missing-field-initializers)  # partial aggregate init of structs with defaults is intended
if(ORBIOME_WERROR)
  target_compile_options(orbiome_warnings INTERFACE -Werror)
endif()
