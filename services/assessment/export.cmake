# A run as CSV, an XLSX workbook (Debian's libxlsxwriter) and an SVG ranking chart.
add_library(chainhub_assessment_export STATIC
  export.cc
)
target_include_directories(chainhub_assessment_export PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_assessment_export PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub_assessment_export PUBLIC chainhub_assessment_domain chainhub_files)
