add_library(chainhub_assessment_facts STATIC
  backfill.cc
  fact_versions.cc
  facts.cc
  measures.cc
)
target_include_directories(chainhub_assessment_facts PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_assessment_facts PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub_assessment_facts PUBLIC chainhub_assessment_domain chainhub_owner_lists chainhub_service
                      OpenSSL::Crypto)
chainhub_embed_migrations(chainhub_assessment_facts AssessmentMigrations
                          ${CMAKE_CURRENT_SOURCE_DIR}/migrations)
