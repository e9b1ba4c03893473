// Calls from one service to another (intake's GrpcRegistryLookup): made while serving a call they
// carry that call's remaining deadline, capped by the peer timeout, and its request id; they use
// the configured TLS credentials (server-verified and mutual TLS against a real registry).
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "chainhub/bench/v1/echo.grpc.pb.h"
#include "common/rpc/call_context.h"
#include "common/service/peer.h"
#include "common/service/server.h"
#include "gtest/gtest.h"
#include "services/intake/reference_copy.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace chainhub::testing {
namespace {

namespace rv1 = registry::v1;

// The registry end of the call, reduced to what the test looks at: the deadline and request id
// each GetChain arrives with.
class RecordingRegistry final : public rv1::ChainRegistry::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetChain(grpc::CallbackServerContext* ctx,
                                     const rv1::GetChainRequest* req, rv1::Chain* resp) override {
    {
      absl::MutexLock lock(&mu_);
      deadline_ = absl::FromChrono(ctx->deadline());
      auto id = ctx->client_metadata().find("x-request-id");
      request_id_ = id == ctx->client_metadata().end()
                        ? ""
                        : std::string(id->second.data(), id->second.size());
    }
    resp->set_name(req->name());
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  absl::Time deadline() {
    absl::MutexLock lock(&mu_);
    return deadline_;
  }
  std::string request_id() {
    absl::MutexLock lock(&mu_);
    return request_id_;
  }

 private:
  absl::Mutex mu_;
  absl::Time deadline_ ABSL_GUARDED_BY(mu_);
  std::string request_id_ ABSL_GUARDED_BY(mu_);
};

// A served call that asks the registry: Echo(payload = chain id) → GetChain(chains/{id}).
class AskingService final : public bench::v1::Echo::CallbackService {
 public:
  explicit AskingService(intake::GrpcRegistryLookup* lookup) : lookup_(lookup) {}
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx,
                                 const bench::v1::EchoRequest* req,
                                 bench::v1::EchoResponse* resp) override {
    return Serve(ctx, [=, this](const AuthorizedCall&) -> absl::Status {
      absl::StatusOr<rv1::Chain> chain = lookup_->GetChain(req->payload());
      if (!chain.ok()) return chain.status();
      resp->set_payload(chain->name());
      return absl::OkStatus();
    });
  }

 private:
  intake::GrpcRegistryLookup* lookup_;
};

class PeerDeadlineTest : public ::testing::Test {
 protected:
  // The recording registry, and a host serving AskingService with a lookup capped at `cap`.
  void Start(absl::Duration cap) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &registry_port_);
    builder.RegisterService(&registry_);
    registry_server_ = builder.BuildAndStart();
    ASSERT_NE(registry_server_, nullptr);
    lookup_ = std::make_unique<intake::GrpcRegistryLookup>(
        absl::StrCat("127.0.0.1:", registry_port_), kTestSecret, grpc::InsecureChannelCredentials(),
        cap);

    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = std::move(*redis);
    std::ofstream(dir_.File("secret")) << kTestSecret;
    ServerConfig config;
    config.service = "asking";
    config.data_dir = dir_.File("data");
    config.redis = redis_->address();
    config.jwt_secret_file = dir_.File("secret");
    config.listen = "127.0.0.1:0";
    config.drain_grace = absl::ZeroDuration();
    config.max_message_bytes = 1 << 20;
    host_ = std::make_unique<ServiceHost>(config);
    ASSERT_TRUE(host_->Init("asking", {}).ok());
    asking_ = std::make_unique<AskingService>(lookup_.get());
    host_->AddService(asking_.get(), bench::v1::Echo::service_full_name());
    auto port = host_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    stub_ = bench::v1::Echo::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", *port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (host_) host_->Shutdown();
    if (registry_server_) registry_server_->Shutdown();
  }

  // Echo("pv") as an admin with `deadline`; the status.
  grpc::Status Ask(absl::Time deadline, const std::string& request_id) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + MintTestToken("systems/test-admin", {"admin"}));
    ctx.AddMetadata("x-request-id", request_id);
    ctx.set_deadline(absl::ToChronoTime(deadline));
    bench::v1::EchoRequest req;
    req.set_payload("pv");
    bench::v1::EchoResponse resp;
    grpc::Status s = stub_->Echo(&ctx, req, &resp);
    if (s.ok()) {
      EXPECT_EQ(resp.payload(), "chains/pv");
    }
    return s;
  }

  TempDir dir_;
  RecordingRegistry registry_;
  int registry_port_ = 0;
  std::unique_ptr<grpc::Server> registry_server_;
  std::unique_ptr<intake::GrpcRegistryLookup> lookup_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<AskingService> asking_;
  std::unique_ptr<bench::v1::Echo::Stub> stub_;
};

TEST_F(PeerDeadlineTest, ACallerDeadlineSoonerThanTheCapReachesTheRegistry) {
  ASSERT_NO_FATAL_FAILURE(Start(/*cap=*/absl::Minutes(10)));
  const absl::Time caller_deadline = absl::Now() + absl::Seconds(20);
  grpc::Status s = Ask(caller_deadline, "peer-deadline-1");
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The registry's deadline is the caller's, not ten minutes away. gRPC sends a deadline as the
  // time left, which each receiver adds to its arrival time: allow for the time in transit.
  EXPECT_LE(registry_.deadline(), caller_deadline + absl::Seconds(5));
  EXPECT_GT(registry_.deadline(), caller_deadline - absl::Seconds(10));
  EXPECT_EQ(registry_.request_id(), "peer-deadline-1");
}

TEST_F(PeerDeadlineTest, TheCapBoundsALongerCallerDeadline) {
  ASSERT_NO_FATAL_FAILURE(Start(/*cap=*/absl::Seconds(20)));
  const absl::Time asked = absl::Now();
  grpc::Status s = Ask(asked + absl::Hours(1), "peer-deadline-2");
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Time in transit is added as above.
  EXPECT_LE(registry_.deadline(), absl::Now() + absl::Seconds(25));
  EXPECT_GT(registry_.deadline(), asked);
}

TEST_F(PeerDeadlineTest, OutsideAServedCallTheCapIsTheDeadline) {
  ASSERT_NO_FATAL_FAILURE(Start(/*cap=*/absl::Seconds(20)));
  const absl::Time before = absl::Now();
  ASSERT_EQ(CurrentCall(), nullptr);
  ASSERT_TRUE(lookup_->GetChain("pv").ok());
  EXPECT_LE(registry_.deadline(), absl::Now() + absl::Seconds(25));
  EXPECT_GT(registry_.deadline(), before + absl::Seconds(10));
  EXPECT_EQ(registry_.request_id(), "");
}

// Certificates made for the test with the openssl command line: a CA, the registry's (for
// 127.0.0.1) and intake's client certificate, both signed by the CA.
class PeerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status made = MakeTestCertificates(dir_, {"chainhub-intake"});
    ASSERT_TRUE(made.ok()) << made;
  }
  void TearDown() override { fx_.TearDown(); }

  void StartRegistry(bool mutual) {
    ASSERT_NO_FATAL_FAILURE(fx_.SetUpWith([&](ServerConfig& c) {
      c.tls_cert_file = dir_.File("server.pem");
      c.tls_key_file = dir_.File("server.key");
      if (mutual) c.tls_client_ca_file = dir_.File("ca.pem");
    }));
  }

  // ListProvinceLists through a lookup with `peer`'s credentials.
  absl::Status RoundTrip(const PeerConfig& peer) {
    auto credentials = PeerChannelCredentials(peer);
    if (!credentials.ok()) return credentials.status();
    intake::GrpcRegistryLookup lookup(fx_.target(), kTestSecret, *credentials, absl::Seconds(10));
    return lookup.ListProvinceLists().status();
  }

  TempDir dir_;
  RegistryFixture fx_;
};

TEST_F(PeerTlsTest, TheRegistryIsReachedOverTlsAndNotInPlaintext) {
  ASSERT_NO_FATAL_FAILURE(StartRegistry(/*mutual=*/false));
  PeerConfig tls;
  tls.tls_ca_file = dir_.File("ca.pem");
  absl::Status s = RoundTrip(tls);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_FALSE(RoundTrip(PeerConfig{}).ok());
}

TEST_F(PeerTlsTest, MutualTlsNeedsTheClientCertificate) {
  ASSERT_NO_FATAL_FAILURE(StartRegistry(/*mutual=*/true));
  PeerConfig mutual;
  mutual.tls_ca_file = dir_.File("ca.pem");
  mutual.tls_cert_file = dir_.File("chainhub-intake.pem");
  mutual.tls_key_file = dir_.File("chainhub-intake.key");
  absl::Status s = RoundTrip(mutual);
  EXPECT_TRUE(s.ok()) << s;
  PeerConfig without_certificate;
  without_certificate.tls_ca_file = dir_.File("ca.pem");
  EXPECT_FALSE(RoundTrip(without_certificate).ok());
}

TEST_F(PeerTlsTest, AnUnreadableCaFileNamesTheFlag) {
  PeerConfig peer;
  peer.tls_ca_file = dir_.File("missing.pem");
  auto credentials = PeerChannelCredentials(peer);
  ASSERT_FALSE(credentials.ok());
  EXPECT_TRUE(absl::StrContains(credentials.status().message(), "--peer_tls_ca_file"));
}

}  // namespace
}  // namespace chainhub::testing
