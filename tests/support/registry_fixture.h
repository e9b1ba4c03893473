// An in-process chain registry for integration tests: a real redis-server on a free port, a real
// SQLite file in a temp dir, the real ServiceHost (interceptors, health, outbox relay) listening on
// a loopback port, and a client stub plus helpers to mint tokens.
#ifndef CHAINHUB_TESTS_SUPPORT_REGISTRY_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_REGISTRY_FIXTURE_H_

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/rpc/auth.h"
#include "common/service/server.h"
#include "services/registry/registry_service.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

inline constexpr char kTestSecret[] = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

// A service's configuration for a host in the test process: loopback on a free port, SQLite in
// `dir`/data, `redis`, kTestSecret written to `dir`/jwt_secret, no drain grace, 16 MiB messages,
// 16 workers.
ServerConfig TestServerConfig(const std::string& service, const TempDir& dir,
                              const RedisServer& redis);

// Mints a token signed with kTestSecret.
std::string MintTestToken(const std::string& subject, std::set<std::string, std::less<>> roles,
                          std::set<std::string, std::less<>> chains = {},
                          absl::Duration ttl = absl::Hours(1));

// A client context carrying `token` as a bearer token (none when empty) and a deadline.
std::unique_ptr<grpc::ClientContext> ContextWithToken(const std::string& token,
                                                      const std::string& request_id = "");

// Calls one gRPC service as one principal: every call carries the token (none when empty) and,
// when given, an x-request-id.
template <typename Stub>
class StubCaller {
 public:
  StubCaller(Stub& stub, std::string token) : stub_(&stub), token_(std::move(token)) {}

  template <typename Req, typename Resp>
  grpc::Status operator()(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                          const Req& req, Resp* resp, const std::string& request_id = "") const {
    auto ctx = ContextWithToken(token_, request_id);
    return (stub_->*method)(ctx.get(), req, resp);
  }

  // The same, discarding the response.
  template <typename Req, typename Resp>
  grpc::Status Status(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                      const Req& req) const {
    Resp resp;
    return (*this)(method, req, &resp);
  }

  Stub& stub() const { return *stub_; }
  const std::string& token() const { return token_; }

 private:
  Stub* stub_;
  std::string token_;
};

// Every audit row matching `filter` (all pages) of the service `as` calls.
template <typename Stub>
std::vector<common::v1::AuditEvent> AuditRowsOf(const StubCaller<Stub>& as,
                                                const std::string& filter) {
  std::vector<common::v1::AuditEvent> rows;
  common::v1::ListAuditEventsRequest req;
  req.set_filter(filter);
  req.set_page_size(1000);
  for (int page = 0; page < 100; ++page) {
    common::v1::ListAuditEventsResponse resp;
    grpc::Status s = as(&Stub::ListAuditEvents, req, &resp);
    EXPECT_TRUE(s.ok()) << "ListAuditEvents: " << s.error_message();
    if (!s.ok()) break;
    rows.insert(rows.end(), resp.audit_events().begin(), resp.audit_events().end());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return rows;
}

class RegistryFixture {
 public:
  // Starts Redis and the registry; aborts the test on failure (use ASSERT_NO_FATAL_FAILURE).
  // With `database_url` the store is PostgreSQL (no data dir), else SQLite in a temp dir.
  void SetUp(const std::string& database_url = "");
  // The same, with `configure` changing the host's configuration first (serving limits, TLS).
  void SetUpWith(const std::function<void(ServerConfig&)>& configure,
                 const std::string& database_url = "");
  void TearDown();

  registry::v1::ChainRegistry::Stub& stub() { return *stub_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  RedisServer& redis() { return *redis_; }
  ServiceHost& host() { return *host_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

  // Tokens for the common roles.
  std::string admin_token() const { return MintTestToken("systems/test-admin", {"admin"}); }
  std::string viewer_token() const { return MintTestToken("systems/test-viewer", {"viewer"}); }

 private:
  std::unique_ptr<TempDir> dir_;
  std::string data_dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<registry::RegistryService> service_;
  std::shared_ptr<grpc::Channel> channel_;  // plaintext; null when the host serves TLS
  std::unique_ptr<registry::v1::ChainRegistry::Stub> stub_;
  int port_ = 0;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_REGISTRY_FIXTURE_H_
