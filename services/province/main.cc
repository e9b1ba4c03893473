// chainhub-province: the reference provincial receiver (ProvinceIngest). Wiring only.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/service/flags.h"
#include "common/service/server.h"
#include "services/province/ingest_service.h"
#include "services/province/ingest_store.h"

ABSL_FLAG(std::string, province_lists_file, "",
          "the provincial lists records may be expressed in, in the form of "
          "data/province_lists.json (empty: the lists compiled in) (env "
          "CHAINHUB_PROVINCE_LISTS_FILE)");

namespace chainhub {
const std::vector<Migration>& ProvinceMigrations();
}  // namespace chainhub

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  chainhub::LogError(std::string(what), {{"error", std::string(s.message())}});
  std::fprintf(stderr, "chainhub-province: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(argc, argv,
                              "chainhub-province: a reference provincial receiver "
                              "(chainhub.province.v1.ProvinceIngest)");
  auto config = chainhub::ServerConfigFromFlags("province");
  if (!config.ok()) {
    std::fprintf(stderr, "chainhub-province: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  chainhub::province::ProvinceLists lists = chainhub::province::ProvinceLists::Shipped();
  if (const std::string file = absl::GetFlag(FLAGS_province_lists_file); !file.empty()) {
    auto read = chainhub::province::ProvinceLists::FromJsonFile(file);
    if (!read.ok()) return Fail("cannot start", read.status());
    lists = *std::move(read);
  }
  if (lists.empty()) return Fail("cannot start", absl::InvalidArgumentError("no provincial list"));
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("province", chainhub::ProvinceMigrations()); !s.ok()) {
    return Fail("cannot start", s);
  }
  chainhub::province::IngestStore store(host.store(), &lists, host.clock());
  chainhub::province::IngestService service(&store);
  host.AddService(&service, chainhub::province::v1::ProvinceIngest::service_full_name());
  absl::Status served = host.Run();
  if (!served.ok()) return Fail("serving failed", served);
  return 0;
}
