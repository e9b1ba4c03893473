#include "tools/chainctl/seed.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/import.h"
#include "tools/chainctl/render.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;
using google::protobuf::util::MessageDifferencer;

absl::StatusOr<std::string> ReadDataFile(const std::filesystem::path& path) {
  std::optional<std::string> bytes = ReadFileBytes(path.string());
  if (!bytes) return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  return *std::move(bytes);
}

template <typename Message>
absl::StatusOr<Message> LoadJson(const std::filesystem::path& path) {
  CHAINHUB_ASSIGN_OR_RETURN(std::string text, ReadDataFile(path));
  Message message;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(text, &message, opts);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": not a ",
                                                   Message::descriptor()->full_name(),
                                                   " in JSON: ", status.message().as_string()));
  }
  return message;
}

std::string CompactJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  (void)google::protobuf::util::MessageToJsonString(message, &json, opts);
  return json;
}

// What happened to each object of one kind.
struct Tally {
  std::string kind;
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int failed = 0;
};

enum class Outcome { kCreated, kUpdated, kUnchanged, kFailed };

void Count(Tally& tally, Outcome outcome) {
  switch (outcome) {
    case Outcome::kCreated:
      ++tally.created;
      break;
    case Outcome::kUpdated:
      ++tally.updated;
      break;
    case Outcome::kUnchanged:
      ++tally.unchanged;
      break;
    case Outcome::kFailed:
      ++tally.failed;
      break;
  }
}

// The RPCs that create, read and replace one kind of resource.
template <typename Resource>
struct ResourceOps {
  std::function<grpc::Status(grpc::ClientContext*, const Resource&, const std::string& request_id,
                             Resource*)>
      create;
  std::function<grpc::Status(grpc::ClientContext*, const std::string& name, Resource*)> get;
  std::function<grpc::Status(grpc::ClientContext*, const Resource&, Resource*)> update;
  // Clears the fields the server fills (etag, times, ...), so that what is left compares with the
  // seed file's object.
  std::function<void(Resource*)> clear_output_only;
};

// One seeding run: the connection, where errors go, and whether it has to stop.
class Seeder {
 public:
  Seeder(Connection& connection, std::ostream& err)
      : connection_(connection), err_(err), run_start_(absl::Now()) {}

  bool stopped() const { return stopped_; }

  // Create with a content-derived request id; on ALREADY_EXISTS, or when the create was a replay
  // of an earlier seed (the replayed response may be older than the live object), compare with the
  // live object and Update (empty mask = every writable field, no etag) when they differ.
  template <typename Resource>
  Outcome Upsert(const Resource& desired, const ResourceOps<Resource>& ops) {
    const std::string& name = desired.name();
    const std::string request_id = SeedRequestId(name, CompactJson(desired));
    Resource created;
    grpc::Status status = Call(
        [&](grpc::ClientContext* ctx) { return ops.create(ctx, desired, request_id, &created); });
    if (status.ok() && !IsReplay(created.create_time())) return Outcome::kCreated;
    if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      return Fail(name, "create", status);
    }
    Resource current;
    status = Call([&](grpc::ClientContext* ctx) { return ops.get(ctx, name, &current); });
    if (!status.ok()) return Fail(name, "get", status);
    ops.clear_output_only(&current);
    if (MessageDifferencer::Equals(current, desired)) return Outcome::kUnchanged;
    Resource updated;
    status = Call([&](grpc::ClientContext* ctx) { return ops.update(ctx, desired, &updated); });
    if (!status.ok()) return Fail(name, "update", status);
    return Outcome::kUpdated;
  }

  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
    grpc::ClientContext ctx;
    connection_.Prepare(&ctx);
    return rpc(&ctx);
  }

  Outcome Fail(const std::string& name, absl::string_view what, const grpc::Status& status) {
    err_ << "seed " << name << " (" << what << "): ";
    PrintError(FromGrpcStatus(status), err_, &connection_.options());
    // Nothing else would get through either: stop rather than print the same error 600 times.
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
        status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      stopped_ = true;
    }
    return Outcome::kFailed;
  }

  Connection& connection() { return connection_; }

 private:
  // A create that returns an object made before this run started is the replay of an earlier
  // seed's create (client and server clocks are assumed to agree within a second).
  bool IsReplay(const google::protobuf::Timestamp& create_time) const {
    if (create_time.seconds() == 0) return false;
    return absl::FromUnixSeconds(create_time.seconds()) + absl::Seconds(1) < run_start_;
  }

  Connection& connection_;
  std::ostream& err_;
  absl::Time run_start_;
  bool stopped_ = false;
};

void PrintTally(const Tally& t, std::ostream& out) {
  out << absl::StrFormat("%-16s %5d created  %5d updated  %5d unchanged  %5d failed\n", t.kind,
                         t.created, t.updated, t.unchanged, t.failed);
}

// The chain a node of a map file is on; empty (the registry says what is wrong) when its name is
// not a node name.
std::string ChainOfNode(const std::string& node_name) {
  absl::StatusOr<NodeName> node = NodeName::Parse("name", node_name);
  return node.ok() ? node->Chain().String() : "";
}

// Everything of data/, read and parsed before anything is sent, so that a malformed file does not
// leave half a seed behind.
struct SeedData {
  rv1::ListDepartmentsResponse departments;
  rv1::ListChainsResponse chains;
  rv1::ListProvinceListsResponse province_lists;
  rv1::ListChainProvinceMappingsResponse mappings;
  std::vector<rv1::ListNodesResponse> maps;
  std::string enterprises_csv;
};

absl::StatusOr<SeedData> LoadSeedData(const std::filesystem::path& dir) {
  SeedData d;
  CHAINHUB_ASSIGN_OR_RETURN(d.departments,
                            LoadJson<rv1::ListDepartmentsResponse>(dir / "departments.json"));
  CHAINHUB_ASSIGN_OR_RETURN(d.chains, LoadJson<rv1::ListChainsResponse>(dir / "chains.json"));
  CHAINHUB_ASSIGN_OR_RETURN(d.province_lists,
                            LoadJson<rv1::ListProvinceListsResponse>(dir / "province_lists.json"));
  CHAINHUB_ASSIGN_OR_RETURN(
      d.mappings, LoadJson<rv1::ListChainProvinceMappingsResponse>(dir / "province_mapping.json"));
  std::vector<std::filesystem::path> map_files;
  std::error_code ec;
  if (std::filesystem::is_directory(dir / "maps", ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir / "maps", ec)) {
      if (entry.path().extension() == ".json") map_files.push_back(entry.path());
    }
  }
  std::sort(map_files.begin(), map_files.end());
  for (const auto& file : map_files) {
    CHAINHUB_ASSIGN_OR_RETURN(rv1::ListNodesResponse nodes, LoadJson<rv1::ListNodesResponse>(file));
    d.maps.push_back(std::move(nodes));
  }
  CHAINHUB_ASSIGN_OR_RETURN(d.enterprises_csv, ReadDataFile(dir / "enterprises.csv"));
  return d;
}

}  // namespace

std::string SeedRequestId(absl::string_view resource_name, absl::string_view object_json) {
  return absl::StrCat("seed:", resource_name, ":", Sha256Hex(object_json).substr(0, 12));
}

int RunSeed(Connection& connection, const SeedOptions& options, std::ostream& out,
            std::ostream& err) {
  absl::StatusOr<SeedData> data = LoadSeedData(options.data_dir);
  if (!data.ok()) {
    PrintError(data.status(), err, nullptr);
    return kExitUsage;
  }
  auto& stub = connection.registry();
  Seeder seeder(connection, err);
  std::vector<Tally> tallies;

  // Departments first: chains refer to them.
  {
    Tally t{"departments"};
    ResourceOps<rv1::Department> ops;
    ops.create = [&](grpc::ClientContext* ctx, const rv1::Department& d, const std::string& id,
                     rv1::Department* out) {
      rv1::CreateDepartmentRequest req;
      req.set_department_id(ShortId(d.name()));
      *req.mutable_department() = d;
      req.set_request_id(id);
      return stub.CreateDepartment(ctx, req, out);
    };
    ops.get = [&](grpc::ClientContext* ctx, const std::string& name, rv1::Department* out) {
      rv1::GetDepartmentRequest req;
      req.set_name(name);
      return stub.GetDepartment(ctx, req, out);
    };
    ops.update = [&](grpc::ClientContext* ctx, const rv1::Department& d, rv1::Department* out) {
      rv1::UpdateDepartmentRequest req;
      *req.mutable_department() = d;
      return stub.UpdateDepartment(ctx, req, out);
    };
    ops.clear_output_only = [](rv1::Department* d) {
      d->clear_etag();
      d->clear_create_time();
      d->clear_update_time();
    };
    for (const auto& d : data->departments.departments()) {
      if (seeder.stopped()) break;
      Count(t, seeder.Upsert(d, ops));
    }
    tallies.push_back(t);
  }

  if (!seeder.stopped()) {
    Tally t{"chains"};
    ResourceOps<rv1::Chain> ops;
    ops.create = [&](grpc::ClientContext* ctx, const rv1::Chain& c, const std::string& id,
                     rv1::Chain* out) {
      rv1::CreateChainRequest req;
      req.set_chain_id(ShortId(c.name()));
      *req.mutable_chain() = c;
      req.set_request_id(id);
      return stub.CreateChain(ctx, req, out);
    };
    ops.get = [&](grpc::ClientContext* ctx, const std::string& name, rv1::Chain* out) {
      rv1::GetChainRequest req;
      req.set_name(name);
      return stub.GetChain(ctx, req, out);
    };
    ops.update = [&](grpc::ClientContext* ctx, const rv1::Chain& c, rv1::Chain* out) {
      rv1::UpdateChainRequest req;
      *req.mutable_chain() = c;
      return stub.UpdateChain(ctx, req, out);
    };
    ops.clear_output_only = [](rv1::Chain* c) {
      c->clear_etag();
      c->clear_create_time();
      c->clear_update_time();
      c->clear_province_categories();
    };
    for (const auto& c : data->chains.chains()) {
      if (seeder.stopped()) break;
      Count(t, seeder.Upsert(c, ops));
    }
    tallies.push_back(t);
  }

  // Province lists and mappings are upserts without request ids: compare with what is there.
  if (!seeder.stopped()) {
    Tally t{"province lists"};
    rv1::ListProvinceListsResponse existing;
    grpc::Status status = seeder.Call([&](grpc::ClientContext* ctx) {
      return stub.ListProvinceLists(ctx, rv1::ListProvinceListsRequest(), &existing);
    });
    if (!status.ok()) {
      seeder.Fail("provinceLists", "list", status);
      t.failed = data->province_lists.province_lists_size();
    } else {
      std::map<std::string, rv1::ProvinceList> by_name;
      for (auto pl : existing.province_lists()) {
        pl.clear_update_time();
        by_name[pl.name()] = pl;
      }
      for (const auto& pl : data->province_lists.province_lists()) {
        if (seeder.stopped()) break;
        auto it = by_name.find(pl.name());
        if (it != by_name.end() && MessageDifferencer::Equals(it->second, pl)) {
          ++t.unchanged;
          continue;
        }
        rv1::PutProvinceListRequest req;
        *req.mutable_province_list() = pl;
        rv1::ProvinceList put;
        status = seeder.Call(
            [&](grpc::ClientContext* ctx) { return stub.PutProvinceList(ctx, req, &put); });
        if (!status.ok()) {
          Count(t, seeder.Fail(pl.name(), "put", status));
        } else {
          Count(t, it == by_name.end() ? Outcome::kCreated : Outcome::kUpdated);
        }
      }
    }
    tallies.push_back(t);
  }

  if (!seeder.stopped()) {
    Tally t{"province mapping"};
    rv1::ListChainProvinceMappingsResponse existing;
    grpc::Status status = seeder.Call([&](grpc::ClientContext* ctx) {
      return stub.ListChainProvinceMappings(ctx, rv1::ListChainProvinceMappingsRequest(),
                                            &existing);
    });
    if (!status.ok()) {
      seeder.Fail("mappings", "list", status);
      t.failed = data->mappings.mappings_size();
    } else {
      std::map<std::string, rv1::ChainProvinceMapping> by_key;
      for (const auto& m : existing.mappings()) by_key[m.chain() + "@" + m.version()] = m;
      for (const auto& m : data->mappings.mappings()) {
        if (seeder.stopped()) break;
        auto it = by_key.find(m.chain() + "@" + m.version());
        if (it != by_key.end() && MessageDifferencer::Equals(it->second, m)) {
          ++t.unchanged;
          continue;
        }
        rv1::SetChainProvinceMappingRequest req;
        *req.mutable_mapping() = m;
        rv1::ChainProvinceMapping set;
        status = seeder.Call(
            [&](grpc::ClientContext* ctx) { return stub.SetChainProvinceMapping(ctx, req, &set); });
        if (!status.ok()) {
          Count(t, seeder.Fail(absl::StrCat(m.chain(), " @ ", m.version()), "set", status));
        } else {
          Count(t, it == by_key.end() ? Outcome::kCreated : Outcome::kUpdated);
        }
      }
    }
    tallies.push_back(t);
  }

  if (!seeder.stopped()) {
    Tally t{"nodes"};
    ResourceOps<rv1::Node> ops;
    ops.create = [&](grpc::ClientContext* ctx, const rv1::Node& n, const std::string& id,
                     rv1::Node* out) {
      rv1::CreateNodeRequest req;
      req.set_parent(ChainOfNode(n.name()));
      req.set_node_id(ShortId(n.name()));
      *req.mutable_node() = n;
      req.set_request_id(id);
      return stub.CreateNode(ctx, req, out);
    };
    ops.get = [&](grpc::ClientContext* ctx, const std::string& name, rv1::Node* out) {
      rv1::GetNodeRequest req;
      req.set_name(name);
      return stub.GetNode(ctx, req, out);
    };
    ops.update = [&](grpc::ClientContext* ctx, const rv1::Node& n, rv1::Node* out) {
      rv1::UpdateNodeRequest req;
      *req.mutable_node() = n;
      return stub.UpdateNode(ctx, req, out);
    };
    ops.clear_output_only = [](rv1::Node* n) {
      n->clear_etag();
      n->clear_create_time();
      n->clear_update_time();
    };
    // Files list parents before children, so file order is creation order.
    for (const auto& map : data->maps) {
      for (const auto& n : map.nodes()) {
        if (seeder.stopped()) break;
        Count(t, seeder.Upsert(n, ops));
      }
    }
    tallies.push_back(t);
  }

  bool rpc_failed = seeder.stopped();
  if (!seeder.stopped()) {
    ImportOptions import;
    import.batch_size = options.batch_size;
    import.request_id_prefix = "seed:enterprises";
    import.show_progress = options.show_progress;
    // Compare with the live enterprises, so that only new or changed rows are sent: a batch
    // replay would hide an enterprise changed since (e.g. by a department's import), and
    // rewriting equal rows would only add events and audit rows.
    std::map<std::string, rv1::Enterprise, std::less<>> live;
    rv1::ListEnterprisesRequest list;
    list.set_page_size(1000);
    grpc::Status status;
    while (true) {
      rv1::ListEnterprisesResponse page;
      status = seeder.Call(
          [&](grpc::ClientContext* ctx) { return stub.ListEnterprises(ctx, list, &page); });
      if (!status.ok()) break;
      for (auto& e : *page.mutable_enterprises()) {
        e.clear_etag();
        e.clear_create_time();
        e.clear_update_time();
        live[e.credit_code()] = std::move(e);
      }
      if (page.next_page_token().empty()) break;
      list.set_page_token(page.next_page_token());
    }
    if (!status.ok()) {
      seeder.Fail("enterprises", "list", status);
    } else {
      import.unchanged = [&live](const rv1::Enterprise& e) { auto it = live.find(e.credit_code());
      if (it == live.end()) return false;
      // Labels and memberships are sets; the registry may store them in its own order.
      MessageDifferencer differencer;
      differencer.set_repeated_field_comparison(MessageDifferencer::AS_SET);
      return differencer.Compare(it->second, e);
    };
  }
  ImportSummary s;
  if (!seeder.stopped()) s = ImportEnterprises(connection, data->enterprises_csv, import, err);
  Tally t{"enterprises"};
  if (!s.file_status.ok()) {
    err << (std::filesystem::path(options.data_dir) / "enterprises.csv").string() << ": ";
    PrintError(s.file_status, err, nullptr);
    t.failed = 1;
  } else {
    t.created = s.created;
    t.updated = s.updated;
    t.unchanged = s.unchanged;
    t.failed = s.failed();
  }
  if (!s.rpc_status.ok()) {
    PrintError(s.rpc_status, err, &connection.options());
    rpc_failed = true;
  }
  if (seeder.stopped()) rpc_failed = true;
  tallies.push_back(t);
}

int failed = 0;
for (const Tally& t : tallies) {
  PrintTally(t, out);
  failed += t.failed;
}
if (rpc_failed) {
  err << "seed stopped early; fix the cause and run it again (it is idempotent)\n";
  return kExitRpcError;
}
return failed > 0 ? kExitPartialFailure : kExitOk;
}  // namespace chainhub::chainctl

}  // namespace chainhub::chainctl
