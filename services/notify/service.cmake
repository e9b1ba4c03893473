# chainhub_notify_domain: pure rules (recipients and who acts for them, names, what a notice may
# hold, what a watch may ask). chainhub_notify_lib: the service (store, handlers, the watch hub).
add_library(chainhub_notify_domain STATIC
  names.cc
  notices.cc
  recipients.cc
  watch.cc
)
target_include_directories(chainhub_notify_domain PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_notify_domain PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub_notify_domain PUBLIC chainhub_proto chainhub_base chainhub_rpc)

add_library(chainhub_notify_lib STATIC
  inbox_handlers.cc
  notice_handlers.cc
  notify_service.cc
  notify_store.cc
  watch_handlers.cc
  watch_hub.cc
)
target_include_directories(chainhub_notify_lib PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(chainhub_notify_lib PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub_notify_lib PUBLIC chainhub_notify_domain chainhub_service)
chainhub_embed_migrations(chainhub_notify_lib NotifyMigrations
                          ${CMAKE_CURRENT_SOURCE_DIR}/migrations)

add_executable(chainhub-notify main.cc)
target_compile_options(chainhub-notify PRIVATE ${CHAINHUB_WARNINGS})
target_link_libraries(chainhub-notify PRIVATE chainhub_notify_lib)
