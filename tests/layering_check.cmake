# The layering rule of the event contract (docs/events.md), checked on the sources: common/ includes
# no header generated from a service's proto (only chainhub/events and chainhub/common), and the
# envelope protos import no service proto. Run as `cmake -DSOURCE_DIR=<repo> -P layering_check.cmake`.
cmake_minimum_required(VERSION 3.25)
set(violations "")

file(GLOB_RECURSE common_sources ${SOURCE_DIR}/common/*.h ${SOURCE_DIR}/common/*.cc)
foreach(file ${common_sources})
  file(READ ${file} text)
  string(REGEX MATCHALL "#[ \t]*include[ \t]*[\"<]chainhub/[^\">]+" includes "${text}")
  foreach(include ${includes})
    if(NOT include MATCHES "[\"<]chainhub/(events|common)/v1/")
      list(APPEND violations "${file}: ${include}")
    endif()
  endforeach()
endforeach()

foreach(proto chainhub/events/v1/events.proto io/cloudevents/v1/cloudevents.proto)
  file(READ ${SOURCE_DIR}/protos/${proto} text)
  string(REGEX MATCHALL "import[ \t]+(public[ \t]+|weak[ \t]+)?\"[^\"]+\"" imports "${text}")
  foreach(import ${imports})
    if(NOT import MATCHES "\"(google/protobuf|chainhub/events/v1|chainhub/common/v1)/")
      list(APPEND violations "protos/${proto}: ${import}")
    endif()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "common/ and the event envelope must not depend on a service:\n  ${text}")
endif()
list(LENGTH common_sources checked)
message(STATUS "layering: ${checked} files of common/ include no service proto")
