add_library(chainhub_assessment_domain STATIC
  names.cc
  periods.cc
  methods.cc
  grading.cc
  scheme_rules.cc
  scheme_file.cc
)
target_include_directories(chainhub_assessment_domain PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_assessment_domain PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub_assessment_domain PUBLIC chainhub_base)
