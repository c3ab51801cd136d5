# The version is `git describe` of the source tree, refreshed at every build (minimap2's
# MM_VERSION habit): it goes into --version and into every output header.
set(_gen ${PROJECT_BINARY_DIR}/generated/orbiome)
file(MAKE_DIRECTORY ${_gen})
add_custom_target(orbiome_version_header
  COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DOUT=${_gen}/version.hpp
          -DBASE=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${_gen}/version.hpp
  COMMENT "orbiome version header")
