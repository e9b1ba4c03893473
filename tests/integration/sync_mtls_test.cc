// The push over mutual TLS with no token: the receiver verifies the city's client certificate and
// takes it for the principal --tls_client_principals_file names; a certificate it does not list
// is refused (the push halts, naming why); without a certificate the handshake fails and the push
// only retries.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/rpc/auth.h"
#include "tests/support/sync_fixture.h"
#include "tests/support/test_certificates.h"

namespace chainhub::testing {
namespace {

class SyncMutualTlsTest : public ::testing::Test {
 protected:
  // Starts sync and a receiver that requires client certificates; sync presents `client` (none
  // when empty) and no token.
  void Start(const std::string& client) {
    absl::Status made = MakeTestCertificates(certs_, {"chuzhou.city", "stranger"});
    ASSERT_TRUE(made.ok()) << made;
    std::ofstream(certs_.File("principals")) << "# the city's push\n"
                                             << "chuzhou.city systems/chuzhou admin\n";
    sync_.receiver().configure = [this](ServerConfig& c) {
      c.tls_cert_file = certs_.File("server.pem");
      c.tls_key_file = certs_.File("server.key");
      c.tls_client_ca_file = certs_.File("ca.pem");
      c.tls_client_principals_file = certs_.File("principals");
    };
    sync_.configure_receiver_client = [this, client](sync::ProvinceClientOptions& o) {
      o.token_file.clear();
      o.tls_ca_file = certs_.File("ca.pem");
      if (!client.empty()) {
        o.tls_cert_file = certs_.File(client + ".pem");
        o.tls_key_file = certs_.File(client + ".key");
      }
      o.timeout = absl::Seconds(5);
    };
    ASSERT_NO_FATAL_FAILURE(sync_.SetUp());
    sync_.PublishTaxonomy();
    for (int i = 0; i < 3; ++i) {
      intake::v1::Project p;
      p.set_name(absl::StrCat("projects/p", i));
      p.set_chain("chains/pv");
      p.mutable_stage_dates()->set_signed_("2026-03-01");
      sync_.Publish(MakeCloudEvent("intake",
                                   EventKindDescriptor(intake::v1::INTAKE_EVENT_PROJECT_CREATED),
                                   p.name(), p.chain(), absl::Now(), p));
    }
    sync_.StartConsumer();
    ASSERT_TRUE(sync_.WaitForEvents());
  }
  void TearDown() override { sync_.TearDown(); }

  TempDir certs_;
  SyncFixture sync_;
};

TEST_F(SyncMutualTlsTest, TheCitysCertificateStandsForItsPrincipalWithoutAToken) {
  ASSERT_NO_FATAL_FAILURE(Start("chuzhou.city"));
  auto pushed = sync_.push().PushOnce();
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  EXPECT_EQ(*pushed, 3);
  ASSERT_TRUE(sync_.receiver().store()->Read([](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx.QueryOne("SELECT principal FROM province_batches"));
    EXPECT_EQ(row.Text(0), "systems/chuzhou");
    return absl::OkStatus();
  }).ok());
}

TEST_F(SyncMutualTlsTest, ACertificateTheReceiverDoesNotListHaltsThePush) {
  ASSERT_NO_FATAL_FAILURE(Start("stranger"));
  EXPECT_FALSE(sync_.push().PushOnce().ok());
  auto status = sync_.push().Status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->state(), sync::v1::PUSH_STATE_HALTED);
  EXPECT_THAT(status->reason(), ::testing::HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(status->reason(), ::testing::HasSubstr("stranger"));
}

TEST_F(SyncMutualTlsTest, WithoutACertificateTheHandshakeFailsAndThePushRetries) {
  ASSERT_NO_FATAL_FAILURE(Start(""));
  EXPECT_FALSE(sync_.push().PushOnce().ok());
  auto status = sync_.push().Status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->state(), sync::v1::PUSH_STATE_ACTIVE);
  EXPECT_EQ(status->failures(), 1);
}

TEST(CertificatePrincipals, EachLineNamesACertificateAndItsPrincipal) {
  auto parsed = ParseCertificatePrincipals(
      "# comment\n\nchuzhou.city systems/chuzhou admin\noffice.pv departments/fgw "
      "chain_office pv,nev-battery\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->at("chuzhou.city").subject, "systems/chuzhou");
  EXPECT_TRUE(parsed->at("office.pv").CanWriteChain("nev-battery"));
  EXPECT_THAT(ParseCertificatePrincipals("a b superuser").status().message(),
              ::testing::HasSubstr("line 1: 'superuser' is not a role"));
  EXPECT_THAT(ParseCertificatePrincipals("a b admin\na c viewer").status().message(),
              ::testing::HasSubstr("line 2: 'a' is listed twice"));
  EXPECT_THAT(ParseCertificatePrincipals("onlyone").status().message(),
              ::testing::HasSubstr("line 1: must be"));
}

}  // namespace
}  // namespace chainhub::testing
