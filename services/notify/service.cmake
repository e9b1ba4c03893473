# chainhub_notify_domain: pure rules (recipients and who acts for them, names, what a notice may
# hold, what a watch may ask). chainhub_notify_lib: the service (store, handlers, the watch hub,
# the forms a delivery is sent in).
add_library(chainhub_notify_domain STATIC
  event_facts.cc
  names.cc
  notices.cc
  recipients.cc
  subscriptions.cc
  templates.cc
  watch.cc
)
# The message templates (data/notify/templates/*.md), compiled in as ShippedTemplates().
file(GLOB notify_templates CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/data/notify/templates/*.md)
list(SORT notify_templates)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/notify_templates.cc
  COMMAND ${CMAKE_COMMAND} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/notify_templates.cc
          "-DFILES=${notify_templates}" -P ${CMAKE_CURRENT_SOURCE_DIR}/embed_templates.cmake
  DEPENDS ${notify_templates} ${CMAKE_CURRENT_SOURCE_DIR}/embed_templates.cmake
  COMMENT "embedding notify's message templates"
  VERBATIM)
target_sources(chainhub_notify_domain PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/notify_templates.cc)
target_include_directories(chainhub_notify_domain PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_notify_domain PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub_notify_domain PUBLIC chainhub_proto chainhub_base chainhub_rpc
                      chainhub_store chainhub_events)

add_library(chainhub_notify_lib STATIC
  digests.cc
  endpoint_handlers.cc
  inbox_handlers.cc
  notice_handlers.cc
  notify_service.cc
  notify_store.cc
  outgoing.cc
  rules.cc
  subscription_handlers.cc
  subscription_store.cc
  sweeper.cc
  watch_handlers.cc
  watch_hub.cc
)
target_include_directories(chainhub_notify_lib PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_notify_lib PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub_notify_lib PUBLIC chainhub_notify_domain chainhub_notify_delivery
                      chainhub_service)
chainhub_embed_migrations(chainhub_notify_lib NotifyMigrations
                          ${CMAKE_CURRENT_SOURCE_DIR}/migrations)

add_executable(chainhub-notify main.cc)
target_compile_options(chainhub-notify PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub-notify PRIVATE chainhub_notify_lib)
