#include "common/rpc/auth.h"

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <jwt.h>

#include "absl/strings/str_cat.h"

namespace chainhub {
namespace {

constexpr char kSecret[] = "an-hs256-secret-of-at-least-32-bytes!!";
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

Principal Office() {
  Principal p;
  p.subject = "departments/fgw";
  p.roles = {"chain_office"};
  p.chains = {"pv"};
  return p;
}

TEST(Jwt, AMintedTokenVerifiesToTheSamePrincipal) {
  auto token = MintToken(kSecret, Office(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  TokenVerifier verifier(kSecret);
  auto p = verifier.Verify("Bearer " + *token, kNow);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "departments/fgw");
  EXPECT_TRUE(p->HasRole("chain_office"));
  EXPECT_TRUE(p->CanWriteChain("pv"));
  EXPECT_FALSE(p->CanWriteChain("semiconductor"));
}

TEST(Jwt, TheBearerSchemeIsCaseInsensitive) {
  auto token = MintToken(kSecret, Office(), kNow, absl::Hours(1));
  EXPECT_TRUE(TokenVerifier(kSecret).Verify("bearer " + *token, kNow).ok());
}

TEST(Jwt, MissingMalformedAndForeignTokensAreUnauthenticated) {
  TokenVerifier verifier(kSecret);
  auto token = MintToken(kSecret, Office(), kNow, absl::Hours(1));
  auto foreign =
      MintToken("another-secret-of-at-least-32-bytes!!!", Office(), kNow, absl::Hours(1));
  for (const std::string& header :
       {std::string(""), std::string("Bearer"), std::string("Basic abc"),
        std::string("Bearer not.a.jwt"), "Bearer " + *foreign, "Token " + *token}) {
    auto p = verifier.Verify(header, kNow);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << header;
  }
}

TEST(Jwt, ATamperedPayloadFailsTheSignature) {
  auto token = MintToken(kSecret, Office(), kNow, absl::Hours(1));
  std::string t = *token;
  const size_t dot = t.find('.');
  t[dot + 5] = t[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(TokenVerifier(kSecret).Verify("Bearer " + t, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(Jwt, AnExpiredTokenIsRefusedAfterTheLeeway) {
  auto token = MintToken(kSecret, Office(), kNow, absl::Minutes(5));
  TokenVerifier verifier(kSecret);
  EXPECT_TRUE(verifier.Verify("Bearer " + *token, kNow + absl::Minutes(5)).ok());
  EXPECT_EQ(verifier.Verify("Bearer " + *token, kNow + absl::Minutes(6)).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(Jwt, RememberedTokensEachKeepTheirOwnPrincipalPastTheCacheSize) {
  TokenVerifier verifier(kSecret);
  std::vector<std::string> tokens;
  for (size_t i = 0; i < TokenVerifier::kRemembered + 10; ++i) {
    Principal p = Office();
    p.subject = absl::StrCat("departments/d", i);
    auto token = MintToken(kSecret, p, kNow, absl::Hours(1));
    ASSERT_TRUE(token.ok()) << token.status();
    tokens.push_back(*token);
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      auto p = verifier.Verify("Bearer " + tokens[i], kNow);
      ASSERT_TRUE(p.ok()) << p.status();
      ASSERT_EQ(p->subject, absl::StrCat("departments/d", i));
    }
  }
  // A token that failed is never remembered as good.
  std::string t = tokens[0];
  char& c = t[t.size() - 10];  // inside the signature
  c = c == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier.Verify("Bearer " + t, kNow).ok());
  EXPECT_FALSE(verifier.Verify("Bearer " + t, kNow).ok());
}

TEST(Jwt, AnUnsignedTokenIsRefused) {
  jwt_t* jwt = nullptr;
  ASSERT_EQ(jwt_new(&jwt), 0);
  jwt_add_grants_json(jwt, R"({"sub":"x","roles":["admin"],"exp":4000000000})");
  char* raw = jwt_encode_str(jwt);  // alg none
  std::string token(raw);
  free(raw);
  jwt_free(jwt);
  auto p = TokenVerifier(kSecret).Verify("Bearer " + token, kNow);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(Jwt, TokensWithoutExpSubOrRolesOrWithUnknownRolesAreRefused) {
  for (const char* claims :
       {R"({"sub":"x","roles":["admin"]})", R"({"roles":["admin"],"exp":4000000000})",
        R"({"sub":"x","exp":4000000000})", R"({"sub":"x","roles":["root"],"exp":4000000000})",
        R"({"sub":"x","roles":"admin","exp":4000000000})"}) {
    jwt_t* jwt = nullptr;
    ASSERT_EQ(jwt_new(&jwt), 0);
    jwt_add_grants_json(jwt, claims);
    jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(kSecret),
                static_cast<int>(strlen(kSecret)));
    char* raw = jwt_encode_str(jwt);
    std::string token(raw);
    free(raw);
    jwt_free(jwt);
    EXPECT_EQ(TokenVerifier(kSecret).Verify("Bearer " + token, kNow).status().code(),
              absl::StatusCode::kUnauthenticated)
        << claims;
  }
}

TEST(Jwt, MintRefusesShortSecretsAndUnknownRoles) {
  EXPECT_FALSE(MintToken("short", Office(), kNow, absl::Hours(1)).ok());
  Principal p = Office();
  p.roles.insert("superuser");
  EXPECT_EQ(MintToken(kSecret, p, kNow, absl::Hours(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A rotation: the secret file holds the new secret first and the old one after it; tokens
// signed with either verify, new tokens are signed with the first.
TEST(Jwt, ASecretFileOfSeveralLinesSignsWithTheFirstAndVerifiesWithEvery) {
  const std::string path = ::testing::TempDir() + "/jwt_rotation";
  const std::string old_secret = kSecret;
  const std::string new_secret = "the-new-hs256-secret-after-the-rotation-0123";
  {
    std::ofstream out(path);
    out << new_secret << "\n\n" << old_secret << "  \n";
  }
  absl::StatusOr<std::vector<std::string>> secrets = ReadSecretsFile(path);
  ASSERT_TRUE(secrets.ok()) << secrets.status();
  EXPECT_EQ(*secrets, (std::vector<std::string>{new_secret, old_secret}));
  absl::StatusOr<std::string> signing = ReadSecretFile(path);
  ASSERT_TRUE(signing.ok()) << signing.status();
  EXPECT_EQ(*signing, new_secret);

  TokenVerifier verifier(*secrets);
  for (const std::string& secret : {old_secret, new_secret}) {
    auto token = MintToken(secret, Office(), kNow, absl::Hours(1));
    ASSERT_TRUE(token.ok()) << token.status();
    auto p = verifier.Verify("Bearer " + *token, kNow);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->subject, "departments/fgw");
  }
  // Once the old line is gone, its tokens no longer verify.
  auto old_token = MintToken(old_secret, Office(), kNow, absl::Hours(1));
  EXPECT_EQ(TokenVerifier(std::vector<std::string>{new_secret})
                .Verify("Bearer " + *old_token, kNow)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);

  {
    std::ofstream out(path);
    out << new_secret << "\nshort\n";
  }
  absl::StatusOr<std::vector<std::string>> short_line = ReadSecretsFile(path);
  EXPECT_EQ(short_line.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(short_line.status().message().find("line 2"), absl::string_view::npos)
      << short_line.status();
  {
    std::ofstream out(path);
    out << "\n\n";
  }
  EXPECT_EQ(ReadSecretsFile(path).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Authorization, AdminWritesEveryChainAndViewerNone) {
  Principal admin{"systems/ops", {"admin"}, {}};
  Principal viewer{"systems/screen", {"viewer"}, {}};
  EXPECT_TRUE(RequireChainWrite(admin, "semiconductor").ok());
  EXPECT_EQ(RequireChainWrite(viewer, "pv").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireChainWrite(Office(), "semiconductor").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequireAnyRole(viewer, {"admin", "viewer"}).ok());
  EXPECT_EQ(RequireAnyRole(viewer, {"admin"}).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace chainhub
