add_library(chainhub_assessment_domain STATIC
  grading.cc
  methods.cc
  names.cc
  periods.cc
  scheme_file.cc
  scheme_rules.cc
)
target_include_directories(chainhub_assessment_domain PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_assessment_domain PRIVATE ${CHAINHUB_WARNINGS})
find_package(yaml-cpp CONFIG REQUIRED)
target_link_libraries(chainhub_assessment_domain PUBLIC chainhub_base PRIVATE yaml-cpp)
