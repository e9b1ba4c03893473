// chainctl token mint (tools/chainctl/verbs/token.cc) through the verb table.
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/strip.h"
#include "common/base/clock.h"
#include "common/rpc/auth.h"
#include "tests/support/temp_dir.h"
#include "tools/chainctl/commands.h"

namespace chainhub::chainctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSecret[] = "chainctl-test-secret-0123456789-abcdefghijklmnop";

class TokenMintTest : public ::testing::Test {
 protected:
  TokenMintTest()
      : clock_(absl::FromCivil(absl::CivilSecond(2026, 5, 1, 9, 0, 0), absl::UTCTimeZone())) {
    std::ofstream(dir_.File("secret")) << kSecret << "\n";
    cmd_.clock = &clock_;
    cmd_.secret_file = dir_.File("secret");
    cmd_.sub = "departments/fgw";
    cmd_.roles = "chain_office";
    cmd_.chains = "chains/pv";
    cmd_.ttl = absl::Hours(1);
  }

  int Mint() { return Commands().Run(cmd_, {"token", "mint"}, out_, err_); }

  testing::TempDir dir_;
  ManualClock clock_;
  CommandLine cmd_;
  std::ostringstream out_, err_;
};

TEST_F(TokenMintTest, SignsATokenValidForTheTtlFromTheCommandLinesClock) {
  ASSERT_EQ(Mint(), kExitOk) << err_.str();
  const std::string token(absl::StripTrailingAsciiWhitespace(out_.str()));
  TokenVerifier verifier(kSecret);
  absl::StatusOr<Principal> p =
      verifier.Verify("Bearer " + token, clock_.Now() + absl::Minutes(59));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "departments/fgw");
  EXPECT_THAT(p->chains, ElementsAre("pv"));
  EXPECT_FALSE(verifier.Verify("Bearer " + token, clock_.Now() + absl::Hours(2)).ok());
}

TEST_F(TokenMintTest, AnUnknownRoleIsAUsageError) {
  cmd_.roles = "admin,root";
  EXPECT_EQ(Mint(), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("chainctl: unknown role \"root\""));
  EXPECT_TRUE(out_.str().empty());
}

}  // namespace
}  // namespace chainhub::chainctl
