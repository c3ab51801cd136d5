# Embeds the HTML report's template (report/template/) and the pinned Vega, Vega-Lite and
# vega-embed builds (report/node_modules/, installed by `npm ci --prefix report` from
# report/package-lock.json) into orbiome_report, so a report needs no file and no network.
set(_report_dir ${PROJECT_SOURCE_DIR}/report)
set(_report_libs
  "vega=vega/build/vega.min.js"
  "vega-lite=vega-lite/build/vega-lite.min.js"
  "vega-embed=vega-embed/build/vega-embed.min.js")
file(READ ${_report_dir}/package.json _report_pkg)
set(_report_files "")
set(_report_deps "")
foreach(_lib ${_report_libs})
  string(REPLACE "=" ";" _kv "${_lib}")
  list(GET _kv 0 _name)
  list(GET _kv 1 _rel)
  set(_path ${_report_dir}/node_modules/${_rel})
  set(_pkg_json ${_report_dir}/node_modules/${_name}/package.json)
  if(NOT EXISTS ${_path} OR NOT EXISTS ${_pkg_json})
    message(FATAL_ERROR "The HTML report embeds ${_name} from report/node_modules, which is not installed.\n"
                        "Run `bash scripts/install-deps.sh` (or `npm ci --prefix report`), then configure again.")
  endif()
  # A node_modules left over from another lockfile would embed the wrong library silently.
  string(JSON _want GET "${_report_pkg}" dependencies ${_name})
  file(READ ${_pkg_json} _installed_pkg)
  string(JSON _have GET "${_installed_pkg}" version)
  if(NOT _have STREQUAL _want)
    message(FATAL_ERROR "report/node_modules has ${_name} ${_have} but report/package.json pins ${_want}.\n"
                        "Run `npm ci --prefix report`, then configure again.")
  endif()
  list(APPEND _report_files "lib/${_name}=${_path}")
  list(APPEND _report_deps ${_path})
endforeach()
foreach(_t report.html report.css report.js)
  list(APPEND _report_files "template/${_t}=${_report_dir}/template/${_t}")
  list(APPEND _report_deps ${_report_dir}/template/${_t})
endforeach()
set(_report_cpp ${PROJECT_BINARY_DIR}/generated/report_assets.cpp)
string(REPLACE ";" "\\;" _report_files_arg "${_report_files}")
add_custom_command(OUTPUT ${_report_cpp}
  COMMAND ${CMAKE_COMMAND} -DOUT=${_report_cpp} -DNAMESPACE=orbiome::report::embedded
          "-DFILES=${_report_files_arg}" -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${_report_deps} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding the HTML report template and the Vega libraries")
target_sources(orbiome_report PRIVATE ${_report_cpp})
