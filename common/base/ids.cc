#include "common/base/ids.h"

#include <cstdint>
#include <cstdio>

#include "absl/random/random.h"

namespace chainhub {

std::string NewUuidV7(absl::Time now) {
  thread_local absl::BitGen gen;
  const uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(now));
  const uint64_t rand_a = absl::Uniform<uint64_t>(gen) & 0x0fffu;
  const uint64_t rand_b = absl::Uniform<uint64_t>(gen) & 0x3fffffffffffffffULL;
  const uint64_t hi = (ms << 16) | 0x7000u | rand_a;
  const uint64_t lo = 0x8000000000000000ULL | rand_b;
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

}  // namespace chainhub
